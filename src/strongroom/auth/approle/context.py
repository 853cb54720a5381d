"""What every AppRole handler is given: the mount's store, its secret IDs and its lockouts,
and Vault's rules on role names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from msgspec import Meta

from strongroom.auth.approle.models import Role
from strongroom.auth.approle.secret_ids import SecretIds
from strongroom.auth.approle.store import Store
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import AttemptTable
from strongroom.logical.lockout import LockoutPolicy, Lockouts

MAX_HMAC_INPUT = 4096  # Vault's maxHmacInputLength: role names and secret IDs are HMACed
RoleName = Annotated[str, Meta(description="Name of the role. Must be less than 4096 bytes.")]


def missing_role(name: str) -> NotFound:
    """What Vault's paths below a role answer when it does not exist."""
    return NotFound(f'role "{name}" does not exist')


@dataclass(frozen=True, slots=True)
class AppRole:
    store: Store
    secret_ids: SecretIds
    lockouts: Lockouts

    @classmethod
    def build(
        cls, store: Store, policy: LockoutPolicy, attempts: AttemptTable | None = None
    ) -> AppRole:
        return cls(store, SecretIds(store), Lockouts(store, policy, attempts=attempts))

    async def existing(self, name: str) -> tuple[Role, int]:
        """The role called `name` and its version. Raises NotFound as Vault's paths below a
        role do when it is missing."""
        found = await self.store.role(name)
        if found is None:
            raise missing_role(name)
        return found


def role_name(captured: str) -> str:
    """The role name from the path, lower-cased as Vault stores every role created since 0.9.
    Raises BadRequest if it is too long to HMAC."""
    name = captured.lower()
    if len(name) > MAX_HMAC_INPUT:
        raise BadRequest(f"role_name is longer than maximum of {MAX_HMAC_INPUT} bytes")
    return name


def non_negative(value: int, name: str) -> int:
    """Raises BadRequest if the count `name` is negative."""
    if value < 0:
        raise BadRequest(f"{name} cannot be negative")
    return value
