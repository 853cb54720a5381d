"""The database secrets engine's backend: Vault's `database` API over one mount's storage view.

It is a LeaseHolder (the core calls `revoke_lease`/`renew_lease` as dynamic users' leases end
or renew) and has a `tick` the core calls every few seconds on every worker: interrupted
rotations are finished, overlapped users retired, due static roles rotated, and pools of
deleted or changed configs closed. `close` releases this worker's pools (unmount, seal, tests).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strongroom.core.mounts import MountContext
from strongroom.core.request import Request, Response
from strongroom.engines.database import creds
from strongroom.engines.database.paths import ROUTER
from strongroom.engines.database.rotation import Rotations
from strongroom.engines.database.service import Database
from strongroom.engines.database.store import DatabaseStore


class DatabaseBackend:
    """Vault's `database` engine: connections, dynamic roles, static roles."""

    unauthenticated: frozenset[str] = frozenset()
    paths = ROUTER  # its route table, for sys/internal/specs/openapi

    def __init__(self, ctx: MountContext) -> None:
        self.db = Database(
            store=DatabaseStore(ctx.view),
            clock=ctx.clock,
            passwords=ctx.passwords,
            lease_ttls=ctx.lease_ttls,
            emit=ctx.emit,
        )
        self.rotations = Rotations(self.db)

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount. Raises StrongroomError subclasses."""
        return await ROUTER.dispatch(self.rotations, request, path)

    async def exists(self, path: str) -> bool:
        """Vault's ExistenceCheck: a write to an absent config or role is a "create"."""
        store = self.db.store
        prefix, _, name = path.partition("/")
        if not name or "/" in name:
            return True
        if prefix == "config":
            return await store.config(name) is not None
        if prefix == "roles":
            return await store.role(name) is not None
        if prefix == "static-roles":
            return await store.static_role(name) is not None
        return True

    async def revoke_lease(self, internal: Mapping[str, Any]) -> None:
        await creds.revoke(self.db, internal)

    async def renew_lease(self, internal: Mapping[str, Any], expires_at: float) -> None:
        await creds.renew(self.db, internal, expires_at)

    async def tick(self) -> None:
        await self.rotations.tick()
        live: dict[str, int] = {}
        for name in self.db.connections.names():
            found = await self.db.store.config(name)
            if found is not None:
                live[name] = found.version
        await self.db.connections.prune(live)

    async def close(self) -> None:
        await self.db.connections.close()
