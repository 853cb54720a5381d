"""A storage view: the barrier seen through a fixed prefix, as handed to one mount.

Engines and auth methods get a `View` scoped to their mount and can reach nothing outside it.

`View.update` is the one read-modify-write of the code base: read a record, let the caller
decide, write the decision guarded by a Check on the storage version that was read, and on a
lost race (another worker or node committed first) read again and decide again. Each lost
race means another writer committed, so no update is ever lost, and N contenders settle in at
most N rounds; the bound only stops a livelock from spinning forever.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Final, Generic, Literal, Protocol, TypeAlias, TypeVar

import msgspec

from strongroom.errors import InternalError, StorageConflict
from strongroom.storage.interface import Check, Delete, Entry, Op, Put

T = TypeVar("T")
UPDATE_ATTEMPTS = 1000


class Verdict(Enum):
    """What a mutation may answer instead of a new value."""

    UNCHANGED = "unchanged"  # write nothing; `update` returns the value as read
    DELETE = "delete"  # remove the record


UNCHANGED: Final = Verdict.UNCHANGED
DELETE: Final = Verdict.DELETE


@dataclass(frozen=True, slots=True)
class Write(Generic[T]):
    """A mutation's decision with more to commit in the same transaction: `also` are ops
    below the view (index keys, further Checks), `outside` ops the store sees whole (the
    configuration epoch)."""

    value: T | Literal[Verdict.DELETE]
    also: Sequence[Op] = ()
    outside: Sequence[Op] = ()


Outcome: TypeAlias = T | Write[T] | Verdict
Mutation: TypeAlias = Callable[[T | None], Outcome[T] | Awaitable[Outcome[T]]]


@dataclass(frozen=True, slots=True)
class Updated(Generic[T]):
    """The record as the deciding attempt read it (`before`) and as it is now (`after`);
    None is absent. `written` is False for an UNCHANGED verdict (then `after is before`)."""

    before: T | None
    after: T | None
    written: bool


def stored(value: object) -> bytes:
    """`update`'s default encoding: bytes as they are, anything else as msgspec JSON."""
    return value if isinstance(value, bytes) else msgspec.json.encode(value)


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

    async def update(
        self,
        key: str,
        decode: Callable[[bytes], T | None],
        mutate: Mutation[T],
        *,
        encode: Callable[[T], bytes] = stored,
    ) -> Updated[T]:
        """Apply `mutate` to the record at `key` atomically, retrying on a lost race.

        `decode` turns the stored bytes into a value (None: treat as absent); `mutate` (plain
        or async) gets that value, or None, and answers the new value, DELETE, UNCHANGED or a
        `Write`. On a conflict `mutate` runs again on what is stored then, so it must not act
        outside storage. Errors raised by `decode` or `mutate` propagate. Raises InternalError
        if the record kept changing for UPDATE_ATTEMPTS rounds.
        """
        for _ in range(UPDATE_ATTEMPTS):
            entry = await self.get_entry(key)
            before = None if entry is None else decode(entry.value)
            outcome = mutate(before)
            decided = await outcome if inspect.isawaitable(outcome) else outcome
            if decided is UNCHANGED:
                return Updated(before, before, written=False)
            write = decided if isinstance(decided, Write) else Write(decided)
            guard = Check(key, 0 if entry is None else entry.version)
            record: Op = Delete(key) if write.value is DELETE else Put(key, encode(write.value))
            try:
                await self.transact([guard, record, *write.also], outside=write.outside)
            except StorageConflict:
                await asyncio.sleep(0)  # let the winner's caller run before we re-read
                continue
            return Updated(before, None if write.value is DELETE else write.value, written=True)
        raise InternalError(detail=f"storage record kept changing for {UPDATE_ATTEMPTS} rounds")

    def _scoped(self, op: Op) -> Op:
        if isinstance(op, Put):
            return Put(self.prefix + op.path, op.value)
        if isinstance(op, Delete):
            return Delete(self.prefix + op.path)
        return Check(self.prefix + op.path, op.version)


RETRY_ROUNDS = 1000  # each lost race means another writer committed: contenders settle fast


async def retrying(attempt: Callable[[], Awaitable[T]], what: str = "storage") -> T:
    """Run `attempt` (a whole read-decide-write) until it commits without a StorageConflict,
    for writes `update` cannot express (several records guarded at once). Raises
    InternalError, naming `what` in the operator log, if contention never settles."""
    for _ in range(RETRY_ROUNDS):
        try:
            return await attempt()
        except StorageConflict:
            await asyncio.sleep(0)  # let the winner's caller run before we re-read
    raise InternalError(detail=f"{what}: storage contention did not settle")


PURGE_PAGE = 1000  # keys listed per round: a mount (or a cubbyhole) may hold millions


async def purge(view: View) -> None:
    """Delete everything below `view`, a page at a time, folders depth first."""
    while page := await view.list("", limit=PURGE_PAGE):
        for key in page:
            if key.endswith("/"):
                await purge(View(view, key))
            else:
                await view.delete(key)
