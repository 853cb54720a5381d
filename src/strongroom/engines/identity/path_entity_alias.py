"""Entity alias paths: `entity-alias`, `entity-alias/id/:id` and its LIST
(api-docs/secret/identity/entity-alias; answers checked against `bao server -dev`).

An alias lives inside its entity's record; moving one to another entity (a new
`canonical_id`) rewrites both entities in one transaction.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.identity import render
from strongroom.engines.identity.context import IdentityContext
from strongroom.engines.identity.models import Alias, Entity
from strongroom.engines.identity.path_entity import auto_name
from strongroom.engines.identity.store import entity_ops, new_id
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, UNSET, NoFields, Request, Response, UnsetType, retrying

SYNOPSIS = "Create a new alias."
ID_SYNOPSIS = "Update, read or delete an alias ID."
LIST_SYNOPSIS = "List all the alias IDs."

AliasName = Annotated[str, Meta(description="Name of the alias")]
CanonicalId = Annotated[str, Meta(description="Entity ID to which this alias belongs to")]
MountAccessor = Annotated[
    str, Meta(description="Mount accessor to which this alias belongs to; unused for a modify")
]
EntityId = Annotated[
    str, Meta(description="Entity ID to which this alias belongs to (deprecated: canonical_id)")
]
CustomMetadata = Annotated[dict[str, str], Meta(description="User provided key-value pairs")]


class AliasWrite(msgspec.Struct, frozen=True, kw_only=True):
    id: Annotated[str, Meta(description="ID of the entity alias. If set, updates the alias.")] = ""
    name: AliasName = ""
    canonical_id: CanonicalId = ""
    entity_id: EntityId = ""
    mount_accessor: MountAccessor = ""
    custom_metadata: CustomMetadata | UnsetType = UNSET

    @property
    def owner_id(self) -> str:
        return self.canonical_id or self.entity_id


class AliasById(AliasWrite, frozen=True, kw_only=True):
    id: Annotated[str, Meta(description="ID of the alias")]


class AliasId(msgspec.Struct, frozen=True, kw_only=True):
    id: Annotated[str, Meta(description="ID of the alias")]


def _with_alias(entity: Entity, alias: Alias) -> Entity:
    others = tuple(a for a in entity.aliases if a.id != alias.id)
    return msgspec.structs.replace(entity, aliases=(*others, alias))


async def create(ctx: IdentityContext, req: Request, f: AliasWrite) -> Response:
    """Vault's `entity-alias` write: an `id` updates that alias; otherwise `name` and
    `mount_accessor` name it, and a missing `canonical_id` makes a new entity for it."""
    if f.id:
        return await update(ctx, req, f)
    if not f.name or not f.mount_accessor:
        raise BadRequest("'id' or 'mount_accessor' and 'name' must be provided")
    ctx.mount(f.mount_accessor)

    async def attempt() -> Response:
        store = ctx.store
        now = store.now()
        existing = await store.entity_by_alias(f.mount_accessor, f.name)
        if existing is not None:
            current = existing[0].alias_on(f.mount_accessor)
            if current is None or (f.owner_id and f.owner_id != existing[0].id):
                raise BadRequest("alias already exists for the mount accessor and name")
            custom = {} if isinstance(f.custom_metadata, UnsetType) else f.custom_metadata
            changed = msgspec.structs.replace(current, custom_metadata=custom, last_update_time=now)
            await store.save_entity(_with_alias(existing[0], changed), existing)
            return Response({"canonical_id": existing[0].id, "id": current.id})
        owner = await store.entity(f.owner_id) if f.owner_id else None
        if f.owner_id and owner is None:
            raise BadRequest("invalid canonical ID")
        if owner is not None and owner[0].alias_on(f.mount_accessor) is not None:
            raise BadRequest("Alias already exists for requested entity and mount accessor")
        entity = (
            owner[0]
            if owner
            else Entity(id=new_id(), name=auto_name(), creation_time=now, last_update_time=now)
        )
        alias = Alias(
            id=new_id(),
            canonical_id=entity.id,
            mount_accessor=f.mount_accessor,
            name=f.name,
            # ({}, not None, as OpenBao's for an alias made here rather than by a log-in)
            custom_metadata={} if isinstance(f.custom_metadata, UnsetType) else f.custom_metadata,
            creation_time=now,
            last_update_time=now,
        )
        await store.save_entity(_with_alias(entity, alias), owner)
        return Response({"canonical_id": entity.id, "id": alias.id})

    return await retrying(attempt)


async def update(ctx: IdentityContext, _req: Request, f: AliasWrite) -> Response:
    """Change the fields sent of alias `id`. Raises BadRequest for an unknown alias, mount
    or entity, or a name already used on that mount."""
    if f.mount_accessor:
        ctx.mount(f.mount_accessor)

    async def attempt() -> Response:
        store = ctx.store
        owner = await store.entity_by_alias_id(f.id)
        current = None if owner is None else next(a for a in owner[0].aliases if a.id == f.id)
        if owner is None or current is None:
            raise BadRequest("invalid alias ID provided")
        changed = msgspec.structs.replace(
            current,
            name=f.name or current.name,
            mount_accessor=f.mount_accessor or current.mount_accessor,
            last_update_time=store.now(),
        )
        # OpenBao replaces custom_metadata on every update by id: not sent clears it.
        custom = None if isinstance(f.custom_metadata, UnsetType) else f.custom_metadata
        changed = msgspec.structs.replace(changed, custom_metadata=custom)
        target: tuple[Entity, int] | None = owner
        if f.owner_id and f.owner_id != owner[0].id:
            target = await store.entity(f.owner_id)
        if target is None:
            raise BadRequest("invalid canonical ID")
        taken = target[0].alias_on(changed.mount_accessor)
        if taken is not None and taken.id != f.id:
            raise BadRequest("Alias already exists for requested entity and mount accessor")
        changed = msgspec.structs.replace(changed, canonical_id=target[0].id)
        if target is owner:
            await store.save_entity(_with_alias(owner[0], changed), owner)
        else:
            left = msgspec.structs.replace(
                owner[0], aliases=tuple(a for a in owner[0].aliases if a.id != f.id)
            )
            await store.view.transact(
                [*entity_ops(left, owner), *entity_ops(_with_alias(target[0], changed), target)],
                outside=[store.invalidation()],
            )
        return Response({"canonical_id": changed.canonical_id, "id": changed.id})

    return await retrying(attempt)


async def _alias(ctx: IdentityContext, alias_id: str) -> tuple[Entity, int, Alias] | None:
    owner = await ctx.store.entity_by_alias_id(alias_id)
    if owner is None:
        return None
    alias = next((a for a in owner[0].aliases if a.id == alias_id), None)
    return None if alias is None else (owner[0], owner[1], alias)


async def read(ctx: IdentityContext, _req: Request, f: AliasId) -> Response:
    found = await _alias(ctx, f.id)
    if found is None:
        raise NotFound
    return Response(render.alias_read(ctx, found[2]))


async def delete(ctx: IdentityContext, _req: Request, f: AliasId) -> Response:
    async def attempt() -> Response:
        found = await _alias(ctx, f.id)
        if found is not None:
            entity, version, alias = found
            left = msgspec.structs.replace(
                entity, aliases=tuple(a for a in entity.aliases if a.id != alias.id)
            )
            await ctx.store.save_entity(left, (entity, version))
        return NO_CONTENT

    return await retrying(attempt)


async def list_ids(ctx: IdentityContext, _req: Request, _f: NoFields) -> Response:
    aliases = sorted((a for e in await ctx.store.entities() for a in e.aliases), key=lambda a: a.id)
    if not aliases:
        raise NotFound
    return Response(
        {
            "key_info": {a.id: render.alias_info(ctx, a) for a in aliases},
            "keys": [a.id for a in aliases],
        }
    )
