"""Layer 4, the LDAP auth method's backend (Vault `ldap`), built per mount by the core.

`login/:username` is its one unauthenticated path (Vault's PathsSpecial "login/*"). Fields
and help come from `paths.py`; the directory conversation runs on the mount's own small
thread pool (directory.py).
"""

from __future__ import annotations

from strongroom.auth.ldap.context import LdapContext
from strongroom.auth.ldap.directory import Directory
from strongroom.auth.ldap.paths import TABLE
from strongroom.auth.ldap.store import Store
from strongroom.errors import BadRequest
from strongroom.logical import MountContext, Request, Response
from strongroom.logical.lockout import LockoutPolicy, Lockouts


class LdapBackend:
    """One `ldap` mount. Its options may set `lockout_threshold`, `lockout_duration` and
    `lockout_counter_reset` (strongroom/logical/lockout.py), as AppRole's."""

    unauthenticated = frozenset({"login/*"})
    paths = TABLE  # its route table, for sys/internal/specs/openapi

    def __init__(self, ctx: MountContext) -> None:
        store = Store(ctx.view, ctx.clock)
        try:
            policy: LockoutPolicy | None = LockoutPolicy.from_options(ctx.entry.options)
        except ValueError:
            policy = None  # refused at every request below: failing closed, and visibly
        self._settings_valid = policy is not None
        lockouts = Lockouts(store, policy or LockoutPolicy(), attempts=ctx.attempts)
        self._ctx = LdapContext(store, Directory(), lockouts)

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount. Raises BadRequest for malformed lockout
        options, and whatever the handler raises."""
        if not self._settings_valid:
            raise BadRequest("invalid lockout settings in the mount options")
        return await TABLE.dispatch(self._ctx, request, path)

    async def exists(self, path: str) -> bool:
        """Every LDAP path counts as existing: Vault declares no existence check on them."""
        return await TABLE.exists(self._ctx, path)

    async def tick(self) -> None:
        """The core's background round: stale lockout counters removed."""
        await self._ctx.lockouts.sweep()
