"""LDAP log-in (`login/:username`, Vault's path_login.go and backend.Login; api-docs/auth/ldap
"Login with LDAP user").

An empty password is refused before the directory is asked (Vault's `deny_null_bind`, on by
default; with it off the directory is still never sent an unauthenticated bind, see
directory.py). A wrong password and an unknown user are the same 400 "ldap operation failed:
failed to bind as user" (Vault's errUserBindFailed), the reason only in the operator log, and
each attempt counts in the (username, client address) lockout (logical/lockout.py), whose lock
gives that same answer. A directory that cannot be reached is a 400 naming the server and the
kind of failure (Vault answers its dial error as a 400 too).

The token gets the config's token fields, plus the policies of every group mapped with
`groups/:name` among the user's directory groups and the extra groups of `users/:name`, and
the user's own policies. The entity alias is the username, its groups the group aliases.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.auth.ldap.context import LdapContext
from strongroom.auth.ldap.directory import DirectoryUnavailable, Found
from strongroom.auth.ldap.models import LdapConfig, Mapping
from strongroom.auth.ldap.store import GROUPS, USERS
from strongroom.bound_cidrs import allows
from strongroom.errors import BadRequest, PermissionDenied
from strongroom.logical import Request, Response
from strongroom.logical.refused import Refused
from strongroom.logical.token_fields import Identity, sanitized_policies, token_login

BIND_FAILED = "ldap operation failed: failed to bind as user"
NULL_BIND = "password cannot be of zero length when passwordless binds are being denied"
SYNOPSIS = "Log in with a username and password."
NO_GROUPS = (
    "no LDAP groups found in groupDN '{}'; only policies from locally-defined groups available"
)


class Credentials(msgspec.Struct, frozen=True, kw_only=True):
    username: Annotated[str, Meta(description="DN (distinguished name) to be used for login.")]
    password: Annotated[str, Meta(description="Password for this user.")] = ""


async def login(ctx: LdapContext, req: Request, fields: Credentials) -> Response:
    """Raises BadRequest (the refusals above) and PermissionDenied for a client outside the
    config's token_bound_cidrs (checked first, as Vault)."""
    cfg = await ctx.store.config()
    if not allows(cfg.token_bound_cidrs, req.remote_addr):
        raise PermissionDenied
    if cfg.deny_null_bind and not fields.password:
        raise BadRequest(NULL_BIND)
    found = await _counted(ctx, cfg, fields.username, fields.password, req.remote_addr)
    local = await ctx.store.mapping(USERS, cfg.canonical(fields.username)) or Mapping()
    groups = (*local.groups, *found.groups)
    policies = await _policies(ctx, cfg, groups, local)
    who = Identity(
        display_name=fields.username,
        alias_name=fields.username,
        metadata={"username": fields.username},
        policies=policies,
        group_aliases=tuple(dict.fromkeys(groups)),
    )
    warnings = None if found.groups else [NO_GROUPS.format(cfg.groupdn)]
    return Response(login=token_login(cfg, who), warnings=warnings)


async def _counted(
    ctx: LdapContext, cfg: LdapConfig, username: str, password: str, remote_addr: str
) -> Found:
    """The directory's answer, as one attempt of the pair's lockout count. Raises BadRequest."""
    try:
        key = await ctx.lockouts.key(_as_the_directory_compares(username), remote_addr)
        slot = await ctx.lockouts.reserve(key)
    except Refused as refused:
        raise BadRequest(BIND_FAILED, detail=f"ldap: {refused.reason}") from None
    failed = True
    try:
        found = await ctx.directory.authenticate(cfg, username, password)
        failed = False
    except Refused as refused:
        raise BadRequest(BIND_FAILED, detail=f"ldap: {refused.reason}") from None
    except DirectoryUnavailable as error:
        raise BadRequest(str(error)) from None
    finally:
        # Every way out gives the place back; an error or a cancelled request as a failure.
        await ctx.lockouts.settle(slot, failed=failed)
    return found


def _as_the_directory_compares(username: str) -> str:
    """The lockout identity of `username`: directories match names without case and with
    insignificant spaces (RFC 4518), so "ALICE" or " alice" must count as alice's attempts."""
    return " ".join(username.lower().split())


async def _policies(
    ctx: LdapContext, cfg: LdapConfig, groups: tuple[str, ...], local: Mapping
) -> tuple[str, ...]:
    """The policies of the mapped groups among `groups`, and the user's own (Vault:
    strutil.RemoveDuplicates, so lower-cased and sorted)."""
    mapped: list[str] = []
    for name in dict.fromkeys(cfg.canonical(g) for g in groups):
        entry = await ctx.store.mapping(GROUPS, name)
        if entry is not None:
            mapped.extend(entry.policies)
    return sanitized_policies([*mapped, *local.policies])
