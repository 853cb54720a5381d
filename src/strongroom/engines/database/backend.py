"""The database secrets engine's backend: Vault's `database` API over one mount's storage view.

It is a LeaseHolder (the core calls `revoke_lease`/`renew_lease` as dynamic users' leases end
or renew) and has a `tick` the core calls every few seconds on every worker: interrupted
rotations are finished, overlapped users retired, due static roles rotated, and pools of
deleted or changed configs closed. `close` releases this worker's pools (unmount, seal, tests).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strongroom.engines.database import path_creds
from strongroom.engines.database.context import DatabaseContext
from strongroom.engines.database.paths import TABLE
from strongroom.logical import MountContext, Request, Response


class DatabaseBackend:
    """Vault's `database` engine: connections, dynamic roles, static roles."""

    unauthenticated = TABLE.unauthenticated
    paths = TABLE  # its route table, for sys/internal/specs/openapi, help and sudo

    def __init__(self, ctx: MountContext) -> None:
        self.ctx = DatabaseContext.of(ctx)
        self.db = self.ctx.db
        self.rotations = self.ctx.rotations

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount. Raises StrongroomError subclasses."""
        return await TABLE.dispatch(self.ctx, request, path)

    async def exists(self, path: str) -> bool:
        """Vault's ExistenceCheck: a write to an absent config or role is a "create"."""
        return await TABLE.exists(self.ctx, path)

    async def revoke_lease(self, internal: Mapping[str, Any]) -> None:
        await path_creds.revoke(self.db, internal)

    async def renew_lease(self, internal: Mapping[str, Any], expires_at: float) -> None:
        await path_creds.renew(self.db, internal, expires_at)

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
