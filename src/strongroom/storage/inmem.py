"""Layer 1 in-memory backend: the reference implementation of the storage contract.

Used by `server -dev` and by tests of the layers above. Nothing survives the process. The
sorted key list makes `list` a handful of bisects, the same seek strategy the durable backends
use, so behaviour (ordering, folders, `after`, `limit`) is identical by construction.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from typing import TYPE_CHECKING

from strongroom.errors import StorageConflict
from strongroom.storage._listing import list_segments
from strongroom.storage._paths import check_ops, check_path, check_value
from strongroom.storage.interface import Check, Delete, Entry, Put

if TYPE_CHECKING:
    from collections.abc import Sequence

    from strongroom.storage.interface import Op


class InmemBackend:
    """An ordered dict with a global version counter; safe within one event loop."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._keys: list[str] = []  # sorted; code point order == bytewise UTF-8 order
        self._version = 0

    def _put(self, path: str, value: bytes) -> int:
        # One counter for every path, so a deleted and recreated path never repeats a version.
        self._version += 1
        if path not in self._entries:
            insort(self._keys, path)
        self._entries[path] = Entry(value, self._version)
        return self._version

    def _delete(self, path: str) -> None:
        if self._entries.pop(path, None) is not None:
            del self._keys[bisect_left(self._keys, path)]

    async def get(self, path: str) -> Entry | None:
        return self._entries.get(check_path(path))

    async def put(self, path: str, value: bytes) -> int:
        return self._put(check_path(path), check_value(value))

    async def delete(self, path: str) -> None:
        self._delete(check_path(path))

    async def list(
        self, prefix: str, after: str | None = None, limit: int | None = None
    ) -> list[str]:
        async def fetch(start: str, inclusive: bool, n: int) -> list[str]:
            bound = bisect_left if inclusive else bisect_right
            i = bound(self._keys, start)
            return self._keys[i : i + n]

        return await list_segments(fetch, prefix, after, limit)

    async def transact(self, ops: Sequence[Op]) -> None:
        checked = check_ops(ops)
        # No await between the checks and the writes: nothing else can interleave.
        for op in checked:
            if isinstance(op, Check):
                entry = self._entries.get(op.path)
                if (entry.version if entry else 0) != op.version:
                    raise StorageConflict(detail="storage check failed")
        for op in checked:
            if isinstance(op, Put):
                self._put(op.path, op.value)
            elif isinstance(op, Delete):
                self._delete(op.path)

    async def close(self) -> None:
        """Nothing to release; the data simply goes away with the object."""
