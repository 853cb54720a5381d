"""The identity store's storage layout and its checked writes.

Below the `identity/` mount's view (the barrier seals every value; names appear in keys only
hex-encoded, so a `/` in a name is never a folder):

    entity/<id>                        Entity, its aliases inside
    entity-name/<hex(name)>            the entity id          (names are unique)
    alias-id/<alias id>                the entity id
    alias-key/<accessor>/<hex(name)>   the entity id          (one entity per mount + name)
    entity-merged/<id>                 the id of the entity it was merged into (its tokens
                                       act as that entity, as Vault's MemDBEntityByMergedEntityID)
    groups                             GroupTable: every group of the namespace

Each change is one transaction: the record guarded by the version it was read at, each index
it claims guarded by a `Check` that it is still free, and the configuration epoch moved with it
(`invalidation`) so every worker and node drops what it resolved from the old record (DESIGN.md
invariant 10). A lost race raises StorageConflict; `retrying` runs the whole decision again.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Sequence

import msgspec

from strongroom.clock import Clock
from strongroom.engines.identity.models import Entity, GroupTable
from strongroom.errors import InternalError, StorageConflict
from strongroom.logical import View
from strongroom.storage.interface import Check, Delete, Op, Put

ENTITY = "entity/"
ENTITY_NAME = "entity-name/"
ALIAS_ID = "alias-id/"
ALIAS_KEY = "alias-key/"
ENTITY_MERGED = "entity-merged/"
GROUPS = "groups"
_RETRIES = 100  # each lost race means another writer committed: contenders settle quickly
_ENTITY = msgspec.json.Decoder(Entity)
_GROUPS = msgspec.json.Decoder(GroupTable)


def new_id() -> str:
    """A random UUID-format id from `secrets`, as Vault's entity and group ids look."""
    return str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))


def name_key(prefix: str, name: str) -> str:
    # Hex of the name's bytes: any text a caller sends (NUL, "/", a lone surrogate) is a key.
    return prefix + name.encode("utf-8", "surrogatepass").hex()


def names_a_record(record_id: str) -> bool:
    """Whether a caller's id can be the last part of a storage key (ids are UUIDs; anything
    else, "/", NUL or a lone surrogate included, names no record rather than failing)."""
    if not record_id or "/" in record_id or "\x00" in record_id:
        return False
    try:
        record_id.encode()
    except UnicodeEncodeError:
        return False
    return True


def alias_key(accessor: str, name: str) -> str:
    return name_key(f"{ALIAS_KEY}{accessor.encode('utf-8', 'surrogatepass').hex()}/", name)


