"""What every database handler is given: the `Database` service (store, this worker's plugins,
clock, passwords, lease TTLs) and the static roles' `Rotations` built on it, plus the pieces
several path groups share: the name pattern, LIST pagination and statement lists.

A `DatabaseContext` is built once per backend instance (a mount entry), so handlers stay pure
over it and their typed fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, TypeVar

import msgspec
from msgspec import Meta

from strongroom.engines.database.rotation import Rotations
from strongroom.engines.database.service import Database
from strongroom.engines.database.store import DatabaseStore
from strongroom.errors import NotFound
from strongroom.logical import MountContext, Response, UnsetType, named

ONE = named("name")  # Vault's framework.GenericNameRegex
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DatabaseContext:
    db: Database
    rotations: Rotations

    @classmethod
    def of(cls, mount: MountContext) -> DatabaseContext:

        db = Database(
            store=DatabaseStore(mount.view),
            clock=mount.clock,
            passwords=mount.passwords,
            lease_ttls=mount.lease_ttls,
            emit=mount.emit,
        )
        return cls(db, Rotations(db))


class Named(msgspec.Struct, frozen=True, kw_only=True):
    """The fields of an operation on one named object that takes nothing else."""

    name: Annotated[str, Meta(description="Name of the object.")]


class Listing(msgspec.Struct, frozen=True, kw_only=True):
    """OpenBao's LIST pagination."""

    after: Annotated[
        str, Meta(description="Optional entry to begin listing after; not required to exist.")
    ] = ""
    limit: Annotated[
        int, Meta(description="Optional number of entries to return; defaults to all entries.")
    ] = 0

    def window(self) -> tuple[str | None, int | None]:
        """`after` (exclusive) and `limit` (<= 0 means no limit), as the store takes them."""
        return self.after or None, (self.limit if self.limit > 0 else None)


def keys(names: Sequence[str]) -> Response:
    """A LIST answer; an empty listing is a bare 404, as in Vault."""
    if not names:
        raise NotFound
    return Response({"keys": list(names)})


def statements(given: Sequence[str]) -> list[str]:
    """A statement list as stored: blank entries dropped."""
    return [statement for statement in given if statement.strip()]


def kept(value: T | UnsetType, current: T) -> T:
    """A field's new value: the one sent, else the stored one (Vault's GetOk on update)."""
    return current if isinstance(value, UnsetType) else value
