"""KV version 1: a plain, unversioned map from path to a JSON object.

Vault's kv-v1 semantics: a write replaces the whole object (the request body *is* the secret,
so the path takes arbitrary input), a delete of nothing is fine, LIST shows keys and folders
(ending in /) and answers a bare 404 for an empty folder. LIST also takes OpenBao's
`after`/`limit` pagination, which Vault's v1 ignores, so large folders page here too.
"""

from __future__ import annotations

from collections.abc import Mapping

from strongroom.engines.kv.context import KvContext, is_folder, readable, writable
from strongroom.engines.kv.path_data import KeyOnly
from strongroom.engines.kv.path_metadata import MetadataList, window
from strongroom.engines.kv.store import V1
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, Request, Response

SYNOPSIS = (
    "Pass-through secret storage to the storage backend, allowing you to read/write "
    "arbitrary data into secret storage."
)


async def exists(kv: KvContext, captures: Mapping[str, str]) -> bool:
    return await kv.store.v1_get(captures.get("path", "")) is not None


async def read(kv: KvContext, _req: Request, fields: KeyOnly) -> Response:
    data = await kv.store.v1_get(readable(fields.path))
    if data is None:
        raise NotFound
    return Response(data)


async def write(kv: KvContext, req: Request, fields: KeyOnly) -> Response:
    key = writable(fields.path)
    if not req.data:
        raise BadRequest("missing data fields")
    await kv.store.v1_put(key, dict(req.data))
    return NO_CONTENT


async def delete(kv: KvContext, _req: Request, fields: KeyOnly) -> Response:
    if not is_folder(fields.path):
        await kv.store.v1_delete(fields.path)
    return NO_CONTENT


async def list_keys(kv: KvContext, _req: Request, fields: MetadataList) -> Response:
    keys = await kv.store.listing(V1 + fields.path, *window(fields))
    if not keys:
        raise NotFound
    return Response({"keys": keys})
