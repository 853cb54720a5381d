"""The rate limiter every worker process of one node shares: fixed windows in a mapped file.

Vault counts requests per quota and client address on each node ("rate limit quotas are not
replicated"). Strongroom serves one node from several worker processes, so the count must be
shared by them, and the check sits on every request's path, so it must not cost an IPC round
trip. The options, and why this one:

- a token bucket per worker with `rate / workers` each: cheap but not exact (a client whose
  connections land on one worker gets a fraction of its quota, and the node admits up to
  `workers` times the burst when they spread);
- batching through the keeper: exact only if every decision waits for the keeper, which is the
  round trip we are avoiding; approximate otherwise;
- **a small shared table in a mapped file** (chosen): the node's runtime directory (the
  supervisor's private 0700 directory, next to the keeper socket) holds `quotas.shm`; every
  worker maps it. A decision is a few reads and writes in that mapping under a POSIX record
  lock (`fcntl.lockf`) on the stripe of the table that holds the key: two system calls, no
  round trip, and exact across workers. A worker that dies holding a lock loses it with its
  process, so nothing can wedge.

Table layout: `stripes` stripes of `slots_per_stripe` slots of 48 bytes (`key`, `window`,
`count`, `blocked_until`, `expires`), all zero when new, so a fresh file needs no header. A key
(16 bytes of BLAKE2b over the quota's state id and the client address) lives in the stripe its
first bytes pick, in any free slot of that stripe. A slot is free once its window is over and
its block has ended (`expires`); if a stripe holds only live keys, the one expiring first is
reused (that client then starts a fresh window: the table fails open for it, never closed for
others). 256 stripes of 32 slots (384 KiB) hold 8,192 live quota-and-client pairs.

Algorithm: a fixed window per key, aligned to multiples of `interval` since the epoch, admits
the first `limit` requests of each window (exact: exactly `min(n, limit)` of `n` requests, as
the property test checks); Vault's limiter (go-limiter's memory store) does the same with
windows aligned to the key's first request. Once a request is refused and the quota has a
`block_interval`, every request of that key is refused until the block ends.

Without a runtime directory (tests, tools) the table is an anonymous mapping private to the
process, whose event loop already serialises every decision.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import math
import os
import struct
from dataclasses import dataclass
from pathlib import Path

from strongroom.clock import Clock
from strongroom.mapped import MappedFile

__all__ = ["Decision", "SharedLimiter", "limiter_key", "node_state_path"]

STATE_FILE = "quotas.shm"
# The supervisor hands its workers the keeper socket in this variable (server/worker.py `ENV`);
# the socket's directory is the node's private runtime directory. Read here, not imported, as
# the core must not import the server layer above it.
_WORKER_ENV = "STRONGROOM_WORKER"
_SLOT = struct.Struct("<16sqqdd")  # key, window, count, blocked_until, expires
_EMPTY = bytes(16)
STRIPES = 256
SLOTS_PER_STRIPE = 32


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """The outcome of one request: admitted or not, and Vault's rate-limit header values."""

    allowed: bool
    limit: int
    remaining: int
    reset: float  # seconds until the current window ends
    retry_after: float  # seconds until a refused client may try again (0 when admitted)


def limiter_key(state_id: str, client: str) -> bytes:
    """The table key of one quota (by its state id) and one client address."""
    return hashlib.blake2b(f"{state_id}\0{client}".encode(), digest_size=16).digest()


def node_state_path() -> str | None:
    """The node's shared table file, or None outside a multi-worker server."""
    spec = os.environ.get(_WORKER_ENV)
    if not spec:
        return None
    try:
        keeper = json.loads(spec)["keeper"]
    except (ValueError, KeyError, TypeError):
        return None
    return str(Path(keeper).parent / STATE_FILE) if isinstance(keeper, str) else None


class SharedLimiter:
    """Fixed-window counters shared by every process that maps the same file."""

    def __init__(
        self,
        clock: Clock,
        path: str | None = None,
        *,
        stripes: int = STRIPES,
        slots_per_stripe: int = SLOTS_PER_STRIPE,
    ) -> None:
        self._clock = clock
        self._stripes = stripes
        self._stripe_bytes = slots_per_stripe * _SLOT.size
        self._file = MappedFile(path, stripes * self._stripe_bytes)
        self._map = self._file.map

    def close(self) -> None:
        self._file.close()

    def take(self, key: bytes, limit: int, interval: float, block: float) -> Decision:
        """Count one request of `key` against `limit` per `interval` seconds; refuse it when the
        window is full (then block the key for `block` seconds, if set) or while blocked."""
        now = self._clock.now()
        window = math.floor(now / interval)
        reset = (window + 1) * interval - now
        stripe = int.from_bytes(key[:4], "little") % self._stripes
        self._lock(stripe, fcntl.LOCK_EX)
        try:
            offset = self._find(stripe, key, now)
            _key, seen, count, blocked_until, _expires = _SLOT.unpack_from(self._map, offset)
            if blocked_until > now:
                return _refused(limit, reset, blocked_until - now)
            if seen != window:
                count = 0
            allowed = count < limit
            if allowed:
                count += 1
            elif block > 0:
                blocked_until = now + block
            expires = max((window + 1) * interval, blocked_until)
            _SLOT.pack_into(self._map, offset, key, window, count, blocked_until, expires)
        finally:
            self._lock(stripe, fcntl.LOCK_UN)
        if allowed:
            return Decision(
                allowed=True, limit=limit, remaining=limit - count, reset=reset, retry_after=0.0
            )
        return _refused(limit, reset, blocked_until - now if blocked_until > now else reset)

    def _find(self, stripe: int, key: bytes, now: float) -> int:
        """The offset of `key`'s slot in `stripe`, claiming a free (or the stalest) one."""
        base = stripe * self._stripe_bytes
        end = base + self._stripe_bytes
        found = self._map.find(key, base, end)  # a C scan; only slot-aligned hits count
        while found >= 0 and (found - base) % _SLOT.size:
            found = self._map.find(key, found + 1, end)
        if found >= 0:
            return found
        claimed, soonest = base, math.inf
        for offset in range(base, end, _SLOT.size):
            slot_key, _w, _c, _b, expires = _SLOT.unpack_from(self._map, offset)
            if slot_key == _EMPTY or expires <= now:
                claimed = offset
                break
            if expires < soonest:
                claimed, soonest = offset, expires
        _SLOT.pack_into(self._map, claimed, key, -1, 0, 0.0, 0.0)
        return claimed

    def _lock(self, stripe: int, operation: int) -> None:
        """Take or drop the record lock on `stripe`."""
        self._file.lock(stripe * self._stripe_bytes, self._stripe_bytes, operation)


def _refused(limit: int, reset: float, retry_after: float) -> Decision:
    return Decision(allowed=False, limit=limit, remaining=0, reset=reset, retry_after=retry_after)
