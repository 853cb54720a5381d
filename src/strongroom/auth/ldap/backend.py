"""Layer 4, the LDAP auth method's backend (Vault `ldap`), built per mount by the core.

`login/:username` is its one unauthenticated path. Every LDAP path counts as existing (Vault
declares no existence check on them). Fields and help come from `paths.py`, the serving from
`LoginBackend`; the directory conversation runs on the mount's own small thread pool
(directory.py).
"""

from __future__ import annotations

from strongroom.auth.ldap.context import LdapContext
from strongroom.auth.ldap.directory import Directory
from strongroom.auth.ldap.paths import TABLE
from strongroom.auth.ldap.store import Store
from strongroom.logical import MountContext
from strongroom.logical.lockout import mount_lockouts
from strongroom.logical.login_backend import LoginBackend


class LdapBackend(LoginBackend[LdapContext]):
    """One `ldap` mount. Its options may set `lockout_threshold`, `lockout_duration` and
    `lockout_counter_reset` (strongroom/logical/lockout.py), as AppRole's."""

    paths = TABLE

    def __init__(self, ctx: MountContext) -> None:
        store = Store(ctx.view, ctx.clock)
        lockouts = mount_lockouts(store, ctx)
        super().__init__(None if lockouts is None else LdapContext(store, Directory(), lockouts))
