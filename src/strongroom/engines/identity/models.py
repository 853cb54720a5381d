"""The identity store's records (Vault's `identity.Entity`, `identity.Alias`, `identity.Group`)
and the read-only facts it hands other parts of the server.

An entity keeps its aliases inside its own record, as Vault does, so an alias never outlives or
disagrees with its entity. All groups of a namespace live in one record (`GroupTable`): group
membership and inheritance are resolved in memory from one read, and every group change is one
checked write.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import msgspec

GroupType = Literal["internal", "external"]


class Alias(msgspec.Struct, frozen=True, kw_only=True):
    """An entity alias or a group alias: a name an auth mount knows its user (group) by."""

    id: str
    canonical_id: str  # the entity's (group's) id
    mount_accessor: str
    name: str
    metadata: dict[str, str] | None = None  # set by the auth method at each log-in
    custom_metadata: dict[str, str] | None = None  # set by operators
    creation_time: float = 0.0
    last_update_time: float = 0.0
    merged_from_canonical_ids: tuple[str, ...] | None = None


class Entity(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    policies: tuple[str, ...] = ()
    metadata: dict[str, str] | None = None
    disabled: bool = False
    aliases: tuple[Alias, ...] = ()
    creation_time: float = 0.0
    last_update_time: float = 0.0
    merged_entity_ids: tuple[str, ...] | None = None

    def alias_on(self, accessor: str) -> Alias | None:
        return next((a for a in self.aliases if a.mount_accessor == accessor), None)


class Group(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    type: GroupType = "internal"
    policies: tuple[str, ...] = ()
    metadata: dict[str, str] | None = None
    member_entity_ids: tuple[str, ...] = ()
    member_group_ids: tuple[str, ...] = ()
    alias: Alias | None = None  # external groups only
    creation_time: float = 0.0
    last_update_time: float = 0.0
    modify_index: int = 0


class GroupTable(msgspec.Struct, frozen=True):
    """Every group of the namespace, by id."""

    groups: dict[str, Group] = {}

    def by_name(self, name: str) -> Group | None:
        return next((g for g in self.groups.values() if g.name == name), None)

    def by_alias(self, accessor: str, name: str) -> Group | None:
        return next(
            (
                g
                for g in self.groups.values()
                if g.alias is not None
                and g.alias.mount_accessor == accessor
                and g.alias.name == name
            ),
            None,
        )

    def alias_by_id(self, alias_id: str) -> Group | None:
        return next(
            (g for g in self.groups.values() if g.alias is not None and g.alias.id == alias_id),
            None,
        )

    def parents(self, group_id: str) -> list[str]:
        """The groups that hold `group_id` among their member groups."""
        return sorted(g.id for g in self.groups.values() if group_id in g.member_group_ids)

    def direct_of(self, entity_id: str) -> list[str]:
        """The groups `entity_id` is a member of itself."""
        return sorted(g.id for g in self.groups.values() if entity_id in g.member_entity_ids)

    def ancestors(self, group_ids: Sequence[str]) -> list[str]:
        """Every group reached from `group_ids` through parents, `group_ids` excluded (Vault's
        inherited groups); a cycle cannot form (writes refuse one) but would still end."""
        seen = set(group_ids)
        found: list[str] = []
        queue = list(group_ids)
        while queue:
            for parent in self.parents(queue.pop(0)):
                if parent not in seen:
                    seen.add(parent)
                    found.append(parent)
                    queue.append(parent)
        return found


@dataclass(frozen=True, slots=True)
class AliasFacts:
    """An entity alias as others read it (the OIDC provider's `EntityDirectory`)."""

    id: str
    mount_accessor: str
    mount_type: str
    name: str
    metadata: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class EntityFacts:
    """An entity with its aliases and groups (direct and inherited), read-only."""

    id: str
    name: str
    namespace_id: str
    metadata: Mapping[str, str]
    disabled: bool
    aliases: Sequence[AliasFacts]
    group_ids: Sequence[str]
    group_names: Sequence[str]


@dataclass(frozen=True, slots=True)
class Resolved:
    """What the core needs of a token's entity on each request: whether it may act, the
    policies its entity and groups add (Vault's identity_policies), and the values
    `{{identity.…}}` policy templates fill in."""

    entity_id: str
    disabled: bool
    policies: tuple[str, ...]
    templates: Mapping[str, str]
