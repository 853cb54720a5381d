"""KV version 1 handlers: a plain, unversioned map from path to a JSON object.

Vault's kv-v1 semantics: a write replaces the whole object, a delete of nothing is fine, LIST
shows keys and folders (ending in /) and answers a bare 404 for an empty folder. LIST also takes
OpenBao's `after`/`limit` pagination, which Vault's v1 ignores, so large folders page here too.
"""

from __future__ import annotations

from collections.abc import Mapping

from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.engines.kv import params
from strongroom.engines.kv.store import V1, KvStore
from strongroom.errors import BadRequest, NotFound


async def read(kv: KvStore, _req: Request, p: Mapping[str, str]) -> Response:
    data = await kv.v1_get(params.readable_key(p))
    if data is None:
        raise NotFound
    return Response(data)


async def write(kv: KvStore, req: Request, p: Mapping[str, str]) -> Response:
    key = params.writable_key(p)
    if not req.data:
        raise BadRequest("missing data fields")
    await kv.v1_put(key, dict(req.data))
    return NO_CONTENT


async def delete(kv: KvStore, _req: Request, p: Mapping[str, str]) -> Response:
    key = p.get("path", "")
    if key and not key.endswith("/"):
        await kv.v1_delete(key)
    return NO_CONTENT


async def list_keys(kv: KvStore, req: Request, p: Mapping[str, str]) -> Response:
    after, limit = params.list_window(req.data)
    keys = await kv.listing(V1 + p.get("path", ""), after, limit)
    if not keys:
        raise NotFound
    return Response({"keys": keys})
