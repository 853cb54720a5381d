"""KV v2 `config`: the mount-wide settings (Vault's kv-v2 "Configure the KV engine")."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.kv import render
from strongroom.engines.kv.context import KvContext
from strongroom.errors import BadRequest
from strongroom.logical import NO_CONTENT, UNSET, Duration, NoFields, Request, Response, UnsetType
from strongroom.logical.fields import sent

SYNOPSIS = "Configures settings for the KV store"
DESCRIPTION = (
    "This path configures backend level settings that are applied to every key in the "
    "key-value store."
)


class ConfigWrite(msgspec.Struct, frozen=True, kw_only=True):
    max_versions: Annotated[
        int | UnsetType,
        Meta(description="The number of versions to keep for each key. Defaults to 10"),
    ] = UNSET
    cas_required: Annotated[
        bool | UnsetType,
        Meta(
            description="If true, the backend will require the cas parameter to be set for "
            "each write"
        ),
    ] = UNSET
    delete_version_after: Annotated[
        Duration | UnsetType,
        Meta(
            description="If set, the length of time before a version is deleted. A zero "
            "duration clears the current setting. Accepts a Go duration format string."
        ),
    ] = UNSET


def settings(fields: msgspec.Struct) -> dict[str, Any]:
    """The settings sent (absent ones stay as they are). Raises BadRequest for a negative
    max_versions."""
    changes = {k: v for k, v in sent(fields).items() if k in ConfigWrite.__struct_fields__}
    if changes.get("max_versions", 0) < 0:
        raise BadRequest('error converting input for field "max_versions": cannot be negative')
    return changes


async def read(kv: KvContext, _req: Request, _fields: NoFields) -> Response:
    return Response(render.config(await kv.store.config()))


async def write(kv: KvContext, _req: Request, fields: ConfigWrite) -> Response:
    """Only the fields present change, as in Vault."""
    config = await kv.store.config()
    await kv.store.put_config(msgspec.structs.replace(config, **settings(fields)))
    return NO_CONTENT
