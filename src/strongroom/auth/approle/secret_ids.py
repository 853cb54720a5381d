"""Secret-ID records: register, find, redeem one use, destroy, flush and tidy (Vault's
`secret-id` endpoints and `tidy/secret-id`, api-docs/auth/approle).

A record and its accessor index (and, when it expires, its expiry-index key) are always written
and removed in one transaction, so no reader sees one without the other. Redeeming a limited
secret ID is a checked read-modify-write on the record's storage version: two log-ins racing
for the last use cannot both win, and the last use deletes the record.
"""

from __future__ import annotations

import hmac
import math
from collections.abc import Callable
from dataclasses import dataclass

import msgspec

from strongroom.auth.approle.models import (
    ACCESSOR_INDEX,
    SECRET_ID,
    AccessorIndex,
    Role,
    SecretId,
    encode,
)
from strongroom.auth.approle.store import PAGE, ROLES, Store, new_uuid
from strongroom.errors import BadRequest, InternalError, StorageConflict
from strongroom.logical import DELETE, UNCHANGED, Verdict, Write
from strongroom.logical.refused import Refused
from strongroom.storage.interface import Check, Delete, Op, Put

RECORDS = "secret_id/"
ACCESSORS = "accessor/"
EXPIRY = "expiry/"


@dataclass(frozen=True, slots=True)
class Draft:
    """What a caller asked for; the store adds the accessor and the times."""

    num_uses: int
    ttl: int
    metadata: dict[str, str]
    cidr_list: tuple[str, ...]
    token_bound_cidrs: tuple[str, ...]


def _expiry_key(role_key: str, record: SecretId) -> str:
    return f"{EXPIRY}{math.ceil(record.expiration_time):012d}.{role_key}.{record.hmac}"


def _unindexed(role_key: str, record: SecretId, accessor_path: str) -> list[Op]:
    """What removes a secret ID besides its record: its accessor and expiry index keys."""
    ops: list[Op] = [Delete(accessor_path)]
    if record.expiration_time:
        ops.append(Delete(_expiry_key(role_key, record)))
    return ops


