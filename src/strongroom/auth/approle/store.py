"""The AppRole storage layout, its salt, and the role records with their role-ID index.

Layout below the mount's view (the barrier seals every value; only HMACs appear in paths):

    salt                               32 random bytes, created once (a Check makes it unique)
    decoy                              Role no role ID leads to, created once the same way
    role/<name>                        Role
    role_id/<HMAC(role ID)>            RoleIdIndex
    secret_id/<role key>/<HMAC(sid)>   SecretId            (see secret_ids.py)
    accessor/<HMAC(accessor)>          AccessorIndex
    expiry/<ceil(expiry)>.<role key>.<HMAC(sid)>           (empty; tidy pages through it)
    lockout/<HMAC(role ID, address)>   Lockout             (see logical/lockout.py)

Every HMAC is HMAC-SHA256 under the salt, with a purpose label so the same string never hashes
alike in two indexes. Changes that must agree are one transaction guarded by `Check`s: a record
changes through `View.update`, and a creation guarded by another record (a secret ID by its
role's version) runs again under `retrying` (strongroom.logical) after a lost race.

An unknown role ID is looked up like a known one and then checked against the decoy role in the
same steps (the same storage reads, one of a stored role record, and the same hashing), so the
time a refused log-in takes does not tell whether the role ID exists.
"""

from __future__ import annotations

import hmac
import secrets
import uuid
from collections.abc import Callable

from strongroom.auth.approle.models import ROLE, ROLE_ID_INDEX, Role, RoleIdIndex, encode
from strongroom.clock import Clock
from strongroom.errors import BadRequest
from strongroom.logical import DELETE, UNCHANGED, Updated, Verdict, View, Write
from strongroom.logical.salt import MountSalt, created_once
from strongroom.storage.interface import Check, Delete, Op, Put

DECOY = "decoy"
ROLES = "role/"
ROLE_IDS = "role_id/"
PAGE = 100


def new_uuid() -> str:
    """A random UUID-format identifier from `secrets` (Vault's role and secret IDs look so)."""
    return str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))


class Store:
    """The handlers' view of one AppRole mount: its storage, clock and HMAC salt."""

    def __init__(self, view: View, clock: Clock, max_ttl: int = 0) -> None:
        self.view = view
        self.clock = clock
        self.max_ttl = max_ttl  # the mount's max lease TTL caps secret_id_ttl; 0 = no cap
        self._salt = MountSalt(view)

    def now(self) -> float:
        return self.clock.now()

    async def hmac(self, purpose: str, value: str) -> str:
        """Hex HMAC-SHA256 of `value` under the mount's salt, separated by `purpose`."""
        return await self._salt.hmac(purpose, value)

    # -- roles -------------------------------------------------------------------------------------

    async def role(self, name: str) -> tuple[Role, int] | None:
        """The role called `name` and its storage version, or None."""
        stored = await self.view.get_entry(ROLES + name)
        return None if stored is None else (ROLE.decode(stored.value), stored.version)

    async def role_names(self, after: str | None, limit: int | None) -> list[str]:
        return await self.view.list(ROLES, after, limit)

    async def role_by_role_id(self, role_id: str) -> tuple[Role, bool]:
        """The role whose role ID is `role_id` (compared in constant time) and True, or the
        decoy role and False; the same reads and hashing either way (module docstring)."""
        raw = await self.view.get(ROLE_IDS + await self.hmac("role_id", role_id))
        index = None if raw is None else ROLE_ID_INDEX.decode(raw)
        stored = await self.view.get(DECOY if index is None else ROLES + index.name)
        role = ROLE.decode(stored) if stored is not None else await self._decoy()
        matches = hmac.compare_digest(role.role_id.encode(), role_id.encode())
        # No match: the index was left behind by a concurrent change, or this is the decoy.
        return role, matches and index is not None and stored is not None

    async def _decoy(self) -> Role:
        decoy = Role(name=DECOY, key=new_uuid(), role_id=new_uuid())
        return ROLE.decode(await created_once(self.view, DECOY, encode(decoy)))

    async def update_role(
        self, name: str, mutate: Callable[[Role | None], Role | Verdict]
    ) -> Updated[Role]:
        """Apply `mutate` to role `name` atomically (`View.update`), moving its role-ID index
        with it. Raises BadRequest if another role holds the new role ID."""

        async def decide(before: Role | None) -> Write[Role] | Verdict:
            outcome = mutate(before)
            if outcome is UNCHANGED:
                return outcome
            after = None if outcome is DELETE else outcome
            return Write(outcome, also=await self._index_moves(before, after))

        return await self.view.update(ROLES + name, ROLE.decode, decide)

    async def _index_moves(self, before: Role | None, after: Role | None) -> list[Op]:
        old = None if before is None else before.role_id
        if after is not None and after.role_id == old:
            return []
        ops: list[Op] = [] if after is None else await self._claim_role_id(after)
        if old is not None:
            ops.append(Delete(ROLE_IDS + await self.hmac("role_id", old)))
        return ops

    async def _claim_role_id(self, role: Role) -> list[Op]:
        index = ROLE_IDS + await self.hmac("role_id", role.role_id)
        stored = await self.view.get_entry(index)
        if stored is not None and ROLE_ID_INDEX.decode(stored.value).name != role.name:
            raise BadRequest("role_id already in use")
        version = 0 if stored is None else stored.version
        return [Check(index, version), Put(index, encode(RoleIdIndex(role.name)))]
