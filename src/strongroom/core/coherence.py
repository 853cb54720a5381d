"""Cache coherence across workers and nodes (DESIGN.md "Processes", invariant 10).

Every change to configuration (mounts, policies, audit devices, namespaces, quotas, a revoked
token) moves the epoch record in the same transaction; a worker that sees another epoch than
the one its caches reflect drops them all before it answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from strongroom.core import identity
from strongroom.core.epoch import EPOCH_RECORD

if TYPE_CHECKING:
    from strongroom.core.core import Core


async def sync_caches(core: Core) -> None:
    """Drop this worker's configuration caches if any worker or node changed them."""
    node = core.node
    epoch = await core.barrier.version(EPOCH_RECORD)
    if epoch != node.epoch:
        core.tokens.clear_cache()
        core.quotas.clear_cache()
        await core.audit.reload()
        await core.namespaces.sync()
        for namespace_id, scoped in list(node.scopes.items()):
            found = core.namespaces.by_id(namespace_id)
            if found is None or found.deleting:
                del node.scopes[namespace_id]
                await scoped.mounts.close()  # its engines' pools hold the tenant's creds
            else:
                scoped.namespace = found  # its metadata may have changed
        for scoped in node.loaded():
            scoped.policies.clear_cache()
            await scoped.mounts.sync()
            identity.clear_caches(scoped)  # entities, groups: every identity write moves it
        node.epoch = epoch
