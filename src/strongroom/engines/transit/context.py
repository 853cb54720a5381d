"""What every transit handler is handed: the mount's key store (and its events), nonce budget
and clock; and the fields most transit paths share (the key name, a derivation context).

It also owns the key-changing operations shared by handlers and the scheduler (rotation on
demand, rotation when a version's nonce budget runs out, the periodic `tick`), each one a
checked read-modify-write so that two workers doing it at once change the key once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import msgspec
from cryptography.hazmat.primitives.asymmetric import rsa
from msgspec import Meta

from strongroom.clock import Clock
from strongroom.engines.transit import events
from strongroom.engines.transit.budget import NonceBudget
from strongroom.engines.transit.events import Events
from strongroom.engines.transit.keyring import Keyring
from strongroom.engines.transit.models import KeyPolicy
from strongroom.engines.transit.store import Change, Mutation, TransitStore
from strongroom.engines.transit.versions import rotated, rotation_due
from strongroom.errors import BadRequest, NotFound, StrongroomError
from strongroom.logical import GENERIC_NAME

NAME = GENERIC_NAME  # Vault's framework.GenericNameRegex
Name = Annotated[str, Meta(description="Name of the key")]
DerivationContext = Annotated[str, Meta(description="Base64 encoded context for key derivation.")]
RequestedVersion = Annotated[
    int,
    Meta(
        description="The version of the key to use. If not set, uses the latest version. "
        "Must be greater than or equal to the key's min_encryption_version, if set."
    ),
]


class KeyName(msgspec.Struct, frozen=True, kw_only=True):
    """The fields of an operation on a key that takes nothing but its name."""

    name: Name


@dataclass
class TransitContext:
    store: TransitStore
    budget: NonceBudget
    clock: Clock
    wrapping_key: rsa.RSAPrivateKey | None = None  # BYOK, loaded on first use (`path_byok.py`)

    @property
    def events(self) -> Events:
        return self.store.events

    def now(self) -> float:
        return self.clock.now()

    async def ring(self, name: str, missing: str = "encryption key not found") -> Keyring:
        """The key `name`. Raises BadRequest(`missing`) if there is none (Vault answers 400)."""
        ring = await self.store.load(name)
        if ring is None:
            raise BadRequest(missing)
        return ring

    async def rotate(self, name: str) -> Keyring:
        """A new latest version for `name`. Raises BadRequest if absent or not rotatable."""

        async def mutate(policy: KeyPolicy | None) -> Change:
            if policy is None:
                raise BadRequest("invalid key name")
            return await self._rotation(policy, "manual")

        return await self._written(name, mutate)

    async def rotate_exhausted(self, name: str, version: int) -> Keyring:
        """Rotate because `version` used up its nonce budget, unless someone already did."""

        async def mutate(policy: KeyPolicy | None) -> Change | None:
            if policy is None:
                raise BadRequest("encryption key not found")
            if policy.latest_version != version:
                return None  # another worker rotated at this crossing already
            return await self._rotation(policy, "nonce-budget")

        return await self._written(name, mutate)

    async def _rotation(self, policy: KeyPolicy, trigger: str) -> Change:
        new = await rotated(policy, self.now())
        return Change(new, events=[events.rotated(new, trigger)])

    async def _written(self, name: str, mutate: Mutation) -> Keyring:
        ring = await self.store.update(name, mutate)
        if ring is None:
            raise NotFound
        return ring

    async def tick(self) -> None:
        """Emit this worker's use counts; rotate every key whose `auto_rotate_period` has
        passed; destroy keys whose deletion date has come. Idempotent: each change re-checks its
        condition under a storage Check. Uses go first: while the audit stream fails, no key
        job runs whose event would be lost."""
        await self.events.flush_uses()
        now, failures = self.now(), []
        for name in await self.store.names():
            try:
                await self._tick_one(name, now)
            except StrongroomError as exc:  # one bad key must not stop the others (as Vault)
                failures.append(exc)
        if failures:
            raise failures[0]

    async def _tick_one(self, name: str, now: float) -> None:
        ring = await self.store.load(name)
        if ring is None:
            return
        if rotation_due(ring.policy, now):
            await self.store.update(name, self._rotate_if_due)
        if ring.policy.state == "pending_deletion" and ring.policy.deletion_date <= now:
            await self.store.update(name, self._destroy_if_due)

    async def _rotate_if_due(self, policy: KeyPolicy | None) -> Change | None:
        if policy is None or not rotation_due(policy, self.now()):
            return None
        return await self._rotation(policy, "schedule")

    async def _destroy_if_due(self, policy: KeyPolicy | None) -> Change | None:
        if policy is None or policy.state != "pending_deletion":
            return None
        if policy.deletion_date > self.now():
            return None
        new = destroyed(policy)
        return Change(new, events=events.state_changes(policy, new))


def destroyed(policy: KeyPolicy) -> KeyPolicy:
    """`policy` with every version's material erased; metadata stays, so ciphertexts for it
    answer "key destroyed" rather than "not found"."""
    versions = {
        number: msgspec.structs.replace(v, key=b"", hmac_key=b"", state="destroyed")
        for number, v in policy.versions.items()
    }
    return msgspec.structs.replace(policy, state="destroyed", versions=versions)
