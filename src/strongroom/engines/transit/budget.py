"""The AES-GCM nonce budget: count encryptions per key version, never undercounting.

Random 96-bit nonces must not be used more than 2^32 times under one key (NIST SP 800-38D §8.3),
so each AES-GCM version has a persisted counter, `counter/<name>/<version>`, holding how many
encryptions have been *reserved*. A worker reserves a block of counts with one checked
transaction before it uses any of them, then hands them out from memory; a crash loses at most
the rest of a block, which only over-counts. When a reservation would pass the threshold
(2^32 * 0.9 unless the mount option `nonce_rotation_threshold` says otherwise), `take` answers
False and the caller rotates the key (once: `rotate_exhausted` re-checks under the policy's
storage Check) before encrypting with the new version.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from strongroom.engines.transit.keyring import Keyring
from strongroom.engines.transit.store import counter_path
from strongroom.logical import UNCHANGED, Verdict, View

DEFAULT_THRESHOLD = int(2**32 * 0.9)
BLOCK = 4096


def _decimal(count: int) -> bytes:
    return str(count).encode()


@dataclass
class _Block:
    next: int
    limit: int


@dataclass
class NonceBudget:
    """Per-worker blocks of reserved encryption counts, keyed by (key id, version)."""

    view: View
    threshold: int = DEFAULT_THRESHOLD
    block_size: int = 0  # 0: chosen from the threshold (see `block`)
    _blocks: dict[tuple[str, int], _Block] = field(default_factory=dict)
    _locks: dict[tuple[str, int], asyncio.Lock] = field(default_factory=dict)

    @property
    def block(self) -> int:
        """Counts reserved per storage write: 4096, or fewer under a small test threshold so
        that several workers each get a share before the crossing."""
        return self.block_size or min(BLOCK, max(1, self.threshold // 1024))

    async def take(self, ring: Keyring, version: int, count: int) -> bool:
        """Reserve `count` encryptions with `version`; False if that would pass the threshold."""
        slot = (ring.policy.id, version)
        if self._from_block(slot, count):
            return True
        lock = self._locks.setdefault(slot, asyncio.Lock())
        async with lock:
            if self._from_block(slot, count):
                return True
            return await self._reserve(slot, counter_path(ring.name, version), count)

    def _from_block(self, slot: tuple[str, int], count: int) -> bool:
        held = self._blocks.get(slot)
        if held is None or held.limit - held.next < count:
            return False
        held.next += count
        return True

    async def _reserve(self, slot: tuple[str, int], path: str, count: int) -> bool:
        def reserve(reserved: int | None) -> int | Verdict:
            start = reserved or 0
            if start + count > self.threshold:
                return UNCHANGED
            return min(start + max(count, self.block), self.threshold)

        counted = await self.view.update(path, int, reserve, encode=_decimal)
        if not counted.written:
            return False
        # Whatever was left of an older block is abandoned: over-counting is the safe side.
        self._blocks[slot] = _Block((counted.before or 0) + count, counted.after or 0)
        return True

    async def reserved(self, name: str, version: int) -> int:
        """How many encryptions storage says were reserved for a version (for tests, metrics)."""
        raw = await self.view.get(counter_path(name, version))
        return 0 if raw is None else int(raw)
