"""The database engine's storage layout and its one checked write primitive.

Layout below the mount's view (Vault's), every value sealed by the barrier:

    config/<name>        DatabaseConfig
    role/<name>          Role
    static-role/<name>   StaticRole, with its rotation state

Configs and static roles change by checked read-modify-write (`update`, over `View.update`):
the write carries a Check on the storage version that was read, so of two workers (or nodes)
changing one record, one commits and the other re-reads and decides again. That is what
makes a rotation happen once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import msgspec

from strongroom.engines.database.models import (
    CONFIG_DECODER,
    ROLE_DECODER,
    STATIC_DECODER,
    DatabaseConfig,
    Role,
    StaticRole,
    encode,
)
from strongroom.errors import StorageConflict
from strongroom.logical import DELETE, UNCHANGED, Verdict, View
from strongroom.storage.interface import Check, Delete, Op, Put

CONFIG = "config/"
ROLE = "role/"
STATIC_ROLE = "static-role/"

T = TypeVar("T", bound=msgspec.Struct)


@dataclass(frozen=True, slots=True)
class Versioned(Generic[T]):
    """A record as read, with the storage version a checked write must match."""

    record: T
    version: int


class DatabaseStore:
    def __init__(self, view: View) -> None:
        self.view = view

    # -- configs -------------------------------------------------------------------------------

    async def config(self, name: str) -> Versioned[DatabaseConfig] | None:
        entry = await self.view.get_entry(CONFIG + name)
        if entry is None:
            return None
        return Versioned(CONFIG_DECODER.decode(entry.value), entry.version)

    async def config_names(self, after: str | None = None, limit: int | None = None) -> list[str]:
        return await self.view.list(CONFIG, after, limit)

    async def delete_config(self, name: str) -> None:
        await self.view.delete(CONFIG + name)

    # -- dynamic roles -------------------------------------------------------------------------

    async def role(self, name: str) -> Role | None:
        blob = await self.view.get(ROLE + name)
        return None if blob is None else ROLE_DECODER.decode(blob)

    async def put_role(self, name: str, role: Role) -> None:
        await self.view.put(ROLE + name, encode(role))

    async def delete_role(self, name: str) -> None:
        await self.view.delete(ROLE + name)

    async def role_names(self, after: str | None = None, limit: int | None = None) -> list[str]:
        return await self.view.list(ROLE, after, limit)

    # -- static roles --------------------------------------------------------------------------

    async def static_role(self, name: str) -> Versioned[StaticRole] | None:
        entry = await self.view.get_entry(STATIC_ROLE + name)
        if entry is None:
            return None
        return Versioned(STATIC_DECODER.decode(entry.value), entry.version)

    async def static_names(self, after: str | None = None, limit: int | None = None) -> list[str]:
        return await self.view.list(STATIC_ROLE, after, limit)

    # -- checked writes ------------------------------------------------------------------------

    async def write(self, path: str, record: msgspec.Struct | None, version: int) -> bool:
        """Put (or delete, for None) `path` iff it is still at `version` (0: absent).
        Returns False when another writer got there first."""
        op: Op = Delete(path) if record is None else Put(path, encode(record))
        try:
            await self.view.transact([Check(path, version), op])
        except StorageConflict:
            return False
        return True

    async def update(
        self,
        path: str,
        decoder: msgspec.json.Decoder[T],
        mutate: Callable[[T | None], Awaitable[T | None]],
    ) -> T | None:
        """Apply `mutate` to the record at `path` atomically (`View.update`); returns the
        record as stored. `mutate` returning its input writes nothing; None deletes."""

        async def decide(before: T | None) -> T | Verdict:
            after = await mutate(before)
            if after is before:
                return UNCHANGED
            return DELETE if after is None else after

        return (await self.view.update(path, decoder.decode, decide)).after
