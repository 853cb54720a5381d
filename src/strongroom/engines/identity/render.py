"""Entities, aliases and groups as Vault renders them (checked against `bao server -dev`):
RFC 3339 times, `null` for absent metadata, alias mounts named by path and type."""

from __future__ import annotations

from typing import Any

from strongroom.clock import rfc3339
from strongroom.engines.identity.context import IdentityContext
from strongroom.engines.identity.models import Alias, Entity, Group, GroupTable


def _mount_fields(ctx: IdentityContext, alias: Alias) -> dict[str, str]:
    found = ctx.auth_mount(alias.mount_accessor)
    return {
        "mount_accessor": alias.mount_accessor,
        "mount_path": "" if found is None else found.path,
        "mount_type": "" if found is None else found.type,
    }


def alias(ctx: IdentityContext, found: Alias, *, group: bool = False) -> dict[str, Any]:
    """An alias as it appears inside its entity (or group, without custom metadata)."""
    rendered: dict[str, Any] = {
        "canonical_id": found.canonical_id,
        "creation_time": rfc3339(found.creation_time),
        "id": found.id,
        "last_update_time": rfc3339(found.last_update_time),
        "merged_from_canonical_ids": _list_or_null(found.merged_from_canonical_ids),
        "metadata": found.metadata or None,
        "name": found.name,
        **_mount_fields(ctx, found),
    }
    if not group:
        rendered["custom_metadata"] = found.custom_metadata
        rendered["local"] = False
    return rendered


def alias_read(ctx: IdentityContext, found: Alias) -> dict[str, Any]:
    """`entity-alias/id/:id` and `group-alias/id/:id`."""
    return {**alias(ctx, found), "namespace_id": ctx.namespace_id}


def alias_info(ctx: IdentityContext, found: Alias) -> dict[str, Any]:
    """An alias in a LIST's `key_info`."""
    return {
        "canonical_id": found.canonical_id,
        "custom_metadata": found.custom_metadata,
        "local": False,
        "metadata": found.metadata or None,
        "name": found.name,
        **_mount_fields(ctx, found),
    }


def entity(ctx: IdentityContext, found: Entity, table: GroupTable) -> dict[str, Any]:
    direct = table.direct_of(found.id)
    inherited = table.ancestors(direct)
    return {
        "aliases": [alias(ctx, a) for a in found.aliases],
        "creation_time": rfc3339(found.creation_time),
        "direct_group_ids": direct,
        "disabled": found.disabled,
        "group_ids": [*direct, *inherited],
        "id": found.id,
        "inherited_group_ids": inherited,
        "last_update_time": rfc3339(found.last_update_time),
        "merged_entity_ids": _list_or_null(found.merged_entity_ids),
        "metadata": found.metadata or None,
        "name": found.name,
        "namespace_id": ctx.namespace_id,
        "policies": list(found.policies),
    }


def entity_info(ctx: IdentityContext, found: Entity) -> dict[str, Any]:
    """An entity in `entity/id`'s LIST `key_info`."""
    info: dict[str, Any] = {"name": found.name}
    if found.aliases:
        info["aliases"] = [
            {"id": a.id, "name": a.name, **_mount_fields(ctx, a)} for a in found.aliases
        ]
    return info


def group(ctx: IdentityContext, found: Group, table: GroupTable) -> dict[str, Any]:
    return {
        "alias": {} if found.alias is None else alias(ctx, found.alias, group=True),
        "creation_time": rfc3339(found.creation_time),
        "id": found.id,
        "last_update_time": rfc3339(found.last_update_time),
        "member_entity_ids": _list_or_null(found.member_entity_ids),
        "member_group_ids": _list_or_null(found.member_group_ids),
        "metadata": found.metadata or None,
        "modify_index": found.modify_index,
        "name": found.name,
        "namespace_id": ctx.namespace_id,
        "parent_group_ids": _list_or_null(table.parents(found.id)),
        "policies": _list_or_null(found.policies),
        "type": found.type,
    }


def group_info(found: Group, table: GroupTable) -> dict[str, Any]:
    """A group in `group/id`'s LIST `key_info`."""
    return {
        "name": found.name,
        "num_member_entities": len(found.member_entity_ids),
        "num_parent_groups": len(table.parents(found.id)),
    }


def _list_or_null(values: tuple[str, ...] | list[str] | None) -> list[str] | None:
    return list(values) if values else None
