"""`identity/oidc/.well-known/openid-configuration` and `.well-known/keys`: the discovery
document and JWKS of the signed-token issuer, served without a token
(api-docs/secret/identity/tokens "Read .well-known configurations", "Read active public keys").
"""

from __future__ import annotations

from strongroom.engines.identity.oidc import render
from strongroom.engines.identity.oidc.context import OidcContext
from strongroom.logical import NoFields, Request, Response

DISCOVERY_SYNOPSIS = "Query OIDC configurations"
KEYS_SYNOPSIS = "Retrieve public keys"


async def discovery(ctx: OidcContext, request: Request, _fields: NoFields) -> Response:
    return Response(data=render.discovery(await ctx.issuer(request)), raw=True)


async def keys(ctx: OidcContext, _request: Request, _fields: NoFields) -> Response:
    return Response(data=render.jwks(await ctx.published_keys()), raw=True)
