"""The OIDC storage layout below the identity mount's view (the barrier seals every value,
private keys included):

    oidc/config            Config (the issuer)
    oidc/key/<name>        NamedKey: algorithm, periods, signing + next private keys, public ring
    oidc/role/<name>       Role

Every change is a `View.update` (a checked read-modify-write), so two workers rotating the
same key at once, or a rotation racing a key update, change it once.
"""

from __future__ import annotations

from typing import TypeVar

import msgspec

from strongroom.engines.identity.oidc.models import CONFIG, NAMED_KEY, ROLE, Config, NamedKey, Role
from strongroom.logical import Mutation, View

T = TypeVar("T", bound=msgspec.Struct)
PREFIX = "oidc/"
KEYS = PREFIX + "key/"
ROLES = PREFIX + "role/"
CONFIG_PATH = PREFIX + "config"


class OidcStore:
    def __init__(self, view: View) -> None:
        self.view = view

    async def _get(self, path: str, decoder: msgspec.json.Decoder[T]) -> T | None:
        raw = await self.view.get(path)
        return None if raw is None else decoder.decode(raw)

    async def _update(
        self, path: str, decoder: msgspec.json.Decoder[T], mutate: Mutation[T]
    ) -> T | None:
        return (await self.view.update(path, decoder.decode, mutate)).after

    async def _names(self, prefix: str) -> list[str]:
        return sorted(n for n in await self.view.list(prefix) if not n.endswith("/"))

    async def config(self) -> Config:
        return await self._get(CONFIG_PATH, CONFIG) or Config()

    async def put_config(self, config: Config) -> None:
        await self.view.put(CONFIG_PATH, msgspec.json.encode(config))

    async def key(self, name: str) -> NamedKey | None:
        return await self._get(KEYS + name, NAMED_KEY)

    async def update_key(self, name: str, mutate: Mutation[NamedKey]) -> NamedKey | None:
        return await self._update(KEYS + name, NAMED_KEY, mutate)

    async def key_names(self) -> list[str]:
        return await self._names(KEYS)

    async def role(self, name: str) -> Role | None:
        return await self._get(ROLES + name, ROLE)

    async def update_role(self, name: str, mutate: Mutation[Role]) -> Role | None:
        return await self._update(ROLES + name, ROLE, mutate)

    async def delete_role(self, name: str) -> None:
        await self.view.delete(ROLES + name)

    async def role_names(self) -> list[str]:
        return await self._names(ROLES)

    async def roles(self) -> list[Role]:
        found = [await self.role(name) for name in await self.role_names()]
        return [role for role in found if role is not None]


def referencing(roles: list[Role], key: str) -> list[str]:
    """The names of the roles in `roles` that sign with `key`."""
    return [role.name for role in roles if role.key == key]