class IdentityStore:
    """One namespace's entities and groups, with this worker's cache of the group table."""

    def __init__(self, view: View, clock: Clock, invalidation: Callable[[], Op]) -> None:
        self.view = view
        self.clock = clock
        self.invalidation = invalidation
        self._groups: tuple[GroupTable, int] | None = None

    def clear_cache(self) -> None:
        self._groups = None

    def now(self) -> float:
        return self.clock.now()

    # -- entities --------------------------------------------------------------------------------

    async def entity(self, entity_id: str) -> tuple[Entity, int] | None:
        """The entity and the storage version it was read at."""
        if not names_a_record(entity_id):
            return None
        found = await self.view.get_entry(ENTITY + entity_id)
        return None if found is None else (_ENTITY.decode(found.value), found.version)

    async def _pointer(self, key: str) -> tuple[Entity, int] | None:
        target = await self.view.get(key)
        return None if target is None else await self.entity(target.decode())

    async def entity_by_name(self, name: str) -> tuple[Entity, int] | None:
        return await self._pointer(name_key(ENTITY_NAME, name))

    async def entity_by_alias(self, accessor: str, name: str) -> tuple[Entity, int] | None:
        return await self._pointer(alias_key(accessor, name))

    async def entity_by_alias_id(self, alias_id: str) -> tuple[Entity, int] | None:
        if not names_a_record(alias_id):
            return None
        return await self._pointer(ALIAS_ID + alias_id)

    async def entity_or_merged(self, entity_id: str) -> tuple[Entity, int] | None:
        """The entity, or the one it was merged into (what a token's entity id names)."""
        found = await self.entity(entity_id)
        if found is None and names_a_record(entity_id):
            found = await self._pointer(ENTITY_MERGED + entity_id)
        return found

    async def entity_ids(self) -> list[str]:
        return await self.view.list(ENTITY)

    async def entities(self) -> list[Entity]:
        found = [await self.entity(i) for i in await self.entity_ids()]
        return [e for e, _ in filter(None, found)]

    async def save_entity(
        self, new: Entity, old: tuple[Entity, int] | None, *, invalidate: bool = True
    ) -> None:
        """Write `new` over `old` (None: create), moving its name and alias indexes with it.
        Raises StorageConflict if the entity changed or a name or alias it claims was taken."""
        await self.view.transact(
            entity_ops(new, old),
            outside=[self.invalidation()] if invalidate else [],
        )

    async def delete_entity(self, found: tuple[Entity, int], extra: Sequence[Op] = ()) -> None:
        """Remove the entity, its indexes and its group memberships, in one transaction."""
        entity, version = found
        ops = [
            Check(ENTITY + entity.id, version),
            *_drop_indexes(entity),
            Delete(ENTITY + entity.id),
        ]
        await self.change_groups(
            lambda table: without_members(table, {entity.id}), also=[*ops, *extra]
        )

    # -- groups ----------------------------------------------------------------------------------

    async def groups(self) -> GroupTable:
        """The group table as this worker last saw it (dropped when the epoch moves)."""
        if self._groups is None:
            found = await self.view.get_entry(GROUPS)
            self._groups = (
                (GroupTable(), 0) if found is None else (_GROUPS.decode(found.value), found.version)
            )
        return self._groups[0]

    async def change_groups(
        self, mutate: Callable[[GroupTable], GroupTable], also: Sequence[Op] = ()
    ) -> GroupTable:
        """Apply `mutate` to the freshly read table and write it with `also`, atomically
        (retried on a lost race on the table itself; a failed Check in `also` propagates as
        StorageConflict). Errors `mutate` raises propagate."""
        for _ in range(_RETRIES):
            found = await self.view.get_entry(GROUPS)
            table = GroupTable() if found is None else _GROUPS.decode(found.value)
            changed = mutate(table)
            if changed is table and not also:
                return table  # nothing to change: no write, no epoch moved
            ops: list[Op] = [Check(GROUPS, 0 if found is None else found.version)]
            ops += [Put(GROUPS, msgspec.json.encode(changed)), *also]
            try:
                await self.view.transact(ops, outside=[self.invalidation()])
            except StorageConflict:
                if await self.view.version(GROUPS) == (0 if found is None else found.version):
                    raise  # the table did not move: a Check of `also` failed
                continue
            self._groups = None
            return changed
        raise InternalError(detail="identity: group table kept changing")


def entity_ops(new: Entity, old: tuple[Entity, int] | None) -> list[Op]:
    """The guarded writes that turn `old` into `new`, indexes included."""
    ops: list[Op] = [Check(ENTITY + new.id, 0 if old is None else old[1])]
    before = None if old is None else old[0]
    if before is None or before.name != new.name:
        if before is not None:
            ops.append(Delete(name_key(ENTITY_NAME, before.name)))
        claimed = name_key(ENTITY_NAME, new.name)
        ops += [Check(claimed, 0), Put(claimed, new.id.encode())]
    old_aliases = {a.id: a for a in (before.aliases if before else ())}
    for alias in new.aliases:
        prior = old_aliases.pop(alias.id, None)
        if prior is not None and (prior.mount_accessor, prior.name) == (
            alias.mount_accessor,
            alias.name,
        ):
            continue
        if prior is not None:
            ops.append(Delete(alias_key(prior.mount_accessor, prior.name)))
        claimed = alias_key(alias.mount_accessor, alias.name)
        ops += [Check(claimed, 0), Put(claimed, new.id.encode())]
        ops.append(Put(ALIAS_ID + alias.id, new.id.encode()))
    for gone in old_aliases.values():
        ops += [Delete(alias_key(gone.mount_accessor, gone.name)), Delete(ALIAS_ID + gone.id)]
    ops.append(Put(ENTITY + new.id, msgspec.json.encode(new)))
    return ops


def _drop_indexes(entity: Entity) -> list[Op]:
    ops: list[Op] = [Delete(name_key(ENTITY_NAME, entity.name))]
    for alias in entity.aliases:
        ops += [Delete(alias_key(alias.mount_accessor, alias.name)), Delete(ALIAS_ID + alias.id)]
    return ops


def without_members(table: GroupTable, entity_ids: set[str]) -> GroupTable:
    """`table` with `entity_ids` removed from every group's members (entity deletion)."""
    groups = {
        gid: msgspec.structs.replace(
            g, member_entity_ids=tuple(e for e in g.member_entity_ids if e not in entity_ids)
        )
        if entity_ids & set(g.member_entity_ids)
        else g
        for gid, g in table.groups.items()
    }
    return GroupTable(groups)
