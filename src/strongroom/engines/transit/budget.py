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

from strongroom.core.view import View
from strongroom.engines.transit.keyring import Keyring
from strongroom.engines.transit.store import counter_path
from strongroom.errors import StorageConflict
from strongroom.storage.interface import Check, Put

DEFAULT_THRESHOLD = int(2**32 * 0.9)
BLOCK = 4096
_RETRIES = 1000


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
        for _ in range(_RETRIES):
            entry = await self.view.get_entry(path)
            reserved = 0 if entry is None else int(entry.value)
            if reserved + count > self.threshold:
                return False
            limit = min(reserved + max(count, self.block), self.threshold)
            guard = Check(path, 0 if entry is None else entry.version)
            try:
                await self.view.transact([guard, Put(path, str(limit).encode())])
            except StorageConflict:
                await asyncio.sleep(0)
                continue
            # Whatever was left of an older block is abandoned: over-counting is the safe side.
            self._blocks[slot] = _Block(reserved + count, limit)
            return True
        raise StorageConflict(detail="nonce counter kept changing")

    async def reserved(self, name: str, version: int) -> int:
        """How many encryptions storage says were reserved for a version (for tests, metrics)."""
        raw = await self.view.get(counter_path(name, version))
        return 0 if raw is None else int(raw)
