"""The values `{{identity.…}}` policy templates are filled from, for one entity (Vault's
sdk/helper/identitytpl names, docs "Templated policies" → "Parameters"):

    identity.entity.id | .name | .metadata.<key>
    identity.entity.aliases.<mount accessor>.id | .name | .metadata.<key> | .custom_metadata.<key>
    identity.groups.ids.<group id>.name | .metadata.<key>
    identity.groups.names.<group name>.id | .metadata.<key>

A name missing from the mapping leaves its policy path unfilled, which drops that path
(`strongroom.policy.resolve_templates`), as Vault does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from strongroom.engines.identity.models import Entity, Group


def identity_values(entity: Entity, groups: Iterable[Group]) -> dict[str, str]:
    values = {"identity.entity.id": entity.id, "identity.entity.name": entity.name}
    _metadata(values, "identity.entity.metadata.", entity.metadata)
    for alias in entity.aliases:
        base = f"identity.entity.aliases.{alias.mount_accessor}."
        values[base + "id"] = alias.id
        values[base + "name"] = alias.name
        _metadata(values, base + "metadata.", alias.metadata)
        _metadata(values, base + "custom_metadata.", alias.custom_metadata)
    for group in groups:
        values[f"identity.groups.ids.{group.id}.name"] = group.name
        values[f"identity.groups.names.{group.name}.id"] = group.id
        _metadata(values, f"identity.groups.ids.{group.id}.metadata.", group.metadata)
        _metadata(values, f"identity.groups.names.{group.name}.metadata.", group.metadata)
    return values


def _metadata(values: dict[str, str], prefix: str, metadata: Mapping[str, str] | None) -> None:
    for key, value in (metadata or {}).items():
        values[prefix + key] = value
