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
from strongroom.logical.lockout import INVALID_OPTIONS, mount_lockouts


class LdapBackend:
    """One `ldap` mount. Its options may set `lockout_threshold`, `lockout_duration` and
    `lockout_counter_reset` (strongroom/logical/lockout.py), as AppRole's."""

    unauthenticated = frozenset({"login/*"})
    paths = TABLE  # its route table, for sys/internal/specs/openapi

    def __init__(self, ctx: MountContext) -> None:
        store = Store(ctx.view, ctx.clock)
        lockouts = mount_lockouts(store, ctx)
        self._ctx = None if lockouts is None else LdapContext(store, Directory(), lockouts)

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount. Raises BadRequest for malformed lockout
        options, and whatever the handler raises."""
        return await TABLE.dispatch(self._context(), request, path)

    async def exists(self, path: str) -> bool:
        """Every LDAP path counts as existing: Vault declares no existence check on them."""
        return await TABLE.exists(self._context(), path)

    async def tick(self) -> None:
        """The core's background round: stale lockout counters removed."""
        if self._ctx is not None:
            await self._ctx.lockouts.sweep()

    def _context(self) -> LdapContext:
        """Raises BadRequest when the mount's lockout options are malformed."""
        if self._ctx is None:
            raise BadRequest(INVALID_OPTIONS)
        return self._ctx
