"""Creating and deleting namespaces: what a new one starts with, and everything that goes with
a deleted one (its tokens, leases, policies, mounts and their data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from strongroom.core.mount_manager import full_path
from strongroom.core.namespaces.registry import NamespaceEntry, storage_prefix
from strongroom.errors import BadRequest

if TYPE_CHECKING:
    from strongroom.core.core import Core

PURGE_PAGE = 64  # top-level storage entries per background round


async def create(core: Core, path: str, metadata: dict[str, str]) -> NamespaceEntry:
    """Create `path` (absolute) with Vault's starting state: `sys/`, `auth/token/` and the
    `default` policy of its own."""
    parent = core.namespaces.by_path(NamespaceEntry(id="", path=path).parent_path)
    if parent is not None:
        name = path[len(parent.path) :]
        holder = await core.scope(parent)
        # Paths and lease ids of a namespace start with its name: a parent mount under the same
        # name would be shadowed, and its leases would look like the child's.
        for kind in ("mounts", "auth"):
            if any(full_path(e, kind).startswith(name) for e in holder.mounts.entries(kind)):
                raise BadRequest(f'"{name}" is a mount path in namespace "{parent.path}"')
    created = await core.namespaces.create(path, metadata)
    scoped = await core.scope(created)
    await scoped.tenant_keys().create_key()
    await scoped.install_default_mounts()
    await scoped.policies.create_default()
    return created


async def delete(core: Core, namespace: NamespaceEntry) -> None:
    """Revoke the namespace's leases and tokens, destroy its key, and leave the purge of its
    (now unreadable) storage to the background round (`purge_step`).

    The leases go first and may refuse (a database that is down): the namespace then stays, as a
    mount with unrevocable leases does in Vault, rather than orphaning credentials.
    """
    if core.namespaces.children(namespace):
        raise BadRequest(f'namespace "{namespace.path}" has child namespaces; delete them first')
    await core.leases.revoke_prefix(namespace.path)
    tokens = core.tokens.store
    for accessor in await tokens.accessors(lambda namespace_id: namespace_id == namespace.id):
        entry = await tokens.by_accessor(accessor)
        if entry is not None:
            await core.tokens.revoke(entry)
    scoped = await core.scope(namespace)
    await core.namespaces.replace(msgspec.structs.replace(namespace, deleting=True))
    await scoped.tenant_keys().destroy_key()  # from here on, nothing of it opens


async def purge_step(core: Core, namespace: NamespaceEntry) -> None:
    """One round of a deletion's purge: a page of storage entries, then the progress; the
    namespace leaves the table when nothing of it is left."""
    prefix = storage_prefix(namespace)
    removed = 0
    for key in await core.barrier.list(prefix, limit=PURGE_PAGE):
        if key.endswith("/"):
            await core.purge(prefix + key)  # a whole folder (a mount's data) at once
        else:
            await core.barrier.delete(prefix + key)
        removed += 1
    if removed:
        progress = msgspec.structs.replace(namespace, purged=namespace.purged + removed)
        await core.namespaces.replace(progress)
    else:
        await core.namespaces.remove(namespace)
