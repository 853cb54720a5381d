"""From a token's verified claims to the `Login` the core mints a token for: the checks every
JWT and OIDC log-in shares (api-docs/auth/jwt "JWT Login", "OIDC Callback")."""

from __future__ import annotations

from typing import Any

from strongroom.auth.jwt import claims as checks
from strongroom.auth.jwt.claims import Expected, Refused
from strongroom.auth.jwt.context import JwtContext
from strongroom.auth.jwt.keys import KeyProblem
from strongroom.auth.jwt.models import Config, Role
from strongroom.errors import BadRequest
from strongroom.logical import Login
from strongroom.logical.token_fields import Identity, token_login


async def verified(ctx: JwtContext, token: str, config: Config) -> dict[str, Any]:
    """The claims of `token` once its signature verifies. Raises BadRequest."""
    try:
        return await ctx.keys.verify(token, config)
    except KeyProblem as problem:
        raise BadRequest(problem.reason) from None


def granted(
    ctx: JwtContext, name: str, role: Role, claims: dict[str, Any], expected: Expected
) -> Login:
    """The log-in `claims` earn under role `name`. Raises BadRequest with Vault's reason
    (the claim named, no value from the token)."""
    try:
        checks.check_times(claims, role, ctx.clock.now())
        checks.check_identity(claims, role, expected)
        checks.check_bound_claims(claims, role)
        who = checks.identity(claims, role)
    except Refused as refused:
        raise BadRequest(refused.reason) from None
    metadata = {**who.metadata, "role": name}
    return token_login(
        role,
        Identity(
            display_name=ctx.display_name(who.alias),
            metadata=metadata,
            alias_name=who.alias,
            alias_metadata=metadata,
            group_aliases=who.groups,
            internal={"role": name},
        ),
    )
