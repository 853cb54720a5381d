"""The userpass storage layout below the mount's view (the barrier seals every value):

salt                       32 random bytes, created once (logical/salt.py)
user/<name>                User             (lower-cased name, as Vault)
lockout/<HMAC(name, addr)> Lockout          (logical/lockout.py)
"""

from __future__ import annotations

from collections.abc import Callable

from strongroom.auth.userpass.models import USER, User, encode
from strongroom.logical import Updated, Verdict
from strongroom.logical.salt import SaltedStore

USERS = "user/"


class Store(SaltedStore):
    """The handlers' view of one userpass mount: its storage, clock and HMAC salt."""

    async def user(self, name: str) -> User | None:
        raw = await self.view.get(USERS + name)
        return None if raw is None else USER.decode(raw)

    async def usernames(self, after: str | None, limit: int | None) -> list[str]:
        return await self.view.list(USERS, after, limit)

    async def update_user(
        self, name: str, mutate: Callable[[User | None], User | Verdict]
    ) -> Updated[User]:
        """Apply `mutate` to user `name` atomically (`View.update`)."""
        return await self.view.update(USERS + name, USER.decode, mutate, encode=encode)
