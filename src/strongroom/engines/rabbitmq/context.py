"""What every RabbitMQ handler is given: the mount's storage view, clock and password source,
and the stored records it reads (Vault's layout, `models.py`).

A `RabbitMqContext` is built once per backend instance (a mount entry).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.rabbitmq.models import (
    CONNECTION,
    CONNECTION_DECODER,
    LEASE,
    LEASE_DECODER,
    ROLE,
    ROLE_DECODER,
    Connection,
    Lease,
    Role,
)
from strongroom.errors import BadRequest
from strongroom.logical import MountContext, named

ONE = named("name")  # Vault's framework.GenericNameRegex


class Named(msgspec.Struct, frozen=True, kw_only=True):
    """The fields of an operation on one role that takes nothing else."""

    name: Annotated[str, Meta(description="Name of the role.")]


@dataclass(frozen=True, slots=True)
class RabbitMqContext:
    mount: MountContext

    async def connection(self) -> Connection:
        """Raises BadRequest before config/connection is written."""
        blob = await self.mount.view.get(CONNECTION)
        if blob is None:
            raise BadRequest("configuration not set: write rabbitmq config/connection first")
        return CONNECTION_DECODER.decode(blob)

    async def lease(self) -> Lease | None:
        blob = await self.mount.view.get(LEASE)
        return None if blob is None else LEASE_DECODER.decode(blob)

    async def role(self, name: str) -> Role | None:
        blob = await self.mount.view.get(ROLE + name)
        return None if blob is None else ROLE_DECODER.decode(blob)

    def now(self) -> float:
        return self.mount.clock.now()
