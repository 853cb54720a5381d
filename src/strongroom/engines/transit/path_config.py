"""The mount settings `config/keys` and `cache-config` (Vault's transit `path_config_keys.go`,
`path_cache_config.go`)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.transit.context import TransitContext
from strongroom.engines.transit.models import CacheConfig, KeysConfig
from strongroom.errors import BadRequest
from strongroom.logical import NoFields, Request, Response

KEYS_SYNOPSIS = "Configuration common across all keys"
CACHE_SYNOPSIS = "Configure caching strategy"


class KeysConfigWrite(msgspec.Struct, frozen=True, kw_only=True):
    disable_upsert: Annotated[
        bool,
        Meta(
            description="Whether to allow automatic upserting (creation) of keys on the "
            "encrypt endpoint."
        ),
    ] = False


class CacheConfigWrite(msgspec.Struct, frozen=True, kw_only=True):
    size: Annotated[
        int,
        Meta(description="Size of cache, use 0 for an unlimited cache size, defaults to 0"),
    ] = 0


async def read_keys_config(t: TransitContext, _req: Request, _fields: NoFields) -> Response:
    return Response({"disable_upsert": (await t.store.keys_config()).disable_upsert})


async def write_keys_config(t: TransitContext, _req: Request, fields: KeysConfigWrite) -> Response:
    config = KeysConfig(disable_upsert=fields.disable_upsert)
    await t.store.put_keys_config(config)
    return Response({"disable_upsert": config.disable_upsert})


async def read_cache_config(t: TransitContext, _req: Request, _fields: NoFields) -> Response:
    return Response({"size": (await t.store.cache_config()).size})


async def write_cache_config(
    t: TransitContext, _req: Request, fields: CacheConfigWrite
) -> Response:
    if fields.size != 0 and fields.size < 10:
        raise BadRequest("size must be 0 or a value greater or equal to 10")
    await t.store.put_cache_config(CacheConfig(size=fields.size))
    return Response({"size": fields.size})
