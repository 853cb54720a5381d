"""The storage most auth methods share (below the mount's view; the barrier seals values):

    config          one configuration record
    role/<name>     one record per role

`Records` reads and writes them with the method's own msgspec decoders; a role write is one
`View.update` (checked, retried on a lost race), so two writers never lose each other's fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import msgspec

from strongroom.core.view import View

C = TypeVar("C")
R = TypeVar("R")
CONFIG_PATH = "config"
ROLES = "role/"
_encode = msgspec.json.Encoder().encode


class Records(Generic[C, R]):
    def __init__(
        self, view: View, config: msgspec.json.Decoder[C], role: msgspec.json.Decoder[R]
    ) -> None:
        self.view = view
        self._config = config
        self._role = role

    async def config(self) -> C | None:
        raw = await self.view.get(CONFIG_PATH)
        return None if raw is None else self._config.decode(raw)

    async def put_config(self, config: C) -> None:
        await self.view.put(CONFIG_PATH, _encode(config))

    async def role(self, name: str) -> R | None:
        raw = await self.view.get(ROLES + name)
        return None if raw is None else self._role.decode(raw)

    async def write_role(
        self, name: str, apply: Callable[[R | None], tuple[R, list[str]]]
    ) -> list[str]:
        """Create or change role `name` with `apply` (the stored role, or None, to the new one
        and Vault's warnings), atomically. Returns the warnings of the attempt that committed;
        `apply`'s BadRequest propagates."""
        warnings: list[str] = []

        def written(found: R | None) -> R:
            role, warnings[:] = apply(found)
            return role

        await self.view.update(ROLES + name, self._role.decode, written, encode=_encode)
        return warnings

    async def delete_role(self, name: str) -> None:
        await self.view.delete(ROLES + name)

    async def role_names(self) -> list[str]:
        return await self.view.list(ROLES)
