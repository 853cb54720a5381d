"""Layer 4, the PKI secrets engine's backend (Vault `pki`), built per mount by the core.

Fields, help, sudo paths and existence checks come from `paths.py`; the core honours
`unauthenticated` (Vault's list for pki: CA and CRL fetches, `cert/*`, OCSP). The scheduler's
`tick` rebuilds CRLs that are due (`auto_rebuild`, deltas) and runs auto-tidy.
"""

from __future__ import annotations

from strongroom.engines.pki import crl, path_config
from strongroom.engines.pki.context import PkiContext
from strongroom.engines.pki.paths import TABLE, UNAUTHENTICATED
from strongroom.logical import MountContext, Request, Response


class PkiBackend:
    """One `pki` mount."""

    unauthenticated = UNAUTHENTICATED
    paths = TABLE  # its route table, for sys/internal/specs/openapi, help and sudo

    def __init__(self, ctx: MountContext) -> None:
        self.ctx = PkiContext.build(ctx)

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount. Raises StrongroomError subclasses."""
        return await TABLE.dispatch(self.ctx, request, path)

    async def exists(self, path: str) -> bool:
        return await TABLE.exists(self.ctx, path)

    async def tick(self) -> None:
        """The core's background round: CRL rebuilds that are due, then auto-tidy."""
        await crl.periodic(self.ctx)
        await path_config.auto_tidy_due(self.ctx)
