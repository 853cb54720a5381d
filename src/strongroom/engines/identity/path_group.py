"""Group paths: `group`, `group/id/:id`, `group/name/:name` and their LISTs
(api-docs/secret/identity/group; answers checked against `bao server -dev`).

An internal group lists its members; an external group's entity members come only from
log-ins through its group alias (`login.py`), so they cannot be set here. Every change is one
checked write of the namespace's group table, refused if it would make a cycle.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.identity import render
from strongroom.engines.identity.context import IdentityContext
from strongroom.engines.identity.models import Group, GroupTable, GroupType
from strongroom.engines.identity.store import new_id
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, UNSET, NoFields, Request, Response, UnsetType

SYNOPSIS = "Create a new group."
ID_SYNOPSIS = "Update or delete an existing group using its ID."
NAME_SYNOPSIS = "Update, read or delete a group using its name."
LIST_SYNOPSIS = "List all the group IDs."
LIST_NAME_SYNOPSIS = "List all the group names."

GroupName = Annotated[str, Meta(description="Name of the group.")]
Type = Annotated[
    str, Meta(description="Type of the group, 'internal' or 'external'. Defaults to 'internal'")
]
Metadata = Annotated[dict[str, str], Meta(description="Metadata to be associated with the group.")]
Policies = Annotated[list[str], Meta(description="Policies to be tied to the group.")]
MemberGroups = Annotated[list[str], Meta(description="Group IDs to be assigned as group members.")]
MemberEntities = Annotated[
    list[str], Meta(description="Entity IDs to be assigned as group members.")
]


class GroupWrite(msgspec.Struct, frozen=True, kw_only=True):
    id: Annotated[str, Meta(description="ID of the group. If set, updates the group.")] = ""
    name: GroupName | UnsetType = UNSET
    type: Type | UnsetType = UNSET
    metadata: Metadata | UnsetType = UNSET
    policies: Policies | UnsetType = UNSET
    member_group_ids: MemberGroups | UnsetType = UNSET
    member_entity_ids: MemberEntities | UnsetType = UNSET


class GroupById(GroupWrite, frozen=True, kw_only=True):
    id: Annotated[str, Meta(description="ID of the group.")]


class GroupByName(GroupWrite, frozen=True, kw_only=True):
    name: GroupName


class GroupId(msgspec.Struct, frozen=True, kw_only=True):
    id: Annotated[str, Meta(description="ID of the group.")]


class GroupNameOnly(msgspec.Struct, frozen=True, kw_only=True):
    name: GroupName


def _type(sent: str | UnsetType, current: Group | None) -> GroupType:
    if isinstance(sent, UnsetType) or not sent:
        return "internal" if current is None else current.type
    if sent not in ("internal", "external"):
        raise BadRequest("invalid group type")
    if current is not None and current.type != sent:
        raise BadRequest("group type cannot be changed")
    return "internal" if sent == "internal" else "external"


def _check_members(table: GroupTable, group_id: str, members: tuple[str, ...]) -> None:
    """Raises BadRequest for an unknown member group, or one whose membership would make
    `group_id` its own ancestor."""
    for member in members:
        if member == group_id or _reaches(table, member, group_id):
            raise BadRequest("cyclic relationship detected for member group ID")
        if member not in table.groups:
            raise BadRequest("invalid member group ID")


def _reaches(table: GroupTable, start: str, target: str) -> bool:
    """Whether `target` is `start` or among the groups `start` holds, transitively."""
    seen, queue = set(), [start]
    while queue:
        current = queue.pop()
        if current == target:
            return True
        if current in seen or current not in table.groups:
            continue
        seen.add(current)
        queue.extend(table.groups[current].member_group_ids)
    return False


def _values(sent: list[str] | UnsetType, current: tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(sent, UnsetType):
        return current
    return tuple(dict.fromkeys(v.strip() for v in sent if v.strip()))


async def write(ctx: IdentityContext, _req: Request, f: GroupWrite) -> Response:
    """`group`, `group/id/:id` and `group/name/:name` (each with its own Struct): create the
    group, or change the fields sent of the one `id` or `name` names."""
    members = () if isinstance(f.member_entity_ids, UnsetType) else f.member_entity_ids
    for entity_id in members:
        if await ctx.store.entity(entity_id) is None:
            raise BadRequest("invalid member entity ID")
    created: list[Group] = []

    def mutate(table: GroupTable) -> GroupTable:
        created.clear()
        current = table.groups.get(f.id) if f.id else None
        if f.id and current is None:
            raise BadRequest("invalid group ID")
        named = None if isinstance(f.name, UnsetType) else table.by_name(f.name)
        if current is None:
            current = named
        elif named is not None and named.id != current.id:
            raise BadRequest("group name is already in use")
        changed = _changed(ctx, f, current)
        _check_members(table, changed.id, changed.member_group_ids)
        if current is None:
            created.append(changed)
        return GroupTable({**table.groups, changed.id: changed})

    await ctx.store.change_groups(mutate)
    if not created:
        return NO_CONTENT
    return Response({"id": created[0].id, "name": created[0].name})


def _changed(ctx: IdentityContext, f: GroupWrite, current: Group | None) -> Group:
    now = ctx.store.now()
    kind = _type(f.type, current)
    if (
        kind == "external"
        and not isinstance(f.member_entity_ids, UnsetType)
        and f.member_entity_ids
    ):
        raise BadRequest("member entities can't be set manually for external groups")
    base = current or Group(id=new_id(), name=f"group_{new_id()[:8]}", type=kind, creation_time=now)
    name = base.name if isinstance(f.name, UnsetType) or not f.name else f.name
    metadata = base.metadata if isinstance(f.metadata, UnsetType) else (dict(f.metadata) or None)
    return msgspec.structs.replace(
        base,
        name=name,
        metadata=metadata,
        policies=_values(f.policies, base.policies),
        member_group_ids=_values(f.member_group_ids, base.member_group_ids),
        member_entity_ids=(
            base.member_entity_ids
            if kind == "external"
            else _values(f.member_entity_ids, base.member_entity_ids)
        ),
        last_update_time=now,
        modify_index=base.modify_index + 1,
    )


async def _answer(ctx: IdentityContext, table: GroupTable, found: Group | None) -> Response:
    if found is None:
        raise NotFound
    return Response(render.group(ctx, found, table))


async def read_by_id(ctx: IdentityContext, _req: Request, f: GroupId) -> Response:
    table = await ctx.store.groups()
    return await _answer(ctx, table, table.groups.get(f.id))


async def read_by_name(ctx: IdentityContext, _req: Request, f: GroupNameOnly) -> Response:
    table = await ctx.store.groups()
    return await _answer(ctx, table, table.by_name(f.name))


def without_group(table: GroupTable, gone: Group | None) -> GroupTable:
    """`table` without `gone`, which no other group holds as a member any more."""
    if gone is None:
        return table
    return GroupTable(
        {
            gid: msgspec.structs.replace(
                g, member_group_ids=tuple(m for m in g.member_group_ids if m != gone.id)
            )
            for gid, g in table.groups.items()
            if gid != gone.id
        }
    )


async def delete_by_id(ctx: IdentityContext, _req: Request, f: GroupId) -> Response:
    table = await ctx.store.groups()
    if f.id in table.groups:
        await ctx.store.change_groups(lambda t: without_group(t, t.groups.get(f.id)))
    return NO_CONTENT


async def delete_by_name(ctx: IdentityContext, _req: Request, f: GroupNameOnly) -> Response:
    table = await ctx.store.groups()
    if table.by_name(f.name) is not None:
        await ctx.store.change_groups(lambda t: without_group(t, t.by_name(f.name)))
    return NO_CONTENT


async def list_ids(ctx: IdentityContext, _req: Request, _f: NoFields) -> Response:
    table = await ctx.store.groups()
    if not table.groups:
        raise NotFound
    ids = sorted(table.groups)
    return Response(
        {
            "key_info": {g: render.group_info(table.groups[g], table) for g in ids},
            "keys": ids,
        }
    )


async def list_names(ctx: IdentityContext, _req: Request, _f: NoFields) -> Response:
    table = await ctx.store.groups()
    if not table.groups:
        raise NotFound
    return Response({"keys": sorted(g.name for g in table.groups.values())})
