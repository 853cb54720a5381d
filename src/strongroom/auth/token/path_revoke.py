"""`auth/token/revoke`, `revoke-self`, `revoke-accessor` and `revoke-orphan` (Vault's
token_store.go; api-docs/auth/token "Revoke a token", "... (self)", "... (accessor)", "Revoke
token and orphan children"). Each answers 204, a token already gone too."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.auth.token.context import TokenContext, by_accessor, caller
from strongroom.logical import NO_CONTENT, NoFields, Request, Response
from strongroom.logical.tokens import sudo_required

REVOKE_SYNOPSIS = "This endpoint will delete the given token and all of its child tokens."
SELF_SYNOPSIS = "This endpoint will delete the token used to call it and all of its child tokens."
ACCESSOR_SYNOPSIS = (
    "This endpoint will delete the token associated with the accessor and all of its child tokens."
)
ORPHAN_SYNOPSIS = "This endpoint will delete the token and orphan its child tokens."


class RevokeToken(msgspec.Struct, frozen=True, kw_only=True):
    token: Annotated[str, Meta(description="Token to revoke (request body)")] = ""


class RevokeAccessor(msgspec.Struct, frozen=True, kw_only=True):
    accessor: Annotated[str, Meta(description="Accessor of the token (request body)")] = ""


async def revoke_self(ctx: TokenContext, req: Request, _fields: NoFields) -> Response:
    await ctx.revoke(caller(req))
    return NO_CONTENT


async def revoke(ctx: TokenContext, _req: Request, fields: RevokeToken) -> Response:
    entry = await ctx.resolve(fields.token)
    if entry is None:
        await ctx.revoke_missing()  # a retried revocation repairs a lost invalidation
    else:
        await ctx.revoke(entry)
    return NO_CONTENT


async def revoke_accessor(ctx: TokenContext, _req: Request, fields: RevokeAccessor) -> Response:
    await ctx.revoke(await by_accessor(ctx, fields.accessor))
    return NO_CONTENT


async def revoke_orphan(ctx: TokenContext, req: Request, fields: RevokeToken) -> Response:
    """Raises BadRequest without root or sudo on the path, before looking the token up: Vault's
    handler checks it (OpenBao 2.7.2 answers that 400; its table marks no sudo here, only the
    legacy `revoke-orphan/<token>`, which we do not serve). A batch token has no children to
    orphan: a no-op."""
    if not req.sudo:
        raise sudo_required("revoke and orphan")
    entry = await ctx.resolve(fields.token)
    if entry is not None and entry.type == "service":
        await ctx.revoke_orphan(entry)
    return NO_CONTENT
