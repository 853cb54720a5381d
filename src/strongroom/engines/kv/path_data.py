"""KV v2 `data/:path` and `subkeys/:path` (Vault's kv-v2 API), and the catch-all below them.

A read of a deleted or destroyed version answers 404 *with* the data envelope (`data: null`
plus the version's metadata): hvac's `raise_on_deleted_version=False` depends on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.kv import documents, render
from strongroom.engines.kv.context import KvContext, is_folder, readable, writable
from strongroom.engines.kv.models import KeyMeta
from strongroom.engines.kv.store import Change, Mutation
from strongroom.engines.kv.versioning import add_version, check_cas, new_meta, soft_delete
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, UNSET, NoFields, Request, Response, UnsetType

SYNOPSIS = "Write, Patch, Read, and Delete data in the Key-Value Store."
DESCRIPTION = (
    "This path takes a key name and based on the operation stores, retrieves or deletes "
    "versions of data. Each write creates a new version; a patch merges into the latest one "
    "(RFC 7396); a delete marks the latest version deleted and can be undone."
)
SUBKEYS_SYNOPSIS = (
    "Read the structure of a secret entry from the Key-Value store with the values removed."
)
INVALID_PATH = (
    "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API "
    "endpoints to use. If using the Strongroom CLI, use 'strongroom kv get' for this operation."
)
Key = Annotated[str, Meta(description="Location of the secret.")]
Version = Annotated[
    int,
    Meta(description="If provided during a read, the value at the version number will be returned"),
]
Options = Annotated[
    dict[str, Any] | UnsetType,
    Meta(
        description='Options for writing a KV entry. Set the "cas" value to use a Check-And-Set '
        "operation. If not set the write will be allowed. If set to 0 a write will only be "
        "allowed if the key doesn't exist. If the index is non-zero the write will only be "
        "allowed if the key's current version matches the version specified in the cas parameter."
    ),
]
Data = Annotated[
    dict[str, Any] | UnsetType,
    Meta(description="The contents of the data map will be stored and returned on read."),
]


class DataRead(msgspec.Struct, frozen=True, kw_only=True):
    path: Key
    version: Version = 0


class DataWrite(msgspec.Struct, frozen=True, kw_only=True):
    """Also the fields of a patch: `data` is then the merge patch."""

    path: Key
    data: Data = UNSET
    options: Options = UNSET


class KeyOnly(msgspec.Struct, frozen=True, kw_only=True):
    path: Key


class SubkeysRead(msgspec.Struct, frozen=True, kw_only=True):
    path: Key
    version: Version = 0
    depth: Annotated[
        int,
        Meta(description="Specifies the deepest nesting level to provide in the output."),
    ] = 0


async def exists(kv: KvContext, captures: Mapping[str, str]) -> bool:
    """A write to a key with no metadata yet is a `create` (Vault's ExistenceCheck)."""
    return await kv.store.meta(captures.get("path", "")) is not None


def _data(fields: DataWrite) -> dict[str, Any]:
    if fields.data is UNSET:
        raise BadRequest("no data provided")
    return fields.data


def _cas(options: dict[str, Any] | UnsetType) -> int | None:
    """`options.cas` as an int, or None when absent. Vault accepts a number or a numeric string."""
    value = None if options is UNSET else options.get("cas")
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    raise BadRequest("error parsing check-and-set parameter")


async def _readable(
    kv: KvContext, fields: DataRead | SubkeysRead, empty: str
) -> tuple[KeyMeta, int]:
    """The metadata and version number a read names. Raises NotFound: bare when there is no
    such version, with the envelope (`empty` set to null) when it is deleted or destroyed."""
    meta = await kv.store.meta(readable(fields.path))
    if meta is None:
        raise NotFound
    number = fields.version if fields.version > 0 else meta.current
    entry = meta.versions.get(number)
    if entry is None:
        raise NotFound
    if not entry.readable(kv.now()):
        raise NotFound(data={empty: None, "metadata": render.version(meta, number)})
    return meta, number


async def read(kv: KvContext, _req: Request, fields: DataRead) -> Response:
    meta, number = await _readable(kv, fields, "data")
    data = await kv.store.data(meta, number)
    if data is None:
        raise NotFound
    return Response({"data": data, "metadata": render.version(meta, number)})


async def read_subkeys(kv: KvContext, _req: Request, fields: SubkeysRead) -> Response:
    if fields.depth < 0:
        raise BadRequest("depth must be a non-negative integer")
    meta, number = await _readable(kv, fields, "subkeys")
    data = await kv.store.data(meta, number)
    if data is None:
        raise NotFound
    subkeys = documents.subkeys(data, fields.depth)
    return Response({"metadata": render.version(meta, number), "subkeys": subkeys})


async def write(kv: KvContext, _req: Request, fields: DataWrite) -> Response:
    key = writable(fields.path)
    data = _data(fields)
    cas = _cas(fields.options)
    config = await kv.store.config()

    async def mutate(meta: KeyMeta | None) -> Change:
        now = kv.now()
        meta = meta or new_meta(now)
        check_cas(meta, config, cas)
        return add_version(meta, config, data, now)

    return await _written(kv, key, mutate)


async def patch(kv: KvContext, _req: Request, fields: DataWrite) -> Response:
    """JSON merge patch (RFC 7396) of the latest version into a new one; needs a live secret."""
    key = writable(fields.path)
    merge = _data(fields)
    cas = _cas(fields.options)
    config = await kv.store.config()

    async def mutate(meta: KeyMeta | None) -> Change:
        now = kv.now()
        entry = None if meta is None else meta.versions.get(meta.current)
        if meta is None or entry is None:
            raise NotFound
        check_cas(meta, config, cas)
        if not entry.readable(now):
            # Vault answers a patch of a deleted latest version with its metadata as the data.
            raise NotFound(data=render.version(meta, meta.current))
        current = await kv.store.data(meta, meta.current)
        if current is None:
            raise NotFound
        return add_version(meta, config, documents.merge_patch(current, merge), now)

    return await _written(kv, key, mutate)


async def _written(kv: KvContext, key: str, mutate: Mutation) -> Response:
    meta = await kv.store.update(key, mutate)
    if meta is None:  # unreachable: both mutations return a Change or raise
        raise NotFound
    return Response(render.version(meta, meta.current))


async def delete(kv: KvContext, _req: Request, fields: KeyOnly) -> Response:
    """`DELETE data/:path`: soft-delete the current version; nothing there is not an error."""
    if not is_folder(fields.path):

        async def mutate(meta: KeyMeta | None) -> Change | None:
            return None if meta is None else soft_delete(meta, [meta.current], kv.now())

        await kv.store.update(fields.path, mutate)
    return NO_CONTENT


async def invalid_path(_kv: KvContext, _req: Request, _fields: NoFields) -> Response:
    """Any other path below a v2 mount: Vault's 404 with a warning pointing at the right API."""
    return Response(None, status=404, warnings=[INVALID_PATH])
