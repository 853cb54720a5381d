"""Layer 4, the JWT/OIDC auth method's backend (Vault's `jwt` and `oidc` types: one plugin,
two names), built per mount by the core.

Its key source caches fetched key sets per worker; `tick` drops pending OIDC log-ins whose
five minutes have passed. Fields, existence checks and help come from `paths.py`.
"""

from __future__ import annotations

from strongroom.auth.jwt.context import JwtContext
from strongroom.auth.jwt.keys import KeySource
from strongroom.auth.jwt.paths import TABLE
from strongroom.auth.jwt.store import Store
from strongroom.logical import MountContext, Request, Response
from strongroom.logical.outbound import Fetch, exchange


class JwtBackend:
    unauthenticated = TABLE.unauthenticated
    paths = TABLE  # its route table, for sys/internal/specs/openapi

    def __init__(self, ctx: MountContext, fetch: Fetch = exchange) -> None:
        self._ctx = JwtContext(
            store=Store(ctx.view),
            keys=KeySource(ctx.clock, fetch),
            clock=ctx.clock,
            fetch=fetch,
            mount_path=ctx.entry.path,
        )

    async def handle(self, request: Request, path: str) -> Response:
        return await TABLE.dispatch(self._ctx, request, path)

    async def exists(self, path: str) -> bool:
        return await TABLE.exists(self._ctx, path)

    async def tick(self) -> None:
        """The core's background round: forget expired pending OIDC log-ins."""
        store = self._ctx.store
        for path in await store.expired_states(self._ctx.clock.now()):
            await store.view.delete(path)
