"""What every SSH handler is given: the mount's storage view, clock and TTLs, and the stored
records it reads (`models.py`).

An `SshContext` is built once per backend instance (a mount entry).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.ssh.models import AUTHORITY, CA, ROLE, ROLES, Authority, Role
from strongroom.errors import BadRequest
from strongroom.logical import MountContext, named

ONE = named("role")  # Vault's framework.GenericNameRegex("role")


class Named(msgspec.Struct, frozen=True, kw_only=True):
    """The fields of an operation on one role that takes nothing else."""

    role: Annotated[str, Meta(description="Name of the role.")]


def option_values(options: dict[str, Any]) -> dict[str, str]:
    """Vault's convertMapToStringValue: each critical option's or extension's value as text."""
    return {
        name: value if isinstance(value, str) else str(value) for name, value in options.items()
    }


@dataclass(frozen=True, slots=True)
class SshContext:
    mount: MountContext

    async def authority(self) -> Authority:
        """The default issuer. Raises BadRequest when none is configured (OpenBao's words)."""
        blob = await self.mount.view.get(CA)
        if blob is None:
            raise BadRequest("no default issuer currently configured")
        return AUTHORITY.decode(blob)

    async def role(self, name: str) -> Role:
        """Raises BadRequest for an unknown role (Vault answers 400, not 404)."""
        blob = await self.mount.view.get(ROLES + name)
        if blob is None:
            raise BadRequest("unknown role")
        return ROLE.decode(blob)

    def now(self) -> int:
        return int(self.mount.clock.now())
