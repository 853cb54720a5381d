"""Node-wide counts of the log-in attempts being checked, for the log-in lockout of AppRole,
userpass and LDAP (see `logical/lockout.py`): a table of buckets in a file beside the SQLite
database, mapped by every worker process that opens the database, each bucket guarded by a
record lock.

Why not in storage, and why this file is enough. A reservation in storage is a checked write,
which SQLite commits with an fsync (synchronous=FULL), before every log-in and again after it;
concurrent log-ins of one pair all rewrite one record. Here a reservation is a few reads and
writes in the mapping under a lock: no fsync, no round trip. Only the attempts *in flight* live
here; the failures stay in storage, written (and fsync'd) before their place is given back, so
an answer never leaves before its failure is durable. The in-flight count needs no such care:
SQLite in WAL mode serves only processes on one host (sqlite.org/wal.html, "all processes
using a database must be on the same host computer"), so every process that can check an
attempt maps this very file, and a crash of the host that loses the file's unwritten pages
ends every attempt they counted too: nothing still being checked can be left uncounted. A
worker killed in the middle of a check keeps its place until the bucket lapses (the mount's
`lockout_counter_reset` after the last attempt), failing closed as a reservation in storage
would. PostgreSQL storage may be shared by other nodes, which this file cannot see: there the
reservation stays a checked write in storage (`node_attempts` answers None).

Buckets are picked by the first bytes of the caller's key (a salted HMAC, so no client can aim
at another's bucket); two keys meeting in one bucket share its count, which can only make them
wait, never let an attempt go uncounted.
"""

from __future__ import annotations

import fcntl
import struct

from strongroom.mapped import MappedFile
from strongroom.storage.inmem import InmemBackend
from strongroom.storage.interface import Backend
from strongroom.storage.sqlite import SqliteBackend

BUCKETS = 4096
SUFFIX = "-attempts"  # beside SQLite's own "-wal" and "-shm" files
# Attempts held, the generation they were taken in, when they lapse (seconds since the epoch).
_BUCKET = struct.Struct("<qqd")


class AttemptTable:
    """Attempts in flight per key, shared by every process that maps the same file."""

    def __init__(self, path: str | None = None, buckets: int = BUCKETS) -> None:
        self._buckets = buckets
        self._file = MappedFile(path, buckets * _BUCKET.size)

    def close(self) -> None:
        self._file.close()

    def hold(self, key: bytes, limit: int, now: float, lapse: float) -> tuple[int, int] | None:
        """Take a place for `key` if fewer than `limit` are held: how many are held with it, and
        the bucket's generation to give it back to; None if none was taken. The bucket lapses
        `lapse` seconds from now: then its count starts again from nothing, in a new
        generation, and the places of the old one are forgotten."""
        offset = self._offset(key)
        self._file.lock(offset, _BUCKET.size, fcntl.LOCK_EX)
        try:
            held, generation, lapses = _BUCKET.unpack_from(self._file.map, offset)
            if now >= lapses:
                held, generation = 0, generation + 1
            if held >= limit:
                return None
            _BUCKET.pack_into(
                self._file.map, offset, held + 1, generation, max(lapses, now + lapse)
            )
            return held + 1, generation
        finally:
            self._file.lock(offset, _BUCKET.size, fcntl.LOCK_UN)

    def release(self, key: bytes, generation: int) -> None:
        """Give back a place `hold` took for `key` in `generation` (nothing if it lapsed)."""
        offset = self._offset(key)
        self._file.lock(offset, _BUCKET.size, fcntl.LOCK_EX)
        try:
            held, current, lapses = _BUCKET.unpack_from(self._file.map, offset)
            if current == generation and held > 0:
                _BUCKET.pack_into(self._file.map, offset, held - 1, current, lapses)
        finally:
            self._file.lock(offset, _BUCKET.size, fcntl.LOCK_UN)

    def _offset(self, key: bytes) -> int:
        return int.from_bytes(key[:4], "little") % self._buckets * _BUCKET.size


def node_attempts(physical: Backend) -> AttemptTable | None:
    """The attempt table of the node over `physical`: beside a SQLite file, private to the
    process in memory, None for storage other nodes may share (the counts stay in storage)."""
    if isinstance(physical, SqliteBackend):
        return AttemptTable(physical.path + SUFFIX)
    if isinstance(physical, InmemBackend):
        return AttemptTable()
    return None
