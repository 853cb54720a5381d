"""The RabbitMQ secrets engine's backend: Vault's `rabbitmq` API over one mount's storage view.

A LeaseHolder: when a generated user's lease ends (revoked, expired) the core calls
`revoke_lease`, which deletes the user through the management API; renewing changes nothing on
the broker (RabbitMQ users do not expire), exactly as in Vault. Fields, help and the OpenAPI
description come from the table in `paths.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strongroom.engines.rabbitmq import path_creds
from strongroom.engines.rabbitmq.context import RabbitMqContext
from strongroom.engines.rabbitmq.paths import TABLE
from strongroom.logical import MountContext, Request, Response


class RabbitMqBackend:
    """Vault's `rabbitmq` engine: connection, lease config, roles, leased credentials."""

    unauthenticated = TABLE.unauthenticated
    paths = TABLE  # its route table, for sys/internal/specs/openapi, help and sudo

    def __init__(self, ctx: MountContext) -> None:
        self.ctx = RabbitMqContext(ctx)

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount. Raises StrongroomError subclasses."""
        return await TABLE.dispatch(self.ctx, request, path)

    async def revoke_lease(self, internal: Mapping[str, Any]) -> None:
        await path_creds.revoke(self.ctx, internal)

    async def renew_lease(self, internal: Mapping[str, Any], expires_at: float) -> None:
        """Nothing to do: the user lives until its lease ends (Vault's secretCredsRenew)."""
        del internal, expires_at
