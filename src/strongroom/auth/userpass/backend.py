"""Layer 4, the userpass auth method's backend (Vault `userpass`), built per mount by the core.

`login/:username` is its one unauthenticated path (Vault's PathsSpecial "login/*"); the core
asks `exists` to tell a user's creation from its update and mints the token a log-in's
`Response.login` describes. Fields, existence checks and help come from `paths.py`.
"""

from __future__ import annotations

from strongroom.auth.userpass.context import UserpassContext
from strongroom.auth.userpass.hashing import Hasher
from strongroom.auth.userpass.paths import TABLE
from strongroom.auth.userpass.store import Store
from strongroom.errors import BadRequest
from strongroom.logical import MountContext, Request, Response
from strongroom.logical.lockout import INVALID_OPTIONS, mount_lockouts


class UserpassBackend:
    """One `userpass` mount. Its options may set `lockout_threshold`, `lockout_duration` and
    `lockout_counter_reset` (strongroom/logical/lockout.py), as AppRole's."""

    unauthenticated = frozenset({"login/*"})
    paths = TABLE  # its route table, for sys/internal/specs/openapi

    def __init__(self, ctx: MountContext, hasher: Hasher | None = None) -> None:
        store = Store(ctx.view, ctx.clock)
        lockouts = mount_lockouts(store, ctx)
        self._ctx = (
            None if lockouts is None else UserpassContext(store, hasher or Hasher(), lockouts)
        )

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount. Raises BadRequest for malformed lockout
        options, and whatever the handler raises."""
        return await TABLE.dispatch(self._context(), request, path)

    async def exists(self, path: str) -> bool:
        """Only `users/:username` can be absent; every other path counts as existing (Vault)."""
        return await TABLE.exists(self._context(), path)

    async def tick(self) -> None:
        """The core's background round: stale lockout counters removed."""
        if self._ctx is not None:
            await self._ctx.lockouts.sweep()

    def _context(self) -> UserpassContext:
        """Raises BadRequest when the mount's lockout options are malformed."""
        if self._ctx is None:
            raise BadRequest(INVALID_OPTIONS)
        return self._ctx
