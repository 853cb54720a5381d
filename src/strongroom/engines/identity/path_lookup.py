"""`lookup/entity` and `lookup/group` (api-docs/secret/identity/lookup): find one by exactly
one of id, name, alias id, or alias name with its mount accessor; nothing found is a 204."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.identity import render
from strongroom.engines.identity.context import IdentityContext
from strongroom.engines.identity.models import Entity, Group, GroupTable
from strongroom.errors import BadRequest
from strongroom.logical import NO_CONTENT, Request, Response

ENTITY_SYNOPSIS = "Query entities based on various properties."
GROUP_SYNOPSIS = "Query groups based on various properties."


class Query(msgspec.Struct, frozen=True, kw_only=True):
    id: Annotated[str, Meta(description="ID of the entity (group).")] = ""
    name: Annotated[str, Meta(description="Name of the entity (group).")] = ""
    alias_id: Annotated[str, Meta(description="ID of the alias.")] = ""
    alias_name: Annotated[
        str,
        Meta(
            description="Name of the alias. This should be supplied in conjunction with "
            "'alias_mount_accessor'."
        ),
    ] = ""
    alias_mount_accessor: Annotated[
        str,
        Meta(
            description="Accessor of the mount to which the alias belongs to. This should be "
            "supplied in conjunction with 'alias_name'."
        ),
    ] = ""


def _kind(q: Query) -> str:
    """Which one property the query names. Raises BadRequest for none, or several."""
    if bool(q.alias_name) != bool(q.alias_mount_accessor):
        raise BadRequest("both 'alias_name' and 'alias_mount_accessor' needs to be set")
    sent = [k for k, v in (("id", q.id), ("name", q.name), ("alias_id", q.alias_id)) if v]
    if q.alias_name:
        sent.append("alias")
    if not sent:
        raise BadRequest("query parameter not supplied")
    if len(sent) > 1:
        raise BadRequest("query parameter conflict; please supply distinct set of query parameters")
    return sent[0]


async def entity(ctx: IdentityContext, _req: Request, q: Query) -> Response:
    store = ctx.store
    kind = _kind(q)
    if kind == "id":
        found = await store.entity(q.id)
    elif kind == "name":
        found = await store.entity_by_name(q.name)
    elif kind == "alias_id":
        found = await store.entity_by_alias_id(q.alias_id)
    else:
        found = await store.entity_by_alias(q.alias_mount_accessor, q.alias_name)
    return await _entity_answer(ctx, None if found is None else found[0])


async def _entity_answer(ctx: IdentityContext, found: Entity | None) -> Response:
    if found is None:
        return NO_CONTENT
    return Response(render.entity(ctx, found, await ctx.store.groups()))


async def group(ctx: IdentityContext, _req: Request, q: Query) -> Response:
    table = await ctx.store.groups()
    kind = _kind(q)
    found: Group | None
    if kind == "id":
        found = table.groups.get(q.id)
    elif kind == "name":
        found = table.by_name(q.name)
    elif kind == "alias_id":
        found = table.alias_by_id(q.alias_id)
    else:
        found = table.by_alias(q.alias_mount_accessor, q.alias_name)
    return _group_answer(ctx, table, found)


def _group_answer(ctx: IdentityContext, table: GroupTable, found: Group | None) -> Response:
    if found is None:
        return NO_CONTENT
    return Response(render.group(ctx, found, table))
