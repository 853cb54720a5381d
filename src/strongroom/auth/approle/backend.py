"""Layer 4, the AppRole auth method's backend (Vault `approle`), built per mount by the core.

`login` is its one unauthenticated path; the core honours `unauthenticated`, asks `exists` to
tell a role's creation from its update (Vault's existence check), and mints the token that a
log-in's `Response.login` describes. Fields, existence checks and help come from `paths.py`.
"""

from __future__ import annotations

import msgspec

from strongroom.auth.approle.context import AppRole
from strongroom.auth.approle.paths import TABLE
from strongroom.auth.approle.store import Store
from strongroom.errors import BadRequest
from strongroom.logical import MountContext, Request, Response
from strongroom.logical.lockout import LockoutPolicy


class AppRoleBackend:
    """One `approle` mount. Its options may set `lockout_threshold`, `lockout_duration` and
    `lockout_counter_reset` (strongroom/logical/lockout.py)."""

    unauthenticated = TABLE.unauthenticated
    paths = TABLE  # its route table, for sys/internal/specs/openapi

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
        return await TABLE.dispatch(self._app, _metadata_as_text(request), path)

    async def exists(self, path: str) -> bool:
        """Only `role/:name` can be absent; every other path counts as existing (Vault)."""
        return await TABLE.exists(self._app, path)

    async def tidy(self) -> tuple[int, int]:
        """For a periodic job (Vault tidies every minute): expired secret IDs and stale lockout
        counters removed."""
        return await self._app.secret_ids.tidy(), await self._app.lockouts.sweep()

    async def tick(self) -> None:
        """The core's background round: tidy (it pages only through what is due)."""
        await self.tidy()


def _metadata_as_text(request: Request) -> Request:
    """Vault's secret-ID `metadata` is a string of JSON; a JSON object sent in its place (as
    hvac and others do) is read as that JSON text, so one declared string field serves both."""
    value = request.data.get("metadata")
    if not isinstance(value, dict):
        return request
    text = msgspec.json.encode(value).decode()
    return request.with_data({**request.data, "metadata": text})
