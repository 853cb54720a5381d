"""What every JWT/OIDC handler is given: the mount's store, its key source, the clock, the
outbound HTTPS call, and the mount's path (for the token's display name)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from msgspec import Meta

from strongroom.auth.jwt.keys import KeySource
from strongroom.auth.jwt.models import Config, Role
from strongroom.auth.jwt.store import Store
from strongroom.clock import Clock
from strongroom.errors import BadRequest
from strongroom.logical.outbound import Fetch

RoleName = Annotated[str, Meta(description="Name of the role.")]
NOT_CONFIGURED = "could not load configuration"


def missing_role(name: str) -> BadRequest:
    """What log-in paths answer for a role that does not exist: Vault's words without the
    name (Vault says `role "x" could not be found`; DESIGN.md invariant 11 forbids repeating
    a caller's value)."""
    return BadRequest("role could not be found", detail=f"jwt: no role {name!r}")


@dataclass(frozen=True, slots=True)
class JwtContext:
    store: Store
    keys: KeySource
    clock: Clock
    fetch: Fetch
    mount_path: str  # "jwt/", "team/oidc/": the token's display name starts with it

    async def config(self) -> Config:
        """Raises BadRequest when the mount has not been configured yet."""
        found = await self.store.config()
        if found is None:
            raise BadRequest(NOT_CONFIGURED)
        return found

    async def login_role(self, name: str, config: Config) -> tuple[str, Role]:
        """The role a log-in names (or the mount's `default_role`). Raises BadRequest."""
        chosen = (name or config.default_role).lower()
        if not chosen:
            raise BadRequest("missing role")
        role = await self.store.role(chosen)
        if role is None:
            raise missing_role(chosen)
        return chosen, role

    def display_name(self, alias: str) -> str:
        """Vault's token display name: the mount path, dashed, then the alias."""
        return f"{self.mount_path.strip('/').replace('/', '-')}-{alias}"
