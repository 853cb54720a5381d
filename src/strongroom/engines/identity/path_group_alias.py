"""Group alias paths: `group-alias`, `group-alias/id/:id` and its LIST
(api-docs/secret/identity/group-alias; answers checked against `bao server -dev`).

A group alias ties an external group to a group name one auth mount reports at log-in (a JWT
groups claim, an LDAP group); it lives inside its group in the group table.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.identity import render
from strongroom.engines.identity.context import IdentityContext
from strongroom.engines.identity.models import Alias, Group, GroupTable
from strongroom.engines.identity.store import new_id
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, NoFields, Request, Response

SYNOPSIS = "Creates a new group alias, or updates an existing one."
ID_SYNOPSIS = "Update, read or delete a group alias using its ID."
LIST_SYNOPSIS = "List all the group alias IDs."

Name = Annotated[str, Meta(description="Alias of the group.")]
MountAccessor = Annotated[str, Meta(description="Mount accessor to which this alias belongs to.")]
CanonicalId = Annotated[str, Meta(description="ID of the group to which this is an alias.")]


class GroupAliasWrite(msgspec.Struct, frozen=True, kw_only=True):
    id: Annotated[str, Meta(description="ID of the group alias.")] = ""
    name: Name = ""
    mount_accessor: MountAccessor = ""
    canonical_id: CanonicalId = ""


class GroupAliasById(GroupAliasWrite, frozen=True, kw_only=True):
    id: Annotated[str, Meta(description="ID of the group alias.")]


class GroupAliasId(msgspec.Struct, frozen=True, kw_only=True):
    id: Annotated[str, Meta(description="ID of the group alias.")]


async def write(ctx: IdentityContext, _req: Request, f: GroupAliasWrite) -> Response:
    """Create the alias (and an external group for it when no `canonical_id` is given), or
    update alias `id`. Raises BadRequest for a missing field, an unknown mount or group, an
    internal group, or a mount and name another alias already holds."""
    if not f.mount_accessor:
        raise BadRequest("missing mount_accessor")
    if not f.name:
        raise BadRequest("missing alias name")
    ctx.mount(f.mount_accessor)
    answer: list[Alias] = []

    def mutate(table: GroupTable) -> GroupTable:
        answer.clear()
        now = ctx.store.now()
        current = table.alias_by_id(f.id) if f.id else None
        if f.id and current is None:
            raise BadRequest("invalid group alias ID")
        holder = table.by_alias(f.mount_accessor, f.name)
        if holder is not None and (current is None or holder.id != current.id):
            raise BadRequest("combination of mount and group alias name is already in use")
        group = _target(table, f.canonical_id or (current.id if current else ""), now)
        previous = None if current is None else current.alias
        alias = Alias(
            id=previous.id if previous else new_id(),
            canonical_id=group.id,
            mount_accessor=f.mount_accessor,
            name=f.name,
            creation_time=previous.creation_time if previous else now,
            last_update_time=now,
        )
        answer.append(alias)
        groups = dict(table.groups)
        if current is not None and current.id != group.id:
            groups[current.id] = msgspec.structs.replace(current, alias=None)
        groups[group.id] = msgspec.structs.replace(group, alias=alias, last_update_time=now)
        return GroupTable(groups)

    await ctx.store.change_groups(mutate)
    return Response({"canonical_id": answer[0].canonical_id, "id": answer[0].id})


def _target(table: GroupTable, group_id: str, now: float) -> Group:
    """The external group an alias is set on; a new one when `group_id` is empty."""
    if not group_id:
        return Group(id=new_id(), name=f"group_{new_id()[:8]}", type="external", creation_time=now)
    group = table.groups.get(group_id)
    if group is None:
        raise BadRequest("invalid group ID")
    if group.type != "external":
        raise BadRequest("alias can't be set on an internal group")
    return group


async def read(ctx: IdentityContext, _req: Request, f: GroupAliasId) -> Response:
    group = (await ctx.store.groups()).alias_by_id(f.id)
    if group is None or group.alias is None:
        raise NotFound
    return Response(render.alias_read(ctx, group.alias))


async def delete(ctx: IdentityContext, _req: Request, f: GroupAliasId) -> Response:
    if (await ctx.store.groups()).alias_by_id(f.id) is None:
        return NO_CONTENT

    def mutate(table: GroupTable) -> GroupTable:
        group = table.alias_by_id(f.id)
        if group is None:
            return table
        # Vault drops the memberships the alias brought along with it.
        emptied = msgspec.structs.replace(group, alias=None, member_entity_ids=())
        return GroupTable({**table.groups, group.id: emptied})

    await ctx.store.change_groups(mutate)
    return NO_CONTENT


async def list_ids(ctx: IdentityContext, _req: Request, _f: NoFields) -> Response:
    aliases = sorted(
        (g.alias for g in (await ctx.store.groups()).groups.values() if g.alias is not None),
        key=lambda a: a.id,
    )
    if not aliases:
        raise NotFound
    return Response(
        {
            "key_info": {a.id: render.alias_info(ctx, a) for a in aliases},
            "keys": [a.id for a in aliases],
        }
    )
