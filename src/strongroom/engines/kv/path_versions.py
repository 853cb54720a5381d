"""KV v2 `delete/:path`, `undelete/:path` and `destroy/:path`.

Each takes a `versions` list; versions that do not exist are skipped silently and a missing key
answers 204, exactly as Vault does.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.kv.context import KvContext, writable
from strongroom.engines.kv.models import KeyMeta
from strongroom.engines.kv.path_data import Key
from strongroom.engines.kv.store import Change
from strongroom.engines.kv.versioning import destroy, soft_delete, undelete
from strongroom.errors import BadRequest
from strongroom.logical import NO_CONTENT, Request, Response


class Versions(msgspec.Struct, frozen=True, kw_only=True):
    path: Key
    versions: Annotated[
        list[int], Meta(description="The versions to act on: a list, or '1,2' as one string.")
    ] = []


def _numbers(fields: Versions) -> list[int]:
    if not fields.versions:
        raise BadRequest("No version number provided")
    return fields.versions


async def delete_versions(kv: KvContext, _req: Request, fields: Versions) -> Response:
    numbers = _numbers(fields)

    async def mutate(meta: KeyMeta | None) -> Change | None:
        return None if meta is None else soft_delete(meta, numbers, kv.now())

    await kv.store.update(writable(fields.path), mutate)
    return NO_CONTENT


async def undelete_versions(kv: KvContext, _req: Request, fields: Versions) -> Response:
    numbers = _numbers(fields)
    config = await kv.store.config()

    async def mutate(meta: KeyMeta | None) -> Change | None:
        return None if meta is None else undelete(meta, config, numbers, kv.now())

    await kv.store.update(writable(fields.path), mutate)
    return NO_CONTENT


async def destroy_versions(kv: KvContext, _req: Request, fields: Versions) -> Response:
    """Marks the versions destroyed and erases their ciphertext in the same transaction."""
    numbers = _numbers(fields)

    async def mutate(meta: KeyMeta | None) -> Change | None:
        return None if meta is None else destroy(meta, numbers)

    await kv.store.update(writable(fields.path), mutate)
    return NO_CONTENT


# `<verb>/:path`, its handler and Vault's synopsis, one path each in the table.
ACTIONS = (
    ("delete", delete_versions, "Marks one or more versions as deleted in the KV store."),
    ("undelete", undelete_versions, "Undeletes one or more versions from the KV store."),
    ("destroy", destroy_versions, "Permanently removes one or more versions in the KV store"),
)
