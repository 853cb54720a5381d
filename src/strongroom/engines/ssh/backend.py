"""The SSH secrets engine's backend: Vault's `ssh` API over one mount's storage view.

A LeaseHolder for its one-time passwords: when an OTP's lease ends the core calls
`revoke_lease`, which deletes the OTP if no host has spent it. Certificates are not leased
(Vault's neither): they end at their `valid_before`. Fields, help and the OpenAPI description
come from the table in `paths.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strongroom.engines.ssh import path_otp
from strongroom.engines.ssh.context import SshContext
from strongroom.engines.ssh.paths import TABLE
from strongroom.logical import MountContext, Request, Response


class SshBackend:
    """Vault's `ssh` engine: a CA for OpenSSH certificates, and one-time passwords."""

    unauthenticated = TABLE.unauthenticated
    paths = TABLE  # its route table, for sys/internal/specs/openapi, help and sudo

    def __init__(self, ctx: MountContext) -> None:
        self.ctx = SshContext(ctx)

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount. Raises StrongroomError subclasses."""
        return await TABLE.dispatch(self.ctx, request, path)

    async def revoke_lease(self, internal: Mapping[str, Any]) -> None:
        await path_otp.revoke(self.ctx, internal)

    async def renew_lease(self, internal: Mapping[str, Any], expires_at: float) -> None:
        """OTP leases are not renewable; the core refuses before asking."""
        del internal, expires_at
