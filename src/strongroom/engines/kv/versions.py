"""KV v2 handlers for `delete/:path`, `undelete/:path` and `destroy/:path`.

Each takes a `versions` list; versions that do not exist are skipped silently and a missing key
answers 204, exactly as Vault does.
"""

from __future__ import annotations

from collections.abc import Mapping

from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.engines.kv import params
from strongroom.engines.kv.models import KeyMeta
from strongroom.engines.kv.store import Change, KvStore
from strongroom.engines.kv.versioning import destroy, soft_delete, undelete


async def delete_versions(kv: KvStore, req: Request, p: Mapping[str, str]) -> Response:
    numbers = params.versions(req.data)

    async def mutate(meta: KeyMeta | None) -> Change | None:
        return None if meta is None else soft_delete(meta, numbers, kv.now())

    await kv.update(params.writable_key(p), mutate)
    return NO_CONTENT


async def undelete_versions(kv: KvStore, req: Request, p: Mapping[str, str]) -> Response:
    numbers = params.versions(req.data)
    config = await kv.config()

    async def mutate(meta: KeyMeta | None) -> Change | None:
        return None if meta is None else undelete(meta, config, numbers, kv.now())

    await kv.update(params.writable_key(p), mutate)
    return NO_CONTENT


async def destroy_versions(kv: KvStore, req: Request, p: Mapping[str, str]) -> Response:
    """Marks the versions destroyed and erases their ciphertext in the same transaction."""
    numbers = params.versions(req.data)

    async def mutate(meta: KeyMeta | None) -> Change | None:
        return None if meta is None else destroy(meta, numbers)

    await kv.update(params.writable_key(p), mutate)
    return NO_CONTENT
