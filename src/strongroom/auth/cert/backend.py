"""Layer 4, the cert auth method's backend (Vault `cert`), built per mount by the core.

`login` is its one unauthenticated path; the core honours `unauthenticated`, asks `exists` to
tell a certificate role's creation from its update, and mints the token that a log-in's
`Response.login` describes. Fields, existence checks and help come from `paths.py`.
"""

from __future__ import annotations

from strongroom.auth.cert.context import CertContext
from strongroom.auth.cert.paths import TABLE
from strongroom.auth.cert.store import Store
from strongroom.logical import MountContext, Request, Response


class CertBackend:
    """One `cert` mount."""

    unauthenticated = TABLE.unauthenticated
    paths = TABLE  # its route table, for sys/internal/specs/openapi

    def __init__(self, ctx: MountContext) -> None:
        self._ctx = CertContext(Store(ctx.view), ctx.clock)

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount; raises what the handler raises."""
        return await TABLE.dispatch(self._ctx, request, path)

    async def exists(self, path: str) -> bool:
        """Only `certs/:name` can be absent; every other path counts as existing (Vault)."""
        return await TABLE.exists(self._ctx, path)
