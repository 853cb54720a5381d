"""Layer 4, the token store's mount `auth/token/` (Vault's token_store.go paths), built by the
core for each scope with the `TokenContext` it implements (`core/token/scoped.py`).

Fields, the sudo path (`accessors/`; `revoke-orphan` checks sudo in its handler, as Vault's),
the role existence check and help come from `paths.py`; the tokens themselves are the core's
node service.
"""

from __future__ import annotations

from strongroom.auth.token.context import TokenContext
from strongroom.auth.token.paths import TABLE
from strongroom.logical import Request, Response


class TokenBackend:
    """The `auth/token/` mount of one namespace."""

    unauthenticated = TABLE.unauthenticated
    paths = TABLE  # its route table, for the ACL's sudo paths and sys/internal/specs/openapi

    def __init__(self, ctx: TokenContext) -> None:
        self._ctx = ctx

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount; raises what the handler raises."""
        return await TABLE.dispatch(self._ctx, request, path)

    async def exists(self, path: str) -> bool:
        """Only `roles/:role_name` can be absent; every other write updates (Vault)."""
        return await TABLE.exists(self._ctx, path)