class SecretIds:
    """The secret IDs of one mount, over its `Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def _path(self, role: Role, secret_id: str) -> tuple[str, str]:
        digest = await self.store.hmac("secret_id", secret_id)
        return f"{RECORDS}{role.key}/{digest}", digest

    async def _accessor_path(self, accessor: str) -> str:
        return ACCESSORS + await self.store.hmac("accessor", accessor)

    async def register(self, role: Role, version: int, secret_id: str, draft: Draft) -> SecretId:
        """Store a new secret ID for `role` (at storage `version`).

        Raises BadRequest if the value is already registered, StorageConflict if the role
        changed meanwhile (the caller re-reads it and tries again).
        """
        path, digest = await self._path(role, secret_id)
        if await self.store.view.get_entry(path) is not None:
            raise BadRequest("SecretID is already registered")
        now = self.store.now()
        ttl = min(draft.ttl, self.store.max_ttl) if self.store.max_ttl else draft.ttl
        accessor = new_uuid()
        record = SecretId(
            hmac=digest,
            accessor=accessor,
            num_uses=draft.num_uses,
            ttl=ttl,
            creation_time=now,
            expiration_time=now + ttl if ttl else 0.0,
            last_updated_time=now,
            metadata=draft.metadata,
            cidr_list=draft.cidr_list,
            token_bound_cidrs=draft.token_bound_cidrs,
        )
        accessor_path = await self._accessor_path(accessor)
        ops: list[Op] = [
            Check(ROLES + role.name, version),
            Check(path, 0),
            Check(accessor_path, 0),
            Put(path, encode(record)),
            Put(accessor_path, encode(AccessorIndex(role.key, digest))),
        ]
        if record.expiration_time:
            ops.append(Put(_expiry_key(role.key, record), b""))
        await self.store.view.transact(ops)
        return record

    async def find(self, role: Role, secret_id: str) -> SecretId | None:
        path, digest = await self._path(role, secret_id)
        raw = await self.store.view.get(path)
        record = None if raw is None else SECRET_ID.decode(raw)
        if record is None or not hmac.compare_digest(record.hmac, digest):
            return None
        return record

    async def by_accessor(self, role: Role, accessor: str) -> SecretId | None:
        """The record `accessor` names, if it belongs to `role`."""
        raw = await self.store.view.get(await self._accessor_path(accessor))
        index = None if raw is None else ACCESSOR_INDEX.decode(raw)
        if index is None or not hmac.compare_digest(index.role_key, role.key):
            return None
        record = await self.store.view.get(f"{RECORDS}{role.key}/{index.secret_hmac}")
        return None if record is None else SECRET_ID.decode(record)

    async def redeem(
        self, role: Role, secret_id: str, check: Callable[[SecretId], None]
    ) -> SecretId:
        """Spend one use of `secret_id` after `check` accepts the record (it raises Refused).

        Raises Refused if there is no such live secret ID for `role`.
        """
        path, digest = await self._path(role, secret_id)

        async def spend(record: SecretId | None) -> SecretId | Write[SecretId] | Verdict:
            if record is None:
                raise Refused("no such secret ID for the role")
            if not hmac.compare_digest(record.hmac, digest):
                raise Refused("secret ID record under the wrong key")
            if record.expired(self.store.now()):
                raise Refused("secret ID expired")
            check(record)
            if record.num_uses == 0:
                return UNCHANGED
            if record.num_uses == 1:  # the last use: the secret ID dies with it
                return Write(DELETE, also=await self._unindexed(role.key, record))
            return msgspec.structs.replace(
                record, num_uses=record.num_uses - 1, last_updated_time=self.store.now()
            )

        spent = (await self.store.view.update(path, SECRET_ID.decode, spend)).before
        if spent is None:  # `spend` refuses a missing record, so this is never reached
            raise Refused("no such secret ID for the role")
        return spent

    async def destroy(self, role: Role, record: SecretId) -> None:
        """Remove `record` (already gone is fine)."""

        async def removed(current: SecretId | None) -> Write[SecretId] | Verdict:
            if current is None:
                return UNCHANGED
            return Write(DELETE, also=await self._unindexed(role.key, current))

        await self.store.view.update(
            f"{RECORDS}{role.key}/{record.hmac}", SECRET_ID.decode, removed
        )

    async def _unindexed(self, role_key: str, record: SecretId) -> list[Op]:
        return _unindexed(role_key, record, await self._accessor_path(record.accessor))

    async def accessors(self, role: Role) -> list[str]:
        """Every accessor of `role`'s secret IDs, read a page at a time."""
        folder = f"{RECORDS}{role.key}/"
        found: list[str] = []
        after: str | None = None
        while page := await self.store.view.list(folder, after, PAGE):
            for name in page:
                raw = await self.store.view.get(folder + name)
                if raw is not None:
                    found.append(SECRET_ID.decode(raw).accessor)
            after = page[-1]
        return sorted(found)

    async def flush(self, role: Role) -> int:
        """Destroy every secret ID of a deleted role, a page at a time; returns how many."""
        folder = f"{RECORDS}{role.key}/"
        removed = 0
        after: str | None = None
        while page := await self.store.view.list(folder, after, PAGE):
            for name in page:
                raw = await self.store.view.get(folder + name)
                if raw is not None:
                    await self.destroy(role, SECRET_ID.decode(raw))
                    removed += 1
            after = page[-1]
        return removed

    async def tidy(self) -> int:
        """Destroy every expired secret ID, walking the expiry index in time order and stopping
        at the first key not yet due (so live secret IDs are never even read)."""
        now = self.store.now()
        removed = 0
        after: str | None = None
        while page := await self.store.view.list(EXPIRY, after, PAGE):
            for name in page:
                due, role_key, digest = _parse_expiry(name)
                if due > now:
                    return removed
                removed += await self._expire(role_key, digest, name, now)
            after = page[-1]
        return removed

    async def _expire(self, role_key: str, digest: str, index_key: str, now: float) -> int:
        path = f"{RECORDS}{role_key}/{digest}"
        stored = await self.store.view.get_entry(path)
        if stored is None:  # destroyed already; drop the stray index key
            await self.store.view.delete(EXPIRY + index_key)
            return 0
        record = SECRET_ID.decode(stored.value)
        if not record.expired(now):
            return 0
        unindexed = await self._unindexed(role_key, record)
        ops = [Check(path, stored.version), Delete(path), *unindexed]
        try:
            await self.store.view.transact(ops)
        except StorageConflict:
            return 0  # used or destroyed meanwhile; the next tidy sees what is left
        return 1


def _parse_expiry(name: str) -> tuple[int, str, str]:
    try:
        due, role_key, digest = name.split(".")
        return int(due), role_key, digest
    except ValueError:
        raise InternalError(detail="approle: malformed expiry index key") from None
