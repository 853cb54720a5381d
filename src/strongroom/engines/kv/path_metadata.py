"""KV v2 `metadata/:path`: read, write, patch, delete, and LIST of the key tree.

LIST pages with OpenBao's `after` and `limit` query parameters, straight through to the storage
listing (which seeks, so a folder of 100,000 keys costs one page per call). Vault's own
`custom_metadata` messages sometimes repeat the offending key; ours name only the rule, since a
key name may itself be sensitive.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.kv import documents, render
from strongroom.engines.kv.context import KvContext, readable, writable
from strongroom.engines.kv.models import KeyMeta
from strongroom.engines.kv.path_config import settings
from strongroom.engines.kv.path_data import Key, KeyOnly
from strongroom.engines.kv.store import META, Change
from strongroom.engines.kv.versioning import new_meta, remove_all
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, UNSET, Duration, Request, Response, UnsetType

SYNOPSIS = "Allows interaction with key metadata and settings in the KV store."
DESCRIPTION = (
    "This endpoint allows creating, reading, updating and deleting the key's metadata and "
    "settings; a LIST of a folder returns the keys and folders below it."
)
# Vault's kv-v2 custom_metadata limits ("Create/Update metadata" API docs).
MAX_CUSTOM_KEYS = 64
MAX_CUSTOM_KEY_BYTES = 128
MAX_CUSTOM_VALUE_BYTES = 512
_NOT_STRINGS = 'error converting input for field "custom_metadata": expected map of strings'


class MetadataWrite(msgspec.Struct, frozen=True, kw_only=True):
    """Also the fields of a patch: `custom_metadata` is then a merge patch (null removes)."""

    path: Key
    max_versions: Annotated[
        int | UnsetType,
        Meta(
            description="The number of versions to keep. If not set, the backend's configured "
            "max version is used."
        ),
    ] = UNSET
    cas_required: Annotated[
        bool | UnsetType,
        Meta(
            description="If true the key will require the cas parameter to be set on all "
            "write requests. If false, the backend's configuration will be used."
        ),
    ] = UNSET
    delete_version_after: Annotated[
        Duration | UnsetType,
        Meta(
            description="The length of time before a version is deleted. If not set, the "
            "backend's configured delete_version_after is used. Cannot be greater than the "
            "backend's delete_version_after. A zero duration clears the current setting."
        ),
    ] = UNSET
    custom_metadata: Annotated[
        dict[str, Any] | UnsetType | None,
        Meta(
            description="User-provided key-value pairs that are used to describe arbitrary and "
            "version-agnostic information about a secret."
        ),
    ] = UNSET


class MetadataList(msgspec.Struct, frozen=True, kw_only=True):
    path: Key
    after: Annotated[
        str,
        Meta(description="Optional entry to list begin listing after, not required to exist."),
    ] = ""
    limit: Annotated[
        int, Meta(description="Optional number of entries to return; defaults to all entries.")
    ] = 0


def window(fields: MetadataList) -> tuple[str | None, int | None]:
    """OpenBao's LIST pagination: `after` (exclusive) and `limit` (<= 0 means no limit)."""
    return fields.after or None, (fields.limit if fields.limit > 0 else None)


def custom_metadata(value: Mapping[str, Any] | None) -> dict[str, str] | None:
    """A validated `custom_metadata` map; an empty map or null clears it (None).

    Numbers are accepted and kept as their decimal text, as Vault's weakly typed decoding does.
    """
    if value is None:
        return None
    result: dict[str, str] = {}
    for key, raw in value.items():
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise BadRequest(_NOT_STRINGS)
        result[key] = raw if isinstance(raw, str) else str(raw)
    check_custom_metadata(result)
    return result or None


def check_custom_metadata(value: Mapping[str, str]) -> None:
    """Raises BadRequest if `value` breaks Vault's limits on count and sizes."""
    if len(value) > MAX_CUSTOM_KEYS:
        raise BadRequest(
            f"custom_metadata validation failed: payload must contain at most "
            f"{MAX_CUSTOM_KEYS} keys, provided {len(value)}"
        )
    for key, item in value.items():
        size = len(key.encode())
        if not 0 < size <= MAX_CUSTOM_KEY_BYTES:
            raise BadRequest(
                f"custom_metadata validation failed: length of key is {size} "
                f"but must be 0 < len(key) <= {MAX_CUSTOM_KEY_BYTES}"
            )
        size = len(item.encode())
        if not 0 < size <= MAX_CUSTOM_VALUE_BYTES:
            raise BadRequest(
                f"custom_metadata validation failed: length of value is {size} "
                f"but must be 0 < len(value) <= {MAX_CUSTOM_VALUE_BYTES}"
            )


async def read(kv: KvContext, _req: Request, fields: KeyOnly) -> Response:
    meta = await kv.store.meta(readable(fields.path))
    if meta is None:
        raise NotFound
    return Response(render.key_metadata(meta))


async def list_keys(kv: KvContext, _req: Request, fields: MetadataList) -> Response:
    """Keys and folders (ending in /) below a folder; an empty folder is a bare 404."""
    keys = await kv.store.listing(META + fields.path, *window(fields))
    if not keys:
        raise NotFound
    return Response({"keys": keys})


async def write(kv: KvContext, _req: Request, fields: MetadataWrite) -> Response:
    """Create or update the key's settings; `custom_metadata`, when given, is replaced whole.

    Lowering max_versions trims nothing until the next data write, as in Vault.
    """
    key = writable(fields.path)
    changes = settings(fields)
    if fields.custom_metadata is not UNSET:
        changes["custom_metadata"] = custom_metadata(fields.custom_metadata)

    async def mutate(meta: KeyMeta | None) -> Change:
        now = kv.now()
        base = meta or new_meta(now)
        return Change(msgspec.structs.replace(base, updated=now, **changes))

    await kv.store.update(key, mutate)
    return NO_CONTENT


async def patch(kv: KvContext, _req: Request, fields: MetadataWrite) -> Response:
    """A JSON merge patch over an existing key's metadata: `custom_metadata` members merge."""
    key = writable(fields.path)
    changes = settings(fields)
    merge = fields.custom_metadata

    async def mutate(meta: KeyMeta | None) -> Change:
        if meta is None:
            raise NotFound
        custom = meta.custom_metadata
        if merge is not UNSET:
            custom = custom_metadata(documents.merge_patch(custom or {}, merge))
        updated = msgspec.structs.replace(meta, updated=kv.now(), custom_metadata=custom, **changes)
        return Change(updated)

    await kv.store.update(key, mutate)
    return NO_CONTENT


async def delete(kv: KvContext, _req: Request, fields: KeyOnly) -> Response:
    """Remove the key's metadata and every version in one transaction; absent is fine."""

    async def mutate(meta: KeyMeta | None) -> Change | None:
        return None if meta is None else remove_all(meta)

    await kv.store.update(writable(fields.path), mutate)
    return NO_CONTENT
