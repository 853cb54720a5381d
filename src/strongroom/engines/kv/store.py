"""The KV engine's storage layout and its one write primitive: a checked read-modify-write.

Layout below the mount's view (the barrier seals every value; paths are the mount's own):

    config              Config                  (v2 mount settings)
    meta/<path>         KeyMeta                 (v2 key metadata; LIST walks this tree)
    ver/<id>/<n>        the JSON data of version n of the key whose KeyMeta has `id`
    v1/<path>           the JSON data of a v1 secret

v1 and v2 records live under disjoint prefixes, so a mount upgraded in place (`upgrade.py`)
never confuses a v1 key named "config" with the v2 settings.

Every v2 change to a key is one storage transaction guarded by a `Check` on the storage version
of `meta/<path>`: concurrent writers to one key serialise there, and a loser re-reads and tries
again (or, with `cas`, finds the version moved and answers Vault's 400).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from strongroom.clock import Clock
from strongroom.engines.kv.models import CONFIG_DECODER, META_DECODER, Config, KeyMeta, encode
from strongroom.errors import StorageConflict
from strongroom.logical import View
from strongroom.storage.interface import Check, Delete, Op, Put

CONFIG = "config"
META = "meta/"
VERSIONS = "ver/"
V1 = "v1/"
# Each lost race means another writer committed, so 100 writers settle in < 100 rounds; the cap
# only stops a pathological livelock from spinning forever.
_RETRIES = 1000
_decode_json = msgspec.json.Decoder(dict[str, Any]).decode


@dataclass(frozen=True, slots=True)
class Change:
    """What a mutation wants written: the new metadata (None deletes it) plus extra ops."""

    meta: KeyMeta | None
    ops: Sequence[Op] = ()


Mutation = Callable[[KeyMeta | None], Awaitable[Change | None]]


def version_path(meta: KeyMeta, number: int) -> str:
    return f"{VERSIONS}{meta.id}/{number}"


class KvStore:
    """The handlers' view of one KV mount: its storage and its clock."""

    def __init__(self, view: View, clock: Clock) -> None:
        self.view = view
        self.clock = clock

    def now(self) -> float:
        return self.clock.now()

    # -- v2 ----------------------------------------------------------------------------------------

    async def config(self) -> Config:
        raw = await self.view.get(CONFIG)
        return Config() if raw is None else CONFIG_DECODER.decode(raw)

    async def put_config(self, config: Config) -> None:
        await self.view.put(CONFIG, encode(config))

    async def meta(self, key: str) -> KeyMeta | None:
        raw = await self.view.get(META + key)
        return None if raw is None else META_DECODER.decode(raw)

    async def data(self, meta: KeyMeta, number: int) -> dict[str, Any] | None:
        raw = await self.view.get(version_path(meta, number))
        return None if raw is None else _decode_json(raw)

    async def update(self, key: str, mutate: Mutation) -> KeyMeta | None:
        """Apply `mutate` to the metadata of `key` atomically; returns the metadata now stored.

        `mutate` sees the current metadata (None if absent) and returns the Change to commit, or
        None to write nothing. If another writer commits first, the transaction's Check fails
        and `mutate` runs again on the fresh state. Errors raised by `mutate` propagate.
        """
        path = META + key
        for _ in range(_RETRIES):
            entry = await self.view.get_entry(path)
            meta = None if entry is None else META_DECODER.decode(entry.value)
            change = await mutate(meta)
            if change is None:
                return meta
            record: Op = Delete(path) if change.meta is None else Put(path, encode(change.meta))
            guard = Check(path, 0 if entry is None else entry.version)
            try:
                await self.view.transact([guard, record, *change.ops])
            except StorageConflict:
                await asyncio.sleep(0)  # let the winner's caller run before we re-read
                continue
            return change.meta
        raise StorageConflict(detail=f"kv key kept changing under {_RETRIES} attempts")

    async def listing(self, prefix: str, after: str | None, limit: int | None) -> list[str]:
        return await self.view.list(prefix, after, limit)

    # -- v1 ----------------------------------------------------------------------------------------

    async def v1_get(self, key: str) -> dict[str, Any] | None:
        raw = await self.view.get(V1 + key)
        return None if raw is None else _decode_json(raw)

    async def v1_put(self, key: str, data: dict[str, Any]) -> None:
        await self.view.put(V1 + key, encode(data))

    async def v1_delete(self, key: str) -> None:
        await self.view.delete(V1 + key)
