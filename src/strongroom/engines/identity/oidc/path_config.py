"""`identity/oidc/config`: the issuer of the namespace's signed tokens
(api-docs/secret/identity/tokens "Configure the identity tokens backend")."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

import msgspec
from msgspec import Meta

from strongroom.engines.identity.oidc.context import OidcContext
from strongroom.engines.identity.oidc.models import Config
from strongroom.errors import BadRequest
from strongroom.logical import NO_CONTENT, UNSET, NoFields, Request, Response, UnsetType

SYNOPSIS = "OIDC configuration"
INVALID_ISSUER = (
    "invalid issuer, which must include only a scheme, host, and optional port "
    "(e.g. https://example.com:8200)"
)
EXPLICIT_ISSUER_WARNING = (
    'If "issuer" is set explicitly, all tokens must be validated against that address, '
    'including those issued by secondary clusters. Setting issuer to "" will restore the '
    "default behavior of using the cluster's api_addr as the issuer."
)


class ConfigWrite(msgspec.Struct, frozen=True, kw_only=True):
    issuer: Annotated[
        str | UnsetType,
        Meta(
            description="Issuer URL to be used in the iss claim of the token. If not set, "
            "Vault's app_addr will be used."
        ),
    ] = UNSET


def valid_issuer(issuer: str) -> str:
    """`issuer` without a trailing "/". Raises BadRequest unless it is scheme://host[:port]."""
    try:
        parts = urlsplit(issuer)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise BadRequest(INVALID_ISSUER) from None
    bare = parts.path in ("", "/") and not parts.query and not parts.fragment
    if not (parts.scheme and parts.hostname) or parts.username is not None or not bare:
        raise BadRequest(INVALID_ISSUER)
    return issuer.rstrip("/")


async def read_config(ctx: OidcContext, _request: Request, _fields: NoFields) -> Response:
    return Response(data={"issuer": (await ctx.store.config()).issuer})


async def write_config(ctx: OidcContext, _request: Request, fields: ConfigWrite) -> Response:
    if isinstance(fields.issuer, UnsetType):
        return NO_CONTENT
    issuer = valid_issuer(fields.issuer) if fields.issuer else ""
    await ctx.store.put_config(Config(issuer=issuer))
    return Response(warnings=[EXPLICIT_ISSUER_WARNING]) if issuer else NO_CONTENT
