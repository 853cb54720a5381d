"""Layer 4, the AppRole auth method's backend (Vault `approle`), built per mount by the core.

`login` is its one unauthenticated path; the core honours `unauthenticated`, asks `exists` to
tell a role's creation from its update (Vault's existence check), and mints the token that a
log-in's `Response.login` describes.
"""

from __future__ import annotations

import re

from strongroom.auth.approle.context import AppRole
from strongroom.auth.approle.lockout import LockoutPolicy
from strongroom.auth.approle.paths import ROLE, ROUTER
from strongroom.auth.approle.store import Store
from strongroom.core.mounts import MountContext
from strongroom.core.request import Request, Response
from strongroom.errors import BadRequest

_ROLE_PATH = re.compile(ROLE)


class AppRoleBackend:
    """One `approle` mount. Its options may set `lockout_threshold`, `lockout_duration` and
    `lockout_counter_reset` (lockout.py)."""

    unauthenticated: frozenset[str] = frozenset({"login"})
    paths = ROUTER  # its route table, for sys/internal/specs/openapi

    def __init__(self, ctx: MountContext) -> None:
        store = Store(ctx.view, ctx.clock, ctx.entry.config.max_lease_ttl)
        try:
            policy: LockoutPolicy | None = LockoutPolicy.from_options(ctx.entry.options)
        except ValueError:
            policy = None  # refused at every request below: failing closed, and visibly
        self._settings_valid = policy is not None
        self._app = AppRole.build(store, policy or LockoutPolicy(), ctx.attempts)

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount. Raises BadRequest for malformed lockout
        options, and whatever the handler raises."""
        if not self._settings_valid:
            raise BadRequest("invalid lockout settings in the mount options")
        return await ROUTER.dispatch(self._app, request, path)

    async def exists(self, path: str) -> bool:
        """Only `role/:name` can be absent; every other path counts as existing (Vault)."""
        match = _ROLE_PATH.fullmatch(path)
        if match is None:
            return True
        return await self._app.store.role(match["role_name"].lower()) is not None

    async def tidy(self) -> tuple[int, int]:
        """For a periodic job (Vault tidies every minute): expired secret IDs and stale lockout
        counters removed."""
        return await self._app.secret_ids.tidy(), await self._app.lockouts.sweep()

    async def tick(self) -> None:
        """The core's background round: tidy (it pages only through what is due)."""
        await self.tidy()
