"""Background work of a worker, one round at a time: the server calls `tick` on a timer.

Every round is idempotent, so every worker (and node) may run it: each item is claimed with a
checked write and audited once (DESIGN.md invariant 9).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from strongroom.core import wrapping
from strongroom.core.coherence import sync_caches
from strongroom.core.namespaces import lifecycle

if TYPE_CHECKING:
    from strongroom.core.core import Core


async def tick(core: Core) -> None:
    """One round on the root's scope `core`: expire due tokens and leases, tidy wrapping
    tokens, checkpoint the audit log, purge deleted namespaces, then each backend's own `tick`
    (scheduled key rotation, version cleanup). Does nothing while sealed."""
    if core.barrier.sealed:
        return
    await sync_caches(core)
    expired = await core.tokens.expire_due()
    if expired:
        await core.audit.log_event("tokens-expired", {"count": expired})
    namespaces = [ns for ns in core.namespaces.all() if not ns.deleting]
    scopes = [await core.scope(ns) for ns in namespaces]  # every lease's engine, loaded
    await core.node.revoke_token_leases()
    leases = await core.leases.expire_due()
    if leases:
        await core.audit.log_event("leases-expired", {"count": leases})
    await wrapping.tidy(core)
    await core.audit.checkpoint()
    for namespace in core.namespaces.all():
        if namespace.deleting:
            await lifecycle.purge_step(core, namespace)
    for scoped in scopes:
        for mounted in scoped.mounts.mounted():
            backend_tick = getattr(mounted.backend, "tick", None)
            if backend_tick is not None:
                await backend_tick()
