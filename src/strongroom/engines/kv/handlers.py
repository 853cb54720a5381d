"""KV v2 handlers for `config`, `data/:path` and `subkeys/:path` (Vault's kv-v2 API).

A read of a deleted or destroyed version answers 404 *with* the data envelope (`data: null`
plus the version's metadata): hvac's `raise_on_deleted_version=False` depends on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from strongroom.core.fields import get_bool, get_duration
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.engines.kv import documents, params, render
from strongroom.engines.kv.models import KeyMeta
from strongroom.engines.kv.store import Change, KvStore, Mutation
from strongroom.engines.kv.versioning import add_version, check_cas, new_meta, soft_delete
from strongroom.errors import NotFound

INVALID_PATH = (
    "Invalid path for a versioned K/V secrets engine. See the API docs for the appropriate API "
    "endpoints to use. If using the Strongroom CLI, use 'strongroom kv get' for this operation."
)


async def read_config(kv: KvStore, _req: Request, _p: Mapping[str, str]) -> Response:
    return Response(render.config(await kv.config()))


async def write_config(kv: KvStore, req: Request, _p: Mapping[str, str]) -> Response:
    """Only the fields present change, as in Vault."""
    changes: dict[str, Any] = {}
    if "max_versions" in req.data:
        changes["max_versions"] = params.non_negative(req.data, "max_versions")
    if "cas_required" in req.data:
        changes["cas_required"] = get_bool(req.data, "cas_required")
    if "delete_version_after" in req.data:
        changes["delete_version_after"] = get_duration(req.data, "delete_version_after")
    await kv.put_config(msgspec.structs.replace(await kv.config(), **changes))
    return NO_CONTENT


async def _readable(kv: KvStore, req: Request, key: str, empty: str) -> tuple[KeyMeta, int]:
    """The metadata and version number a read names. Raises NotFound: bare when there is no
    such version, with the envelope (`empty` set to null) when it is deleted or destroyed."""
    wanted = params.version(req.data)
    meta = await kv.meta(key)
    if meta is None:
        raise NotFound
    number = wanted if wanted > 0 else meta.current
    entry = meta.versions.get(number)
    if entry is None:
        raise NotFound
    if not entry.readable(kv.now()):
        raise NotFound(data={empty: None, "metadata": render.version(meta, number)})
    return meta, number


async def read_data(kv: KvStore, req: Request, p: Mapping[str, str]) -> Response:
    meta, number = await _readable(kv, req, params.readable_key(p), "data")
    data = await kv.data(meta, number)
    if data is None:
        raise NotFound
    return Response({"data": data, "metadata": render.version(meta, number)})


async def read_subkeys(kv: KvStore, req: Request, p: Mapping[str, str]) -> Response:
    depth = params.depth(req.data)
    meta, number = await _readable(kv, req, params.readable_key(p), "subkeys")
    data = await kv.data(meta, number)
    if data is None:
        raise NotFound
    body = {"metadata": render.version(meta, number), "subkeys": documents.subkeys(data, depth)}
    return Response(body)


async def write_data(kv: KvStore, req: Request, p: Mapping[str, str]) -> Response:
    key = params.writable_key(p)
    data = params.data_field(req.data)
    cas = params.cas(req.data)
    config = await kv.config()

    async def mutate(meta: KeyMeta | None) -> Change:
        now = kv.now()
        meta = meta or new_meta(now)
        check_cas(meta, config, cas)
        return add_version(meta, config, data, now)

    return await _written(kv, key, mutate)


async def patch_data(kv: KvStore, req: Request, p: Mapping[str, str]) -> Response:
    """JSON merge patch (RFC 7396) of the latest version into a new one; needs a live secret."""
    key = params.writable_key(p)
    patch = params.data_field(req.data)
    cas = params.cas(req.data)
    config = await kv.config()

    async def mutate(meta: KeyMeta | None) -> Change:
        now = kv.now()
        entry = None if meta is None else meta.versions.get(meta.current)
        if meta is None or entry is None:
            raise NotFound
        check_cas(meta, config, cas)
        if not entry.readable(now):
            # Vault answers a patch of a deleted latest version with its metadata as the data.
            raise NotFound(data=render.version(meta, meta.current))
        current = await kv.data(meta, meta.current)
        if current is None:
            raise NotFound
        return add_version(meta, config, documents.merge_patch(current, patch), now)

    return await _written(kv, key, mutate)


async def _written(kv: KvStore, key: str, mutate: Mutation) -> Response:
    meta = await kv.update(key, mutate)
    if meta is None:  # unreachable: both mutations return a Change or raise
        raise NotFound
    return Response(render.version(meta, meta.current))


async def delete_latest(kv: KvStore, _req: Request, p: Mapping[str, str]) -> Response:
    """`DELETE data/:path`: soft-delete the current version; nothing there is not an error."""
    key = p.get("path", "")
    if key and not key.endswith("/"):

        async def mutate(meta: KeyMeta | None) -> Change | None:
            return None if meta is None else soft_delete(meta, [meta.current], kv.now())

        await kv.update(key, mutate)
    return NO_CONTENT


async def invalid_path(_kv: KvStore, _req: Request, _p: Mapping[str, str]) -> Response:
    """Any other path below a v2 mount: Vault's 404 with a warning pointing at the right API."""
    return Response(None, status=404, warnings=[INVALID_PATH])
