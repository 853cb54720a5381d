"""Upgrading a KV mount from version 1 to version 2 in place (`sys/mounts/<m>/tune`
`options.version=2`), as Vault does: every existing v1 key becomes version 1 of a v2 secret.

The mount's storage prefix does not move. A v2 backend runs `upgrade` before serving its first
request; it walks `v1/` a page at a time and moves each key in its own transaction:

    Check v1/<key> unchanged, Check meta/<key> absent,
    Put meta/<key>, Put ver/<id>/1, Delete v1/<key>

So the move of a key is atomic, a crash mid-way resumes where it stopped (moved keys are gone
from `v1/`), and several workers upgrading the same mount at once cannot move a key twice: the
loser's Check fails and it skips the key the winner has already moved. A fresh v2 mount pays one
empty listing per backend instance.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import msgspec

from strongroom.engines.kv.models import VersionMeta, encode
from strongroom.engines.kv.store import META, V1, KvStore, version_path
from strongroom.engines.kv.versioning import new_meta
from strongroom.errors import StorageConflict
from strongroom.storage.interface import Check, Delete, Op, Put

log = logging.getLogger("strongroom.engines.kv")
_PAGE = 500


async def _walk(kv: KvStore, folder: str) -> AsyncIterator[str]:
    """Every key below `folder` (relative to `v1/`), depth first, one storage page at a time."""
    after: str | None = None
    while page := await kv.listing(V1 + folder, after, _PAGE):
        for segment in page:
            if segment.endswith("/"):
                async for key in _walk(kv, folder + segment):
                    yield key
            else:
                yield folder + segment
        after = page[-1]


async def _move(kv: KvStore, key: str) -> bool:
    entry = await kv.view.get_entry(V1 + key)
    if entry is None:
        return False  # another worker moved it since we listed it
    now = kv.now()
    meta = msgspec.structs.replace(new_meta(now), current=1, versions={1: VersionMeta(created=now)})
    ops: list[Op] = [
        Check(V1 + key, entry.version),
        Check(META + key, 0),
        Put(META + key, encode(meta)),
        Put(version_path(meta, 1), entry.value),  # the v1 JSON object, unchanged
        Delete(V1 + key),
    ]
    try:
        await kv.view.transact(ops)
    except StorageConflict:
        return False
    return True


async def upgrade(kv: KvStore) -> int:
    """Move every v1 key of the mount to v2; returns how many this call moved."""
    moved = 0
    async for key in _walk(kv, ""):
        moved += await _move(kv, key)
    if moved:
        log.info("kv mount upgraded to version 2: %d keys moved", moved)
    return moved
