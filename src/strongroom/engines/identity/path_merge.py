"""`entity/merge` (api-docs/secret/identity/entity "Merge entities"): the aliases and group
memberships of `from_entity_ids` move to `to_entity_id`, and the merged entities go; their
policies and metadata do not carry over (as `bao server -dev` shows). Two aliases on one mount
conflict unless `conflicting_alias_ids_to_keep` names the one to keep."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.identity.context import IdentityContext
from strongroom.engines.identity.models import Alias, Entity, GroupTable
from strongroom.engines.identity.store import (
    ALIAS_ID,
    ENTITY,
    ENTITY_MERGED,
    ENTITY_NAME,
    alias_key,
    name_key,
)
from strongroom.errors import BadRequest
from strongroom.logical import NO_CONTENT, Request, Response, retrying
from strongroom.storage.interface import Check, Delete, Op, Put

SYNOPSIS = "Merge two or more entities together"


class Merge(msgspec.Struct, frozen=True, kw_only=True):
    from_entity_ids: Annotated[
        list[str], Meta(description="Entity IDs which need to get merged")
    ] = msgspec.field(default_factory=list)
    to_entity_id: Annotated[
        str, Meta(description="Entity ID into which all the other entities need to get merged")
    ] = ""
    force: Annotated[bool, Meta(description="Setting this will follow the 'mine' strategy")] = False
    conflicting_alias_ids_to_keep: Annotated[
        list[str],
        Meta(description="Alias IDs to keep in case of conflicting aliases."),
    ] = msgspec.field(default_factory=list)


async def merge(ctx: IdentityContext, _req: Request, f: Merge) -> Response:
    """Raises BadRequest for a missing or unknown id, or an unresolved alias conflict."""
    if not f.to_entity_id:
        raise BadRequest("missing entity id to merge to")
    if not f.from_entity_ids:
        raise BadRequest("missing entity ids to merge from")

    async def attempt() -> Response:
        await _merge_once(ctx, f)
        return NO_CONTENT

    return await retrying(attempt)


async def _merge_once(ctx: IdentityContext, f: Merge) -> None:
    store = ctx.store
    target = await store.entity(f.to_entity_id)
    if target is None:
        raise BadRequest("entity id to merge to is invalid")
    sources: list[tuple[Entity, int]] = []
    for source_id in dict.fromkeys(f.from_entity_ids):
        if source_id == f.to_entity_id:
            raise BadRequest("to_entity_id should not be present in from_entity_ids")
        found = await store.entity(source_id)
        if found is None:
            raise BadRequest("entity id to merge from is invalid")
        sources.append(found)
    keep = set(f.conflicting_alias_ids_to_keep)
    aliases = list(target[0].aliases)
    dropped: list[Alias] = []
    for source, _ in sources:
        for alias in source.aliases:
            moved = msgspec.structs.replace(
                alias,
                canonical_id=target[0].id,
                custom_metadata=None,  # as OpenBao's merge leaves it
                merged_from_canonical_ids=(*(alias.merged_from_canonical_ids or ()), source.id),
            )
            clash = next((a for a in aliases if a.mount_accessor == alias.mount_accessor), None)
            if clash is None:
                aliases.append(moved)
            elif alias.id in keep:
                aliases[aliases.index(clash)] = moved
                dropped.append(clash)
            elif clash.id in keep:
                dropped.append(alias)
            else:
                raise BadRequest(
                    "conflicting mount accessors in aliases; name the alias IDs to keep in "
                    "conflicting_alias_ids_to_keep"
                )
    merged = msgspec.structs.replace(
        target[0],
        aliases=tuple(aliases),
        merged_entity_ids=(
            *(target[0].merged_entity_ids or ()),
            *(source.id for source, _ in sources),
        ),
        last_update_time=store.now(),
    )
    ops = _ops(merged, target[1], sources, dropped)
    gone = {source.id for source, _ in sources}
    await store.change_groups(lambda table: _members_moved(table, gone, merged.id), also=ops)


def _ops(
    merged: Entity, version: int, sources: list[tuple[Entity, int]], dropped: list[Alias]
) -> list[Op]:
    """One transaction: each entity guarded by the version read, the merged ones and their
    names gone, every alias index pointing at the entity merged into."""
    ops: list[Op] = [Check(ENTITY + merged.id, version)]
    target = merged.id.encode()
    for source, source_version in sources:
        ops += [Check(ENTITY + source.id, source_version), Delete(ENTITY + source.id)]
        ops.append(Delete(name_key(ENTITY_NAME, source.name)))
        # The merged entity's tokens (and those of entities merged into it) act as `merged`.
        for gone in (source.id, *(source.merged_entity_ids or ())):
            ops.append(Put(ENTITY_MERGED + gone, target))
    for alias in dropped:
        ops += [Delete(alias_key(alias.mount_accessor, alias.name)), Delete(ALIAS_ID + alias.id)]
    for alias in merged.aliases:
        ops += [Put(alias_key(alias.mount_accessor, alias.name), target)]
        ops += [Put(ALIAS_ID + alias.id, target)]
    ops.append(Put(ENTITY + merged.id, msgspec.json.encode(merged)))
    return ops


def _members_moved(table: GroupTable, gone: set[str], into: str) -> GroupTable:
    groups = dict(table.groups)
    for group_id, group in table.groups.items():
        members = group.member_entity_ids
        if gone & set(members):
            kept = [e for e in members if e not in gone]
            moved = tuple(dict.fromkeys([*kept, into]))
            groups[group_id] = msgspec.structs.replace(group, member_entity_ids=moved)
    return GroupTable(groups)
