"""Layer 4, the userpass auth method's backend (Vault `userpass`), built per mount by the core.

`login/:username` is its one unauthenticated path; the core asks `exists` to tell a user's
creation from its update and mints the token a log-in's `Response.login` describes. Fields,
existence checks and help come from `paths.py`, the serving from `LoginBackend`.
"""

from __future__ import annotations

from strongroom.auth.userpass.context import UserpassContext
from strongroom.auth.userpass.hashing import Hasher
from strongroom.auth.userpass.paths import TABLE
from strongroom.auth.userpass.store import Store
from strongroom.logical import MountContext
from strongroom.logical.lockout import mount_lockouts
from strongroom.logical.login_backend import LoginBackend


class UserpassBackend(LoginBackend[UserpassContext]):
    """One `userpass` mount. Its options may set `lockout_threshold`, `lockout_duration` and
    `lockout_counter_reset` (strongroom/logical/lockout.py), as AppRole's."""

    paths = TABLE

    def __init__(self, ctx: MountContext, hasher: Hasher | None = None) -> None:
        store = Store(ctx.view, ctx.clock)
        lockouts = mount_lockouts(store, ctx)
        hasher = hasher or Hasher()
        super().__init__(None if lockouts is None else UserpassContext(store, hasher, lockouts))
