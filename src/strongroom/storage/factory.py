"""Layer 1 entry point: turn the `storage` stanza of the server config into a `Backend`.

Errors are plain `ValueError`s naming the offending option key and never its value (a
connection URL carries a password); the config layer turns them into config errors.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from strongroom.storage.inmem import InmemBackend
from strongroom.storage.postgresql import PostgresBackend
from strongroom.storage.sqlite import SqliteBackend

if TYPE_CHECKING:
    from collections.abc import Mapping

    from strongroom.storage.interface import Backend

KINDS = ("inmem", "postgresql", "sqlite")


def _required(options: Mapping[str, str], kind: str, key: str) -> str:
    value = options.get(key)
    if not value:
        raise ValueError(f"storage {kind}: option {key!r} is required")
    return value


async def open_backend(kind: str, options: Mapping[str, str]) -> Backend:
    """Open the backend of `kind`; options other than the ones it reads are ignored."""
    if kind == "inmem":
        return InmemBackend()
    if kind == "sqlite":
        path = _required(options, kind, "path")
        # Opening creates the schema and may wait on another worker's write lock: off the loop.
        return await asyncio.to_thread(SqliteBackend, path)
    if kind == "postgresql":
        url = _required(options, kind, "connection_url")
        return await PostgresBackend.open(url, table=options.get("table") or "strongroom_kv")
    raise ValueError(f"storage: unknown backend kind; supported kinds are {', '.join(KINDS)}")
