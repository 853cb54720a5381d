"""KV v2 handlers for `metadata/:path`: read, write, patch, delete, and LIST of the key tree.

LIST pages with OpenBao's `after` and `limit` query parameters, straight through to the storage
listing (which seeks, so a folder of 100,000 keys costs one page per call).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from strongroom.core.fields import get_bool, get_duration
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.engines.kv import documents, params, render
from strongroom.engines.kv.models import KeyMeta
from strongroom.engines.kv.store import META, Change, KvStore
from strongroom.engines.kv.versioning import new_meta, remove_all
from strongroom.errors import BadRequest, NotFound


async def read_metadata(kv: KvStore, _req: Request, p: Mapping[str, str]) -> Response:
    meta = await kv.meta(params.readable_key(p))
    if meta is None:
        raise NotFound
    return Response(render.key_metadata(meta))


async def list_keys(kv: KvStore, req: Request, p: Mapping[str, str]) -> Response:
    """Keys and folders (ending in /) below a folder; an empty folder is a bare 404."""
    after, limit = params.list_window(req.data)
    keys = await kv.listing(META + p.get("path", ""), after, limit)
    if not keys:
        raise NotFound
    return Response({"keys": keys})


def _settings(body: Mapping[str, Any]) -> dict[str, Any]:
    """The scalar settings present in `body` (absent ones stay as they are)."""
    changes: dict[str, Any] = {}
    if "max_versions" in body:
        changes["max_versions"] = params.non_negative(body, "max_versions")
    if "cas_required" in body:
        changes["cas_required"] = get_bool(body, "cas_required")
    if "delete_version_after" in body:
        changes["delete_version_after"] = get_duration(body, "delete_version_after")
    return changes


async def write_metadata(kv: KvStore, req: Request, p: Mapping[str, str]) -> Response:
    """Create or update the key's settings; `custom_metadata`, when given, is replaced whole.

    Lowering max_versions trims nothing until the next data write, as in Vault.
    """
    key = params.writable_key(p)
    changes = _settings(req.data)
    if "custom_metadata" in req.data:
        changes["custom_metadata"] = params.custom_metadata(req.data["custom_metadata"])

    async def mutate(meta: KeyMeta | None) -> Change:
        now = kv.now()
        base = meta or new_meta(now)
        return Change(msgspec.structs.replace(base, updated=now, **changes))

    await kv.update(key, mutate)
    return NO_CONTENT


async def patch_metadata(kv: KvStore, req: Request, p: Mapping[str, str]) -> Response:
    """A JSON merge patch over an existing key's metadata: `custom_metadata` members merge."""
    key = params.writable_key(p)
    changes = _settings(req.data)
    patch = req.data.get("custom_metadata")
    if patch is not None and not isinstance(patch, dict):
        raise BadRequest('error converting input for field "custom_metadata": expected map')

    async def mutate(meta: KeyMeta | None) -> Change:
        if meta is None:
            raise NotFound
        custom = meta.custom_metadata
        if "custom_metadata" in req.data:
            merged = documents.merge_patch(custom or {}, patch)
            custom = params.custom_metadata(merged)
        updated = msgspec.structs.replace(meta, updated=kv.now(), custom_metadata=custom, **changes)
        return Change(updated)

    await kv.update(key, mutate)
    return NO_CONTENT


async def delete_metadata(kv: KvStore, _req: Request, p: Mapping[str, str]) -> Response:
    """Remove the key's metadata and every version in one transaction; absent is fine."""

    async def mutate(meta: KeyMeta | None) -> Change | None:
        return None if meta is None else remove_all(meta)

    await kv.update(params.writable_key(p), mutate)
    return NO_CONTENT
