"""`auth/token/tidy` (Vault's token_store.go; api-docs/auth/token "Tidy tokens")."""

from __future__ import annotations

from strongroom.auth.token.context import TokenContext
from strongroom.logical import NoFields, Request, Response

SYNOPSIS = (
    "This endpoint performs cleanup tasks that can be run if certain error conditions have "
    "occurred."
)
# Vault's answer word for word (OpenBao says "OpenBao's server logs"; clients match neither).
STARTED = (
    "Tidy operation successfully started. Any information from the operation will be printed "
    "to Vault's server logs."
)


async def tidy(ctx: TokenContext, _req: Request, _fields: NoFields) -> Response:
    """Vault answers 202 and tidies in the background; here the expired tokens are removed,
    a page at a time, before the same 202 answer."""
    await ctx.tidy()
    return Response(warnings=[STARTED], status=202)
