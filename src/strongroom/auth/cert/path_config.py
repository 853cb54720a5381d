"""The method's `config` (Vault's path_config.go; api-docs/auth/cert "Configure TLS
certificate method")."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.auth.cert import render
from strongroom.auth.cert.context import CertContext
from strongroom.errors import BadRequest
from strongroom.logical import NO_CONTENT, UNSET, Request, Response, UnsetType
from strongroom.logical.fields import sent

SYNOPSIS = "Configure the TLS certificate method."
_CACHE_SIZES = range(2, 100_001)


class ConfigWrite(msgspec.Struct, frozen=True, kw_only=True):
    disable_binding: Annotated[
        bool | UnsetType,
        Meta(
            description="If set, during renewal, skips the matching of presented client "
            "identity with the client identity used during login. Defaults to false."
        ),
    ] = UNSET
    enable_identity_alias_metadata: Annotated[
        bool | UnsetType,
        Meta(
            description="If set, metadata of the certificate including the metadata "
            "corresponding to allowed_metadata_extensions will be stored in the alias. "
            "Defaults to false."
        ),
    ] = UNSET
    ocsp_cache_size: Annotated[
        int | UnsetType,
        Meta(
            description="The size of the in memory OCSP response cache, "
            "shared by all configured certs"
        ),
    ] = UNSET


async def read_config(ctx: CertContext, _req: Request, _fields: msgspec.Struct) -> Response:
    return Response(render.config(await ctx.store.config()))


async def write_config(ctx: CertContext, _req: Request, fields: ConfigWrite) -> Response:
    """Only the fields sent change. Raises BadRequest for a cache size outside 2..100000."""
    changes = sent(fields)
    size = changes.get("ocsp_cache_size")
    if size is not None and size not in _CACHE_SIZES:
        raise BadRequest("invalid cache size, must be >= 2 and <= 100000")
    config = msgspec.structs.replace(await ctx.store.config(), **changes)
    await ctx.store.put_config(config)
    return NO_CONTENT
