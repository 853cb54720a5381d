"""Entity paths: `entity`, `entity/id/:id`, `entity/name/:name`, their LISTs,
`entity/batch-delete` and `entity/merge` (api-docs/secret/identity/entity; answers checked
against `bao server -dev`: a creation answers 200 with the id, an update 204)."""

from __future__ import annotations

import functools
from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.identity import render
from strongroom.engines.identity.context import IdentityContext
from strongroom.engines.identity.models import Entity
from strongroom.engines.identity.store import new_id
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, UNSET, NoFields, Request, Response, UnsetType, retrying

SYNOPSIS = "Create a new entity"
ID_SYNOPSIS = "Update, read or delete an entity using entity ID"
NAME_SYNOPSIS = "Update, read or delete an entity using entity name"
LIST_SYNOPSIS = "List all the entity IDs"
LIST_NAME_SYNOPSIS = "List all the entity names"
BATCH_SYNOPSIS = "Delete all of the entities provided"

EntityName = Annotated[str, Meta(description="Name of the entity")]
Metadata = Annotated[
    dict[str, str],
    Meta(
        description="Metadata to be associated with the entity. In CLI, this parameter can be "
        "repeated multiple times, and it all gets merged together."
    ),
]
Policies = Annotated[list[str], Meta(description="Policies to be tied to the entity.")]
Disabled = Annotated[
    bool, Meta(description="If set true, tokens tied to this identity will not be able to be used")
]


class EntityWrite(msgspec.Struct, frozen=True, kw_only=True):
    id: Annotated[str, Meta(description="ID of the entity. If set, updates the entity.")] = ""
    name: EntityName | UnsetType = UNSET
    metadata: Metadata | UnsetType = UNSET
    policies: Policies | UnsetType = UNSET
    disabled: Disabled | UnsetType = UNSET


class EntityById(EntityWrite, frozen=True, kw_only=True):
    id: Annotated[str, Meta(description="ID of the entity.")]


class EntityByName(EntityWrite, frozen=True, kw_only=True):
    name: EntityName


class IdOnly(msgspec.Struct, frozen=True, kw_only=True):
    id: Annotated[str, Meta(description="ID of the entity.")]


class NameOnly(msgspec.Struct, frozen=True, kw_only=True):
    name: EntityName


class BatchDelete(msgspec.Struct, frozen=True, kw_only=True):
    entity_ids: Annotated[list[str], Meta(description="Entity IDs to delete")] = msgspec.field(
        default_factory=list
    )


def auto_name() -> str:
    """Vault's generated entity name (OpenBao adds the namespace: `entity_1a2b3c4d.root`)."""
    return f"entity_{new_id()[:8]}"


def _policies(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in values if p.strip()))


async def upsert(
    ctx: IdentityContext,
    entity_id: str,
    name: str | UnsetType,
    metadata: dict[str, str] | UnsetType,
    policies: list[str] | UnsetType,
    disabled: bool | UnsetType,
) -> Response:
    """Create the entity, or change the fields sent of the one `entity_id` or `name` names.
    Raises BadRequest (unknown id, a name another entity holds)."""

    async def attempt() -> Response:
        store = ctx.store
        found = await store.entity(entity_id) if entity_id else None
        if entity_id and found is None:
            raise BadRequest("entity not found from id")
        by_name = None if isinstance(name, UnsetType) else await store.entity_by_name(name)
        if found is None:
            found = by_name
        elif by_name is not None and by_name[0].id != found[0].id:
            raise BadRequest("entity name is already in use")
        now = store.now()
        base = found[0] if found else Entity(id=new_id(), name=auto_name(), creation_time=now)
        changed = msgspec.structs.replace(base, last_update_time=now)
        if not isinstance(name, UnsetType) and name:
            changed = msgspec.structs.replace(changed, name=name)
        if not isinstance(metadata, UnsetType):
            changed = msgspec.structs.replace(changed, metadata=dict(metadata) or None)
        if not isinstance(policies, UnsetType):
            changed = msgspec.structs.replace(changed, policies=_policies(policies))
        if not isinstance(disabled, UnsetType):
            changed = msgspec.structs.replace(changed, disabled=disabled)
        await store.save_entity(changed, found)
        if found is not None:
            return NO_CONTENT
        return Response({"aliases": None, "id": changed.id, "name": changed.name})

    return await retrying(attempt)


async def write(ctx: IdentityContext, _req: Request, f: EntityWrite) -> Response:
    """`entity`, `entity/id/:id` and `entity/name/:name` (each with its own Struct)."""
    return await upsert(ctx, f.id, f.name, f.metadata, f.policies, f.disabled)


async def _answer(ctx: IdentityContext, found: tuple[Entity, int] | None) -> Response:
    if found is None:
        raise NotFound
    return Response(render.entity(ctx, found[0], await ctx.store.groups()))


async def read_by_id(ctx: IdentityContext, _req: Request, f: IdOnly) -> Response:
    return await _answer(ctx, await ctx.store.entity(f.id))


async def read_by_name(ctx: IdentityContext, _req: Request, f: NameOnly) -> Response:
    return await _answer(ctx, await ctx.store.entity_by_name(f.name))


async def _delete(ctx: IdentityContext, found: tuple[Entity, int] | None) -> Response:
    """Deleting nothing is fine (Vault answers 204 either way)."""
    if found is not None:
        await ctx.store.delete_entity(found)
    return NO_CONTENT


async def delete_by_id(ctx: IdentityContext, _req: Request, f: IdOnly) -> Response:
    return await retrying(functools.partial(_delete_fresh, ctx, f.id))


async def _delete_fresh(ctx: IdentityContext, entity_id: str) -> Response:
    return await _delete(ctx, await ctx.store.entity(entity_id))


async def delete_by_name(ctx: IdentityContext, _req: Request, f: NameOnly) -> Response:
    async def attempt() -> Response:
        return await _delete(ctx, await ctx.store.entity_by_name(f.name))

    return await retrying(attempt)


async def list_ids(ctx: IdentityContext, _req: Request, _f: NoFields) -> Response:
    entities = sorted(await ctx.store.entities(), key=lambda e: e.id)
    if not entities:
        raise NotFound
    return Response(
        {
            "key_info": {e.id: render.entity_info(ctx, e) for e in entities},
            "keys": [e.id for e in entities],
        }
    )


async def list_names(ctx: IdentityContext, _req: Request, _f: NoFields) -> Response:
    names = sorted(e.name for e in await ctx.store.entities())
    if not names:
        raise NotFound
    return Response({"keys": names})


async def batch_delete(ctx: IdentityContext, _req: Request, f: BatchDelete) -> Response:
    """Delete every entity named that exists (the others are skipped, as Vault does)."""
    if not f.entity_ids:
        raise BadRequest("missing entity ids to delete")
    for entity_id in dict.fromkeys(f.entity_ids):
        await retrying(functools.partial(_delete_fresh, ctx, entity_id))
    return NO_CONTENT
