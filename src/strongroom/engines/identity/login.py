"""The identity side of a log-in (Vault's `handleLoginRequest` → `CreateOrFetchEntity` and
`refreshExternalGroupMembershipsByEntityID`): the entity of the alias the auth method saw,
created on first sight, its alias metadata refreshed, and its memberships of the external
groups aliased on that mount set to what the method vouched for.

A first log-in creates its entity without moving the configuration epoch (no worker can hold
anything resolved from an entity that did not exist); a change to an existing entity or to
group memberships moves it, so every worker re-resolves the entity's policies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec

from strongroom.engines.identity.context import IdentityContext
from strongroom.engines.identity.models import Alias, Entity, GroupTable
from strongroom.engines.identity.path_entity import auto_name
from strongroom.engines.identity.store import new_id
from strongroom.errors import PermissionDenied
from strongroom.logical import retrying


async def entity_for(
    ctx: IdentityContext,
    accessor: str,
    alias_name: str,
    alias_metadata: Mapping[str, str],
    group_aliases: Sequence[str],
) -> Entity:
    """The entity that logs in through alias `alias_name` of mount `accessor`. Raises
    PermissionDenied if it is disabled (Vault refuses the log-in)."""

    async def attempt() -> Entity:
        store = ctx.store
        now = store.now()
        metadata = dict(alias_metadata) or None
        found = await store.entity_by_alias(accessor, alias_name)
        if found is None:
            entity_id = new_id()
            alias = Alias(
                id=new_id(),
                canonical_id=entity_id,
                mount_accessor=accessor,
                name=alias_name,
                metadata=metadata,
                creation_time=now,
                last_update_time=now,
            )
            entity = Entity(
                id=entity_id,
                name=auto_name(),
                aliases=(alias,),
                creation_time=now,
                last_update_time=now,
            )
            await store.save_entity(entity, None, invalidate=False)
            return entity
        entity = found[0]
        if entity.disabled:
            raise PermissionDenied
        current = entity.alias_on(accessor)
        if current is not None and current.metadata != metadata:
            refreshed = msgspec.structs.replace(current, metadata=metadata, last_update_time=now)
            others = tuple(a for a in entity.aliases if a.id != current.id)
            entity = msgspec.structs.replace(entity, aliases=(*others, refreshed))
            await store.save_entity(entity, found)
        return entity

    entity = await retrying(attempt)
    await _external_groups(ctx, entity.id, accessor, set(group_aliases))
    return entity


async def _external_groups(
    ctx: IdentityContext, entity_id: str, accessor: str, names: set[str]
) -> None:
    def mutate(table: GroupTable) -> GroupTable:
        groups = dict(table.groups)
        for group in table.groups.values():
            alias = group.alias
            if group.type != "external" or alias is None or alias.mount_accessor != accessor:
                continue
            member = entity_id in group.member_entity_ids
            if (alias.name in names) == member:
                continue
            members = (
                tuple(e for e in group.member_entity_ids if e != entity_id)
                if member
                else (*group.member_entity_ids, entity_id)
            )
            groups[group.id] = msgspec.structs.replace(group, member_entity_ids=members)
        return table if groups == table.groups else GroupTable(groups)

    cached = await ctx.store.groups()
    if mutate(cached) is not cached:  # most log-ins change nothing: no write, no epoch moved
        await ctx.store.change_groups(mutate)
