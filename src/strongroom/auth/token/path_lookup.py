"""`auth/token/lookup`, `lookup-self`, `lookup-accessor` and `accessors/` (Vault's
token_store.go; api-docs/auth/token "Lookup a token", "Lookup a token (self)", "Lookup a token
(accessor)", "List accessors")."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.auth.token import render
from strongroom.auth.token.context import TokenContext, by_accessor, caller, resolved
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NoFields, Request, Response
from strongroom.logical.tokens import TokenEntry

LOOKUP_SYNOPSIS = "This endpoint will lookup a token and its properties."
ACCESSOR_SYNOPSIS = (
    "This endpoint will lookup a token associated with the given accessor and its properties. "
    "Response will not contain the token ID."
)
ACCESSORS_SYNOPSIS = (
    "List token accessors, which can then be be used to iterate and discover their properties "
    "or revoke them. Because this can be used to cause a denial of service, this endpoint "
    "requires 'sudo' capability in addition to 'list'."
)


class TokenField(msgspec.Struct, frozen=True, kw_only=True):
    token: Annotated[str, Meta(description="Token to look up (request body)")] = ""


class SelfField(msgspec.Struct, frozen=True, kw_only=True):
    token: Annotated[
        str, Meta(description="Token to look up (unused, does not need to be set)")
    ] = ""


class AccessorField(msgspec.Struct, frozen=True, kw_only=True):
    accessor: Annotated[
        str, Meta(description="Accessor of the token to look up (request body)")
    ] = ""


async def _looked_up(ctx: TokenContext, entry: TokenEntry, token: str) -> Response:
    """A token's lookup, with the policies its entity adds as OpenBao shows them (only when
    there are some)."""
    data = render.lookup(entry, token, ctx.now())
    added = await ctx.identity_policies(entry)
    if added:
        data["identity_policies"] = list(added)
        data["external_namespace_policies"] = {}
    return Response(data)


async def lookup_self(ctx: TokenContext, req: Request, _fields: SelfField) -> Response:
    return await _looked_up(ctx, caller(req), req.token or "")


async def lookup(ctx: TokenContext, _req: Request, fields: TokenField) -> Response:
    if not fields.token:
        raise BadRequest("missing token to look up")
    return await _looked_up(ctx, await resolved(ctx, fields.token), fields.token)


async def lookup_accessor(ctx: TokenContext, _req: Request, fields: AccessorField) -> Response:
    return await _looked_up(ctx, await by_accessor(ctx, fields.accessor), "")


async def accessors(ctx: TokenContext, _req: Request, _fields: NoFields) -> Response:
    """Every accessor of the namespace and below; none is a 404, as Vault's empty LIST."""
    found = await ctx.accessors()
    if not found:
        raise NotFound
    return Response({"keys": found})
