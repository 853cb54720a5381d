"""LDAP `groups/:name` and `users/:name` with their lists (Vault's path_groups.go and
path_users.go; api-docs/auth/ldap "Create/Update LDAP group", "Read LDAP group", "List LDAP
groups", "Delete LDAP group" and the same for users).

A group maps a directory group to policies; a user adds policies and extra groups to one
directory user. Names are lower-cased unless the config sets `case_sensitive_names`.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.auth.ldap import render
from strongroom.auth.ldap.context import GroupName, LdapContext, UserName
from strongroom.auth.ldap.models import Mapping
from strongroom.auth.ldap.store import GROUPS, USERS
from strongroom.errors import NotFound
from strongroom.logical import NO_CONTENT, Request, Response, listing
from strongroom.logical.listing import ListPage
from strongroom.logical.token_fields import sanitized_policies

GROUP_SYNOPSIS = "Manage additional groups for users allowed to authenticate."
USER_SYNOPSIS = "Manage users allowed to authenticate."
_POLICIES = Meta(description="Comma-separated list of policies associated with the entry.")


class GroupOnly(msgspec.Struct, frozen=True, kw_only=True):
    name: GroupName


class GroupWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: GroupName
    policies: Annotated[list[str], _POLICIES] = []


class UserOnly(msgspec.Struct, frozen=True, kw_only=True):
    name: UserName


class UserWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: UserName
    policies: Annotated[list[str], _POLICIES] = []
    groups: Annotated[
        list[str],
        Meta(description="Comma-separated list of additional groups associated with the user."),
    ] = []


async def _canonical(ctx: LdapContext, name: str) -> str:
    return (await ctx.store.config()).canonical(name)


async def _listed(ctx: LdapContext, folder: str, fields: ListPage) -> Response:
    """Names with OpenBao's `after`/`limit` paging; none is a 404 as in Vault."""
    return listing.keys(await ctx.store.names(folder, *fields.bounds()))


async def _read(ctx: LdapContext, folder: str, name: str) -> Mapping:
    """Raises NotFound (a bare 404, as Vault) when there is no entry."""
    found = await ctx.store.mapping(folder, await _canonical(ctx, name))
    if found is None:
        raise NotFound
    return found


async def list_groups(ctx: LdapContext, _req: Request, fields: ListPage) -> Response:
    return await _listed(ctx, GROUPS, fields)


async def read_group(ctx: LdapContext, _req: Request, fields: GroupOnly) -> Response:
    return Response(render.group(await _read(ctx, GROUPS, fields.name)))


async def write_group(ctx: LdapContext, _req: Request, fields: GroupWrite) -> Response:
    entry = Mapping(policies=sanitized_policies(fields.policies))
    await ctx.store.put_mapping(GROUPS, await _canonical(ctx, fields.name), entry)
    return NO_CONTENT


async def delete_group(ctx: LdapContext, _req: Request, fields: GroupOnly) -> Response:
    await ctx.store.delete_mapping(GROUPS, await _canonical(ctx, fields.name))
    return NO_CONTENT


async def list_users(ctx: LdapContext, _req: Request, fields: ListPage) -> Response:
    return await _listed(ctx, USERS, fields)


async def read_user(ctx: LdapContext, _req: Request, fields: UserOnly) -> Response:
    return Response(render.user(await _read(ctx, USERS, fields.name)))


async def write_user(ctx: LdapContext, _req: Request, fields: UserWrite) -> Response:
    """Groups are trimmed, deduplicated and sorted (strutil.RemoveDuplicates), lower-cased
    unless names are case sensitive; policies as Vault's ParsePolicies."""
    cfg = await ctx.store.config()
    groups = tuple(sorted({cfg.canonical(g.strip()) for g in fields.groups} - {""}))
    entry = Mapping(policies=sanitized_policies(fields.policies), groups=groups)
    await ctx.store.put_mapping(USERS, cfg.canonical(fields.name), entry)
    return NO_CONTENT


async def delete_user(ctx: LdapContext, _req: Request, fields: UserOnly) -> Response:
    await ctx.store.delete_mapping(USERS, await _canonical(ctx, fields.name))
    return NO_CONTENT
