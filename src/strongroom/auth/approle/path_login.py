"""AppRole log-in (`login`, Vault's path_login.go; api-docs/auth/approle "Login with AppRole").

The handler checks the credentials and answers a `Login`; the core mints the token. Every
refusal (unknown role ID, wrong, expired or spent secret ID, a client address outside the bound
CIDRs, a locked-out pair) is the same 400 "invalid role or secret ID" that Vault gives for bad
credentials, the reason going only to the operator log, so the answer is never an oracle.
Vault says "missing secret_id" when a role that exists needs one; that tells a caller the role
ID is real, so here it is the same refusal too.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.auth.approle import cidrs
from strongroom.auth.approle.context import AppRole
from strongroom.auth.approle.errors import Refused
from strongroom.auth.approle.models import Role, SecretId
from strongroom.errors import BadRequest
from strongroom.logical import Login, Request, Response
from strongroom.logical.tokenutil import login_of

INVALID = "invalid role or secret ID"
_OUTSIDE_ROLE_CIDRS = "client address outside the role's secret_id_bound_cidrs"
SYNOPSIS = "Issue a token based on the credentials supplied"


class Credentials(msgspec.Struct, frozen=True, kw_only=True):
    role_id: Annotated[
        str,
        Meta(
            description="Unique identifier of the Role. Required to be supplied when the "
            "'bind_secret_id' constraint is set."
        ),
    ] = ""
    secret_id: Annotated[str, Meta(description="SecretID belong to the App role")] = ""


async def login(app: AppRole, req: Request, fields: Credentials) -> Response:
    """Raises BadRequest: "missing role_id", or the one refusal described above."""
    role_id = fields.role_id.strip()
    if not role_id:
        raise BadRequest("missing role_id")
    secret_id = fields.secret_id.strip()
    try:
        granted = await _counted(app, role_id, secret_id, req.remote_addr)
    except Refused as refused:
        raise BadRequest(INVALID, detail=f"approle: {refused.reason}") from None
    return Response(login=granted)


async def _counted(app: AppRole, role_id: str, secret_id: str, remote_addr: str) -> Login:
    """Check the credentials as one attempt of the pair's lockout count (lockout.py).

    Raises Refused if the pair is locked out or the credentials do not pass.
    """
    slot = await app.lockouts.reserve(await app.lockouts.key(role_id, remote_addr))
    failed = True
    try:
        granted = await _authenticate(app, role_id, secret_id, remote_addr)
        failed = False
    finally:
        # Every way out gives the place back; an error or a cancelled request as a failure.
        await app.lockouts.settle(slot, failed=failed)
    return granted


async def _authenticate(app: AppRole, role_id: str, secret_id: str, remote_addr: str) -> Login:
    # An unknown role ID goes through every check against the decoy role and is refused only
    # at the end, so the refusal takes as long as for a role that exists (store.py).
    role, genuine = await app.store.role_by_role_id(role_id)
    try:
        record = await _spent(app, role, secret_id, remote_addr)
    except Refused:
        if genuine:
            raise
        record = None
    if not genuine:
        raise Refused("unknown role_id")
    return _grant(role, record)


async def _spent(app: AppRole, role: Role, secret_id: str, remote_addr: str) -> SecretId | None:
    """The secret ID record this log-in spends a use of (None if the role binds none).

    Raises Refused if the credentials or the client address do not pass.
    """
    if not role.bind_secret_id:
        if not cidrs.allows(role.secret_id_bound_cidrs, remote_addr):
            raise Refused(_OUTSIDE_ROLE_CIDRS)
        return None
    if not secret_id:
        raise Refused("missing secret_id")
    # The checks run before the use is spent: a refused log-in costs the secret ID nothing.
    return await app.secret_ids.redeem(role, secret_id, partial(_usable, role, remote_addr))


def _usable(role: Role, remote_addr: str, record: SecretId) -> None:
    """Raises Refused unless `record` may log in from `remote_addr` (Vault re-checks that the
    secret ID's blocks still lie within the role's, which may have narrowed since). The role's
    own blocks are checked here too, once the secret ID is found, so that a client outside them
    waits as long as for any other refusal."""
    if not cidrs.allows(role.secret_id_bound_cidrs, remote_addr):
        raise Refused(_OUTSIDE_ROLE_CIDRS)
    if not cidrs.subset(record.cidr_list, role.secret_id_bound_cidrs):
        raise Refused("secret ID's cidr_list is no longer within the role's")
    if not cidrs.allows(record.cidr_list, remote_addr):
        raise Refused("client address outside the secret ID's cidr_list")


def _grant(role: Role, record: SecretId | None) -> Login:
    """What the token gets: the role's token fields; a secret ID's own `token_bound_cidrs`
    override the role's, and its metadata joins the token's, `role_name` always included."""
    metadata = {**(record.metadata if record else {}), "role_name": role.name}
    bound = record.token_bound_cidrs if record and record.token_bound_cidrs else None
    login = login_of(
        role,
        display_name="approle",
        metadata=metadata,
        alias_name=role.role_id,
        internal={"role_name": role.name},
    )
    return login if bound is None else replace(login, bound_cidrs=bound)
