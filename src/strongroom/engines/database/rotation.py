"""Static-role rotation: exactly once per slot, resumable after a crash, safe across workers.

Every password change of a static role is three steps on its one storage record:

    claim   checked write: `pending` = {slot, target user, new password, owner, lease}
    apply   tell the database (idempotent: setting the same password twice is harmless)
    commit  checked write: hand out the new password, advance the schedule, clear `pending`

The claim only succeeds on the version that was read and only while nothing is pending, so of
several workers ticking at once one claims a slot and the others see it taken; the commit moves
`next_vault_rotation` on, so the slot is never claimed again. If the process dies after the
claim, the record keeps the pending password: once the claim's lease (CLAIM_SECONDS by the
injected clock) has passed, any worker takes it over and finishes it with the same password.
Retiring an overlapped user (`overlap.py`) is a pending change of the same kind, so it can never
interleave with a rotation of the same user.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable

import msgspec

from strongroom.engines.database import overlap
from strongroom.engines.database.models import STATIC_DECODER, Pending, StaticAccount, StaticRole
from strongroom.engines.database.schedule import parse_schedule
from strongroom.engines.database.service import Database
from strongroom.engines.database.store import STATIC_ROLE, Versioned
from strongroom.errors import BadRequest, StrongroomError

log = logging.getLogger("strongroom.engines.database")
CLAIM_SECONDS = 60.0
Want = Callable[[StaticRole, float], Awaitable[Pending | None]]
_EVENTS = {"rotate": "database-static-role-rotated", "retire": "database-static-role-retired"}


def next_rotation(role: StaticRole, now: float) -> float:
    if role.rotation_schedule:
        return parse_schedule(role.rotation_schedule).next_after(now)
    return now + role.rotation_period


def in_window(role: StaticRole, now: float) -> bool:
    """Vault: a scheduled rotation may only start within `rotation_window` of its time."""
    window = role.rotation_window if role.rotation_schedule else 0
    return not window or now < role.account.next_vault_rotation + window


class Rotations:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- entry points ---------------------------------------------------------------------------

    async def create(self, name: str, role: StaticRole) -> StaticRole:
        """Store a new static role and rotate its password, as Vault does (it must know the
        password). Nothing is left behind if the database refuses. Raises BadRequest."""
        pending = await self._pending(role, "create", "rotate", role.username)
        record = msgspec.structs.replace(role, account=StaticAccount(pending=pending))
        if not await self.db.store.write(STATIC_ROLE + name, record, 0):
            raise BadRequest("static role was created concurrently; retry")
        try:
            await self._apply(record, pending)
        except StrongroomError:
            found = await self.db.store.static_role(name)
            if found is not None and found.record.account.pending == pending:
                await self.db.store.write(STATIC_ROLE + name, None, found.version)
            raise
        return await self._commit(name, pending) or record

    async def rotate_now(self, name: str) -> None:
        """rotate-role/:name. A stale interrupted change is finished first. Raises BadRequest
        if the role is unknown or another rotation of it is running right now."""
        for _ in range(2):
            if await self.db.store.static_role(name) is None:
                raise BadRequest("no static role found for role")
            done = await self._run(name, self._manual)
            if done is None:
                raise BadRequest("a rotation of this static role is already in progress")
            if done.slot.startswith("manual:"):
                return
        raise BadRequest("a rotation of this static role is already in progress")

    async def tick(self) -> None:
        """Finish interrupted changes, retire overlapped users, rotate what is due. A role that
        fails is logged (sanitized) and retried next round; it does not stop the others."""
        after: str | None = None
        while names := await self.db.store.static_names(after=after, limit=100):
            for name in names:
                try:
                    await self._tick_role(name)
                except StrongroomError as exc:
                    log.warning("static role %r: rotation failed: %s", name, exc.public)
            after = names[-1]

    # -- scheduling ----------------------------------------------------------------------------

    async def _tick_role(self, name: str) -> None:
        found = await self.db.store.static_role(name)
        if found is None:
            return
        account, now = found.record.account, self.db.now()
        if account.pending is not None:
            if account.pending.lease_until <= now:
                await self._run(name, self._nothing)  # takes the stale claim over
        elif account.retired and account.retire_at <= now:
            await self._run(name, self._retirement)
        elif account.next_vault_rotation and now >= account.next_vault_rotation:
            if in_window(found.record, now):
                await self._run(name, self._scheduled)
            else:
                await self._skip(name, found)

    async def _scheduled(self, role: StaticRole, now: float) -> Pending | None:
        due = role.account.next_vault_rotation
        if not due or now < due or not in_window(role, now):
            return None
        return await self._pending(role, f"scheduled:{due}", "rotate", overlap.next_target(role))

    async def _manual(self, role: StaticRole, _now: float) -> Pending | None:
        slot = "manual:" + secrets.token_hex(8)
        return await self._pending(role, slot, "rotate", overlap.next_target(role))

    async def _retirement(self, role: StaticRole, now: float) -> Pending | None:
        account = role.account
        if not account.retired or account.retire_at > now:
            return None
        slot = f"retire:{account.retire_at}"
        return await self._pending(role, slot, "retire", account.retired)

    async def _nothing(self, _role: StaticRole, _now: float) -> Pending | None:
        return None

    async def _skip(self, name: str, found: Versioned[StaticRole]) -> None:
        """The window of this slot has passed: wait for the next one (Vault)."""
        role = found.record
        account = msgspec.structs.replace(
            role.account, next_vault_rotation=next_rotation(role, self.db.now())
        )
        record = msgspec.structs.replace(role, account=account)
        await self.db.store.write(STATIC_ROLE + name, record, found.version)

    # -- claim, apply, commit ------------------------------------------------------------------

    async def _run(self, name: str, want: Want) -> Pending | None:
        """Claim (or take over) a change of `name`, apply and commit it; the change done, or
        None if there was nothing to do or another worker holds a live claim."""
        claimed = await self._claim(name, want)
        if claimed is None:
            return None
        role, pending = claimed
        await self._apply(role, pending)
        await self._commit(name, pending)
        return pending

    async def _claim(self, name: str, want: Want) -> tuple[StaticRole, Pending] | None:
        taken: list[Pending] = []

        async def mutate(role: StaticRole | None) -> StaticRole | None:
            taken.clear()
            if role is None:
                return None
            now, pending = self.db.now(), role.account.pending
            if pending is not None:
                if pending.lease_until > now:
                    return role  # someone is on it
                pending = msgspec.structs.replace(
                    pending, owner=secrets.token_hex(8), lease_until=now + CLAIM_SECONDS
                )
            else:
                pending = await want(role, now)
                if pending is None:
                    return role
            taken.append(pending)
            account = msgspec.structs.replace(role.account, pending=pending)
            return msgspec.structs.replace(role, account=account)

        path = STATIC_ROLE + name
        role = await self.db.store.update(path, STATIC_DECODER, mutate)
        return (role, taken[0]) if role is not None and taken else None

    async def _pending(self, role: StaticRole, slot: str, kind: str, target: str) -> Pending:
        config = (await self.db.config(role.db_name)).record
        password = await self.db.password_for(config)
        owner, lease = secrets.token_hex(8), self.db.now() + CLAIM_SECONDS
        return Pending(
            slot=slot, kind=kind, target=target, password=password, owner=owner, lease_until=lease
        )

    async def _apply(self, role: StaticRole, pending: Pending) -> None:
        _config, plugin = await self.db.plugin(role.db_name)
        clone = overlap.clone_name(role.username)
        if pending.kind == "rotate" and pending.target == clone:
            if not isinstance(plugin, overlap.SupportsClones):
                raise BadRequest("rotation_overlap is not supported by this plugin")
            await plugin.clone_user(role.username, clone, pending.password)
        elif pending.kind == "retire":
            await plugin.set_password([], pending.target, pending.password)
        else:
            await plugin.set_password(role.rotation_statements, pending.target, pending.password)

    async def _commit(self, name: str, done: Pending) -> StaticRole | None:
        committed: list[bool] = []

        async def mutate(role: StaticRole | None) -> StaticRole | None:
            committed.clear()
            pending = None if role is None else role.account.pending
            if role is None or pending is None or pending.slot != done.slot:
                return role  # deleted, or already committed by whoever took our claim over
            committed.append(True)
            now = self.db.now()
            retire = done.kind == "retire"
            account = _retired(role.account) if retire else _rotated(role, done, now)
            return msgspec.structs.replace(role, account=account)

        path = STATIC_ROLE + name
        role = await self.db.store.update(path, STATIC_DECODER, mutate)
        if committed:
            await self.db.emit(_EVENTS[done.kind], {"role": name, "username": done.target})
        return role


def _rotated(role: StaticRole, done: Pending, now: float) -> StaticAccount:
    account = role.account
    retired, retire_at = account.retired, account.retire_at
    if account.username and account.username != done.target:
        retired, retire_at = account.username, now + role.rotation_overlap
    elif retired == done.target:
        retired, retire_at = "", 0.0  # the rotation just gave it a new password
    return msgspec.structs.replace(
        account,
        username=done.target,
        password=done.password,
        last_vault_rotation=now,
        next_vault_rotation=next_rotation(role, now),
        generation=account.generation + 1,
        retired=retired,
        retire_at=retire_at,
        pending=None,
    )


def _retired(account: StaticAccount) -> StaticAccount:
    return msgspec.structs.replace(account, retired="", retire_at=0.0, pending=None)
