"""The LDAP storage layout below the mount's view (the barrier seals every value):

salt                       32 random bytes, created once (logical/salt.py)
config                     LdapConfig       (bindpass inside, sealed)
group/<name>               Mapping          (policies)
user/<name>                Mapping          (policies, groups)
lockout/<HMAC(name, addr)> Lockout          (logical/lockout.py)
"""

from __future__ import annotations

from collections.abc import Callable

from strongroom.auth.ldap.models import CONFIG, MAPPING, LdapConfig, Mapping, encode
from strongroom.logical.salt import SaltedStore

CONFIG_KEY = "config"
GROUPS = "group/"
USERS = "user/"


class Store(SaltedStore):
    """The handlers' view of one mount: its storage, clock and HMAC salt."""

    async def config(self) -> LdapConfig:
        """The stored config, or Vault's defaults when none was written."""
        raw = await self.view.get(CONFIG_KEY)
        return LdapConfig() if raw is None else CONFIG.decode(raw)

    async def update_config(self, mutate: Callable[[LdapConfig], LdapConfig]) -> None:
        await self.view.update(
            CONFIG_KEY,
            CONFIG.decode,
            lambda found: mutate(found or LdapConfig()),
            encode=encode,
        )

    async def mapping(self, folder: str, name: str) -> Mapping | None:
        raw = await self.view.get(folder + name)
        return None if raw is None else MAPPING.decode(raw)

    async def put_mapping(self, folder: str, name: str, entry: Mapping) -> None:
        await self.view.put(folder + name, encode(entry))

    async def delete_mapping(self, folder: str, name: str) -> None:
        await self.view.delete(folder + name)

    async def names(self, folder: str, after: str | None, limit: int | None) -> list[str]:
        return await self.view.list(folder, after, limit)
