"""Creating and deleting namespaces: what a new one starts with, and everything that goes with
a deleted one (its tokens, leases, policies, mounts and their data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from strongroom.core.namespaces.registry import NamespaceEntry, storage_prefix
from strongroom.errors import BadRequest

if TYPE_CHECKING:
    from strongroom.core.core import Core


async def create(core: Core, path: str, metadata: dict[str, str]) -> NamespaceEntry:
    """Create `path` (absolute) with Vault's starting state: `sys/`, `auth/token/` and the
    `default` policy of its own."""
    created = await core.namespaces.create(path, metadata)
    scoped = await core.scope(created)
    await scoped.install_default_mounts()
    await scoped.policies.create_default()
    return created


async def delete(core: Core, namespace: NamespaceEntry) -> None:
    """Revoke the namespace's tokens and leases, then remove it and purge its storage.

    The leases go first and may refuse (a database that is down): the namespace then stays, as a
    mount with unrevocable leases does in Vault, rather than orphaning credentials.
    """
    if core.namespaces.children(namespace):
        raise BadRequest(f'namespace "{namespace.path}" has child namespaces; delete them first')
    await core.leases.revoke_prefix(namespace.path)
    tokens = core.tokens.store
    for accessor in await tokens.accessors():
        entry = await tokens.by_accessor(accessor)
        if entry is not None and entry.namespace == namespace.id:
            await core.tokens.revoke(entry)
    await core.namespaces.remove(namespace)
    await core.purge(storage_prefix(namespace))
