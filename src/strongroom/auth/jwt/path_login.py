"""`login` (Vault's path_login.go; api-docs/auth/jwt "JWT Login"): a signed JWT exchanged for
a token under a `jwt` role. The JWT never appears in an answer or a log line; every refusal is
a 400 with Vault's fixed reason."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.auth.jwt.claims import Expected
from strongroom.auth.jwt.context import JwtContext
from strongroom.auth.jwt.login import granted, verified
from strongroom.errors import BadRequest
from strongroom.logical import Request, Response

SYNOPSIS = "Authenticates to Vault using a JWT (or OIDC) token."


class Credentials(msgspec.Struct, frozen=True, kw_only=True):
    role: Annotated[str, Meta(description="The role to log in against.")] = ""
    jwt: Annotated[str, Meta(description="The signed JWT to validate.")] = ""


async def login(ctx: JwtContext, _req: Request, fields: Credentials) -> Response:
    """Raises BadRequest: missing role or token, an OIDC role, or a token the role refuses."""
    config = await ctx.config()
    name, role = await ctx.login_role(fields.role, config)
    if role.role_type == "oidc":
        raise BadRequest("role with oidc role_type is not allowed")
    if not fields.jwt:
        raise BadRequest("missing token")
    claims = await verified(ctx, fields.jwt, config)
    return Response(login=granted(ctx, name, role, claims, Expected(issuer=config.bound_issuer)))
