"""The RabbitMQ secrets engine's backend: Vault's `rabbitmq` API over one mount's storage view.

A LeaseHolder: when a generated user's lease ends (revoked, expired) the core calls
`revoke_lease`, which deletes the user through the management API; renewing changes nothing on
the broker (RabbitMQ users do not expire), exactly as in Vault.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strongroom.core.mounts import MountContext
from strongroom.core.request import Request, Response
from strongroom.engines.rabbitmq import paths


class RabbitMqBackend:
    """Vault's `rabbitmq` engine: connection, lease config, roles, leased credentials."""

    unauthenticated: frozenset[str] = frozenset()
    paths = paths.ROUTER  # its route table, for sys/internal/specs/openapi

    def __init__(self, ctx: MountContext) -> None:
        self.ctx = ctx

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount. Raises StrongroomError subclasses."""
        return await paths.ROUTER.dispatch(self.ctx, request, path)

    async def revoke_lease(self, internal: Mapping[str, Any]) -> None:
        await paths.revoke(self.ctx, internal)

    async def renew_lease(self, internal: Mapping[str, Any], expires_at: float) -> None:
        """Nothing to do: the user lives until its lease ends (Vault's secretCredsRenew)."""
        del internal, expires_at
