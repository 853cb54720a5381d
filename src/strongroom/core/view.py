"""A storage view: the barrier seen through a fixed prefix, as handed to one mount.

Engines and auth methods get a `View` scoped to their mount and can reach nothing outside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from strongroom.storage.interface import Check, Delete, Entry, Op, Put


class Store(Protocol):
    """What the barrier offers above it: the storage contract with plaintext values."""

    async def get(self, path: str) -> bytes | None: ...
    async def get_entry(self, path: str) -> Entry | None: ...
    async def version(self, path: str) -> int: ...
    async def put(self, path: str, value: bytes) -> int: ...
    async def delete(self, path: str) -> None: ...
    async def list(
        self, prefix: str, after: str | None = None, limit: int | None = None
    ) -> list[str]: ...
    async def transact(self, ops: Sequence[Op]) -> None: ...


class View:
    def __init__(self, store: Store, prefix: str) -> None:
        self._store = store
        self.prefix = prefix

    async def get(self, key: str) -> bytes | None:
        return await self._store.get(self.prefix + key)

    async def get_entry(self, key: str) -> Entry | None:
        return await self._store.get_entry(self.prefix + key)

    async def version(self, key: str) -> int:
        """The storage version of `key` (0 if absent), without decrypting its value."""
        return await self._store.version(self.prefix + key)

    async def put(self, key: str, value: bytes) -> int:
        return await self._store.put(self.prefix + key, value)

    async def delete(self, key: str) -> None:
        await self._store.delete(self.prefix + key)

    async def list(
        self, prefix: str, after: str | None = None, limit: int | None = None
    ) -> list[str]:
        return await self._store.list(self.prefix + prefix, after, limit)

    async def transact(self, ops: Sequence[Op], *, outside: Sequence[Op] = ()) -> None:
        """Apply `ops` (paths below the view) atomically, together with `outside`: ops on
        paths the store sees whole, such as the configuration epoch a change must move."""
        await self._store.transact([*(self._scoped(op) for op in ops), *outside])

    def _scoped(self, op: Op) -> Op:
        if isinstance(op, Put):
            return Put(self.prefix + op.path, op.value)
        if isinstance(op, Delete):
            return Delete(self.prefix + op.path)
        return Check(self.prefix + op.path, op.version)


PURGE_PAGE = 1000  # keys listed per round: a mount (or a cubbyhole) may hold millions


async def purge(view: View) -> None:
    """Delete everything below `view`, a page at a time, folders depth first."""
    while page := await view.list("", limit=PURGE_PAGE):
        for key in page:
            if key.endswith("/"):
                await purge(View(view, key))
            else:
                await view.delete(key)
