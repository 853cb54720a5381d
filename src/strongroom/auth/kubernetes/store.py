"""The Kubernetes storage layout (below the mount's view; the barrier seals every value):

config          Config
role/<name>     Role
"""

from __future__ import annotations

from collections.abc import Callable

from strongroom.auth.kubernetes.models import CONFIG, ROLE, Config, Role, encode
from strongroom.logical import Verdict, View

CONFIG_PATH = "config"
ROLES = "role/"


class Store:
    def __init__(self, view: View) -> None:
        self.view = view

    async def config(self) -> Config | None:
        raw = await self.view.get(CONFIG_PATH)
        return None if raw is None else CONFIG.decode(raw)

    async def put_config(self, config: Config) -> None:
        await self.view.put(CONFIG_PATH, encode(config))

    async def role(self, name: str) -> Role | None:
        raw = await self.view.get(ROLES + name)
        return None if raw is None else ROLE.decode(raw)

    async def update_role(self, name: str, mutate: Callable[[Role | None], Role | Verdict]) -> None:
        await self.view.update(ROLES + name, ROLE.decode, mutate, encode=encode)

    async def delete_role(self, name: str) -> None:
        await self.view.delete(ROLES + name)

    async def role_names(self) -> list[str]:
        return await self.view.list(ROLES)
