"""What every AppRole handler is given: the mount's store, its secret IDs and its lockouts."""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.auth.approle.lockout import LockoutPolicy, Lockouts
from strongroom.auth.approle.models import Role
from strongroom.auth.approle.secret_ids import SecretIds
from strongroom.auth.approle.store import Store
from strongroom.core.attempts import AttemptTable
from strongroom.errors import NotFound


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
