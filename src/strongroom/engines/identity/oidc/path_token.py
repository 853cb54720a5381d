"""`identity/oidc/token/:name` and `identity/oidc/introspect` (api-docs/secret/identity/tokens
"Generate a signed ID token", "Introspect a signed ID token")."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.identity.oidc import signing
from strongroom.engines.identity.oidc.context import OidcContext
from strongroom.errors import BadRequest
from strongroom.logical import Request, Response

GENERATE_SYNOPSIS = "Generate an OIDC token"
INTROSPECT_SYNOPSIS = "Verify the authenticity of an OIDC token"
# go-jose's jwt.DefaultLeeway, which Vault's claim validation allows either side of a time.
LEEWAY = 60
_INVALID = "error validating claims: go-jose/go-jose/jwt: validation failed, "


class TokenRead(msgspec.Struct, frozen=True, kw_only=True):
    name: Annotated[str, Meta(description="Name of the role")]


class Introspect(msgspec.Struct, frozen=True, kw_only=True):
    token: Annotated[str, Meta(description="Token to verify")] = ""
    client_id: Annotated[str, Meta(description="Optional client_id to verify")] = ""


async def generate(ctx: OidcContext, request: Request, fields: TokenRead) -> Response:
    entity = await ctx.entity(request)
    role = await ctx.store.roles.get(fields.name)
    if role is None:
        raise BadRequest("role not found")
    token = await ctx.signed(request, role, entity)
    return Response(data={"client_id": role.client_id, "token": token, "ttl": role.ttl})


def _inactive(error: str) -> Response:
    return Response(data={"active": False, "error": error}, raw=True)


def _claims_error(claims: dict[str, Any], issuer: str, client_id: str, now: float) -> str:
    """What go-jose's `Claims.Validate` (with its leeway) finds wrong, or ""."""
    if claims.get("iss") != issuer:
        return _INVALID + "invalid issuer claim (iss)"
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id and client_id not in audiences:
        return _INVALID + "invalid audience claim (aud)"
    expiry, issued = claims.get("exp"), claims.get("iat")
    if isinstance(expiry, int | float) and now > expiry + LEEWAY:
        return _INVALID + "token is expired (exp)"
    if isinstance(issued, int | float) and now < issued - LEEWAY:
        return _INVALID + "token issued in the future (iat)"
    return ""


async def introspect(ctx: OidcContext, request: Request, fields: Introspect) -> Response:
    """Vault answers 200 either way, with `active` and, when false, the reason."""
    if fields.token.count(".") != 2:
        return _inactive("error parsing token: compact JWS format must have three parts")
    try:
        payload = signing.verify(fields.token, await ctx.all_public_keys())
    except signing.InvalidSignature:
        return _inactive("unable to validate the token signature")
    try:
        claims = msgspec.json.decode(payload, type=dict[str, Any])
    except msgspec.DecodeError:
        return _inactive("error parsing token claims")
    error = _claims_error(claims, await ctx.issuer(request), fields.client_id, ctx.now())
    error = error or await _entity_error(ctx, claims)
    if error:
        return _inactive(error)
    return Response(data={"active": True}, raw=True)


async def _entity_error(ctx: OidcContext, claims: dict[str, Any]) -> str:
    """Why the token's subject may no longer hold a token, or ""."""
    entity = await ctx.directory.facts(str(claims.get("sub", "")))
    if entity is None:
        return "entity was not found"
    return "entity is disabled" if entity.disabled else ""
