"""`login` (Vault's path_login.go; api-docs/auth/kubernetes "Login"): a service-account JWT
exchanged for a token under a role. The names the JWT carries must be within the role's
globs; then TokenReview (with the reviewer JWT, else the caller's own) or the `pem_keys`
confirm it. Refusals are Vault's 403 "permission denied" (its bound-name and audience
messages excepted), the reason only in the operator log; the JWT is never repeated."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.auth.kubernetes import review
from strongroom.auth.kubernetes.context import KubernetesContext
from strongroom.auth.kubernetes.models import Config, Role
from strongroom.auth.kubernetes.review import Refused, ServiceAccount
from strongroom.errors import BadRequest, PermissionDenied
from strongroom.logical import Login, Request, Response
from strongroom.logical.token_fields import Identity, token_login

SYNOPSIS = "Authenticates Kubernetes service accounts with Vault."
_SHOWN = ("service account name not authorized", "namespace not authorized", review.BAD_AUDIENCE)


class Credentials(msgspec.Struct, frozen=True, kw_only=True):
    role: Annotated[
        str,
        Meta(
            description=(
                "Name of the role against which the login is being attempted. This field "
                "is required"
            )
        ),
    ] = ""
    jwt: Annotated[
        str,
        Meta(
            description="A signed JWT for authenticating a service account. This field is required."
        ),
    ] = ""


async def login(ctx: KubernetesContext, _req: Request, fields: Credentials) -> Response:
    """Raises BadRequest (missing fields, unknown role, not configured) or PermissionDenied."""
    if not fields.role:
        raise BadRequest("missing role")
    if not fields.jwt:
        raise BadRequest("missing jwt")
    name = fields.role.lower()
    role = await ctx.store.role(name)
    if role is None:
        # Vault says `invalid role name "x"`; the name is not repeated (DESIGN.md inv. 11).
        raise BadRequest("invalid role name", detail=f"kubernetes: no role {name!r}")
    config = await ctx.store.config()
    if config is None:
        raise BadRequest("could not load backend configuration")
    try:
        account = await _authenticated(ctx, fields.jwt, config, role)
    except Refused as refused:
        detail = f"kubernetes: {refused.reason}"
        if refused.status == 400:
            raise BadRequest(
                "lookup failed: the Kubernetes API could not review the token", detail=detail
            ) from None
        shown = refused.reason if refused.reason in _SHOWN else None
        raise PermissionDenied(shown, detail=detail) from None
    return Response(login=_granted(ctx, name, role, account))


async def _authenticated(
    ctx: KubernetesContext, token: str, config: Config, role: Role
) -> ServiceAccount:
    claims = review.unverified_claims(token)
    claimed = review.account_of(claims)
    review.check_bounds(claimed, role)
    review.check_issuer(claims, config)
    review.check_audience(claims, role)
    if config.pem_keys:
        review.verify_locally(token, config)
        return claimed
    local = not config.disable_local_ca_jwt
    reviewer = config.token_reviewer_jwt or (ctx.local("token") if local else "") or token
    ca_pem = config.kubernetes_ca_cert or (ctx.local("ca.crt") if local else "")
    reviewed = await review.review(ctx.fetch, token, config, role, reviewer=reviewer, ca_pem=ca_pem)
    if (reviewed.namespace, reviewed.name) != (claimed.namespace, claimed.name):
        raise Refused("JWT names did not match TokenReview names")
    return ServiceAccount(
        claimed.namespace, claimed.name, reviewed.uid or claimed.uid, claimed.secret_name
    )


def _granted(ctx: KubernetesContext, name: str, role: Role, account: ServiceAccount) -> Login:
    metadata = {
        "service_account_name": account.name,
        "service_account_namespace": account.namespace,
        "service_account_secret_name": account.secret_name,
        "service_account_uid": account.uid,
    }
    by_name = role.alias_name_source == "serviceaccount_name"
    mount = ctx.mount_path.strip("/").replace("/", "-")
    return token_login(
        role,
        Identity(
            display_name=f"{mount}-{account.namespace}-{account.name}",
            metadata={**metadata, "role": name},
            alias_name=f"{account.namespace}/{account.name}" if by_name else account.uid,
            alias_metadata=metadata,
            internal={"role": name},
        ),
    )
