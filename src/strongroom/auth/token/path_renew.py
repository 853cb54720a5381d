"""`auth/token/renew`, `renew-self` and `renew-accessor` (Vault's token_store.go; api-docs/auth/
token "Renew a token", "Renew a token (self)", "Renew a token (accessor)")."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.auth.token.context import TokenContext, by_accessor, caller, resolved
from strongroom.logical import Duration, Request, Response
from strongroom.logical.tokens import TokenEntry, auth_block

RENEW_SYNOPSIS = "This endpoint will renew the given token and prevent expiration."
SELF_SYNOPSIS = "This endpoint will renew the token used to call it and prevent expiration."
ACCESSOR_SYNOPSIS = (
    "This endpoint will renew a token associated with the given accessor and its properties. "
    "Response will not contain the token ID."
)
Increment = Annotated[
    Duration, Meta(description="The desired increment in seconds to the token expiration")
]


class RenewToken(msgspec.Struct, frozen=True, kw_only=True):
    token: Annotated[str, Meta(description="Token to renew (request body)")] = ""
    increment: Increment = 0


class RenewSelf(msgspec.Struct, frozen=True, kw_only=True):
    token: Annotated[str, Meta(description="Token to renew (unused, does not need to be set)")] = ""
    increment: Increment = 0


class RenewAccessor(msgspec.Struct, frozen=True, kw_only=True):
    accessor: Annotated[str, Meta(description="Accessor of the token to renew (request body)")] = ""
    increment: Increment = 0


async def _renew(ctx: TokenContext, entry: TokenEntry, token: str, increment: int) -> Response:
    issued = await ctx.renew(entry, token, increment)
    return Response(auth=auth_block(issued), warnings=list(issued.warnings) or None)


async def renew_self(ctx: TokenContext, req: Request, fields: RenewSelf) -> Response:
    return await _renew(ctx, caller(req), req.token or "", fields.increment)


async def renew(ctx: TokenContext, _req: Request, fields: RenewToken) -> Response:
    entry = await resolved(ctx, fields.token)
    return await _renew(ctx, entry, fields.token, fields.increment)


async def renew_accessor(ctx: TokenContext, _req: Request, fields: RenewAccessor) -> Response:
    """The renewed token's `auth`, without its value (the caller holds only the accessor)."""
    entry = await by_accessor(ctx, fields.accessor)
    response = await _renew(ctx, entry, "", fields.increment)
    if response.auth is not None:
        response.auth = {**response.auth, "client_token": ""}
    return response
