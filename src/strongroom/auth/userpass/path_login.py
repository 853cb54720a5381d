"""Userpass log-in (`login/:username`, Vault's path_login.go; api-docs/auth/userpass "Login").

The password is checked against the user's scrypt hash; an unknown user's against a decoy with
the same parameters, so both take the same work and get Vault's one answer, 400 "invalid
username or password". Every attempt takes a place in the (username, client address) lockout
count first (logical/lockout.py); a locked pair gets that same answer without its password
being hashed. The reason goes only to the operator log. After the password, the user's
`token_bound_cidrs` are checked as Vault does: a client outside them gets 403.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.auth.userpass.context import Username, UserpassContext, username
from strongroom.auth.userpass.models import User
from strongroom.bound_cidrs import allows
from strongroom.errors import BadRequest, PermissionDenied
from strongroom.logical import Login, Request, Response
from strongroom.logical.lockout import Slot
from strongroom.logical.refused import Refused
from strongroom.logical.token_fields import Identity, token_login

INVALID = "invalid username or password"
SYNOPSIS = "Log in with a username and password."


class Credentials(msgspec.Struct, frozen=True, kw_only=True):
    username: Username
    password: Annotated[str, Meta(description="Password for this user.")] = ""


async def login(ctx: UserpassContext, req: Request, fields: Credentials) -> Response:
    """Raises BadRequest ("missing password", or the one refusal above) and PermissionDenied
    for a client outside the user's token_bound_cidrs."""
    if not fields.password:
        raise BadRequest("missing password")  # Vault: the same text, as a 500
    name = username(fields.username)
    lockouts = ctx.lockouts
    slot = await _reserved(ctx, name, req.remote_addr)
    failed = True
    try:
        user = await ctx.store.user(name)
        genuine = await ctx.hasher.verify(fields.password, None if user is None else user.password)
        failed = not genuine
    finally:
        # Every way out gives the place back; an error or a cancelled request as a failure.
        await lockouts.settle(slot, failed=failed)
    if user is None or failed:
        raise BadRequest(INVALID, detail="userpass: wrong password or unknown user")
    if not allows(user.token_bound_cidrs, req.remote_addr):
        raise PermissionDenied
    return Response(login=_grant(name, user))


async def _reserved(ctx: UserpassContext, name: str, remote_addr: str) -> Slot:
    """A place in the pair's lockout count. Raises BadRequest (the one refusal) if locked."""
    try:
        return await ctx.lockouts.reserve(await ctx.lockouts.key(name, remote_addr))
    except Refused as refused:
        raise BadRequest(INVALID, detail=f"userpass: {refused.reason}") from None


def _grant(name: str, user: User) -> Login:
    """The token fields of the user; display name and entity alias are the username (Vault)."""
    return token_login(user, Identity(name, alias_name=name, metadata={"username": name}))
