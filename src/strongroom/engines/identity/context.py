"""What every identity handler is handed (`IdentityContext`): the namespace's identity store,
the auth mounts its aliases may name, and the resolution of an entity into what the core
needs on each request (`resolve`) and what the OIDC provider reads (`facts`).

Resolutions are cached per worker and dropped with the group table whenever the
configuration epoch moves (every identity write moves it), so a disabled entity or a changed
policy is seen at once everywhere (DESIGN.md invariant 10).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from strongroom.engines.identity import templates
from strongroom.engines.identity.models import AliasFacts, Entity, EntityFacts, GroupTable, Resolved
from strongroom.engines.identity.store import IdentityStore
from strongroom.errors import BadRequest


@dataclass(frozen=True, slots=True)
class AuthMount:
    """An auth mount of the namespace, as an alias names it."""

    accessor: str
    type: str
    path: str  # "auth/approle/"


@dataclass
class IdentityContext:
    store: IdentityStore
    namespace_id: str  # Vault's: "root" for the root namespace
    auth_mount: Callable[[str], AuthMount | None]  # by accessor
    _resolved: dict[str, Resolved | None] = field(default_factory=dict)

    def clear_cache(self) -> None:
        self._resolved.clear()
        self.store.clear_cache()

    def mount(self, accessor: str) -> AuthMount:
        """Raises BadRequest, as Vault does, if no auth mount of this namespace has it."""
        found = self.auth_mount(accessor)
        if found is None:
            raise BadRequest("invalid mount accessor")
        return found

    async def group_ids(self, entity_id: str) -> tuple[list[str], list[str]]:
        """The entity's direct groups and those it inherits through their parents."""
        table = await self.store.groups()
        direct = table.direct_of(entity_id)
        return direct, table.ancestors(direct)

    async def resolve(self, entity_id: str) -> Resolved | None:
        """What the entity means for a token on this request; None if it does not exist."""
        if entity_id in self._resolved:
            return self._resolved[entity_id]
        found = await self.store.entity_or_merged(entity_id)
        resolved = None if found is None else await self._resolution(found[0])
        self._resolved[entity_id] = resolved
        return resolved

    async def _resolution(self, entity: Entity) -> Resolved:
        table = await self.store.groups()
        groups = _all_groups(table, entity.id)
        policies = {*entity.policies}
        for group_id in groups:
            policies.update(table.groups[group_id].policies)
        return Resolved(
            entity_id=entity.id,
            disabled=entity.disabled,
            policies=tuple(sorted(policies)),
            templates=templates.identity_values(entity, [table.groups[g] for g in groups]),
        )

    async def facts(self, entity_id: str) -> EntityFacts | None:
        """The entity as the OIDC provider reads it (its `EntityDirectory` protocol)."""
        found = await self.store.entity(entity_id)
        if found is None:
            return None
        entity = found[0]
        table = await self.store.groups()
        groups = _all_groups(table, entity.id)
        return EntityFacts(
            id=entity.id,
            name=entity.name,
            namespace_id=self.namespace_id,
            metadata=dict(entity.metadata or {}),
            disabled=entity.disabled,
            aliases=tuple(
                AliasFacts(
                    id=a.id,
                    mount_accessor=a.mount_accessor,
                    mount_type=self._mount_type(a.mount_accessor),
                    name=a.name,
                    metadata=dict(a.metadata or {}),
                )
                for a in entity.aliases
            ),
            group_ids=tuple(groups),
            group_names=tuple(table.groups[g].name for g in groups),
        )

    def _mount_type(self, accessor: str) -> str:
        found = self.auth_mount(accessor)
        return "" if found is None else found.type


def _all_groups(table: GroupTable, entity_id: str) -> list[str]:
    direct = table.direct_of(entity_id)
    return [*direct, *table.ancestors(direct)]
