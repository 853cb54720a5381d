"""What the OIDC paths need to know about an entity, and where they ask for it.

The identity engine's entity store implements `EntityDirectory`; the OIDC code never reads
entity records itself, so the two share only this shape (Vault's `logical.Entity` and
`logical.Group`, as `identitytpl` sees them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol


class AliasFacts(Protocol):
    """One alias of an entity: the account it has in one auth mount."""

    @property
    def id(self) -> str: ...
    @property
    def mount_accessor(self) -> str: ...
    @property
    def mount_type(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def metadata(self) -> Mapping[str, str]: ...


class EntityFacts(Protocol):
    """An entity as token claims and templates render it."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def namespace_id(self) -> str: ...
    @property
    def metadata(self) -> Mapping[str, str]: ...
    @property
    def disabled(self) -> bool: ...
    @property
    def aliases(self) -> Sequence[AliasFacts]: ...
    @property
    def group_ids(self) -> Sequence[str]: ...
    @property
    def group_names(self) -> Sequence[str]: ...


class EntityDirectory(Protocol):
    async def facts(self, entity_id: str) -> EntityFacts | None:
        """The entity `entity_id` of this namespace, or None if there is none."""
        ...
