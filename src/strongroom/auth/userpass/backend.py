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
from strongroom.logical.lockout import LockoutPolicy, Lockouts


class UserpassBackend:
    """One `userpass` mount. Its options may set `lockout_threshold`, `lockout_duration` and
    `lockout_counter_reset` (strongroom/logical/lockout.py), as AppRole's."""

    unauthenticated = frozenset({"login/*"})
    paths = TABLE  # its route table, for sys/internal/specs/openapi

    def __init__(self, ctx: MountContext, hasher: Hasher | None = None) -> None:
        store = Store(ctx.view, ctx.clock)
        try:
            policy: LockoutPolicy | None = LockoutPolicy.from_options(ctx.entry.options)
        except ValueError:
            policy = None  # refused at every request below: failing closed, and visibly
        self._settings_valid = policy is not None
        lockouts = Lockouts(store, policy or LockoutPolicy(), attempts=ctx.attempts)
        self._ctx = UserpassContext(store, hasher or Hasher(), lockouts)

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount. Raises BadRequest for malformed lockout
        options, and whatever the handler raises."""
        if not self._settings_valid:
            raise BadRequest("invalid lockout settings in the mount options")
        return await TABLE.dispatch(self._ctx, request, path)

    async def exists(self, path: str) -> bool:
        """Only `users/:username` can be absent; every other path counts as existing (Vault)."""
        return await TABLE.exists(self._ctx, path)

    async def tick(self) -> None:
        """The core's background round: stale lockout counters removed."""
        await self._ctx.lockouts.sweep()
