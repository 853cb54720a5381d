"""Failed log-in lockout per (role ID, client address), with the semantics of Vault's user
lockout (docs/concepts/user-lockout; `isUserLocked` and `failedUserLoginProcess` in
vault/request_handling.go): after `lockout_threshold` failed attempts the pair is locked for
`lockout_duration` from the last of them; the count starts again after `lockout_counter_reset`
without attempts, and a successful log-in resets it. Defaults: 5 attempts, 15m, 15m.

Vault counts a failure after the credentials were checked, so concurrent log-ins that all read
the count before any of them failed are each checked: a burst tries many more guesses than the
threshold. Here every attempt first reserves a slot in the count with a checked write (the
storage transaction's version check), and only a caller that won a slot below the threshold has
its credentials checked. A reserved slot counts as a failure unless its log-in succeeds, so
however many callers race, on one worker or many nodes over one storage, at most `threshold`
secret IDs are compared per lockout window. A success clears its own slot and every slot taken
before it, not the later ones still being checked (those guesses stay counted); an attempt
whose process dies before its outcome stays counted too, failing closed.

Counters live in the mount's storage, so every worker and node sees the same count. A locked
pair gets the very answer a wrong secret ID gets, without its credentials being checked. Unlike
Vault (403 "permission denied", and only for role IDs that exist), unknown role IDs are counted
and locked alike, so a lockout says nothing about whether a role exists.

Settings come from the mount's options: `lockout_threshold` (an integer >= 1),
`lockout_duration` and `lockout_counter_reset` (Vault durations, >= 1s).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import msgspec

from strongroom.auth.approle.models import LOCKOUT, Lockout, encode
from strongroom.auth.approle.store import PAGE, Store, new_uuid, retrying
from strongroom.config.durations import parse_duration
from strongroom.errors import StorageConflict
from strongroom.storage.interface import Check, Delete, Op, Put

DEFAULT_THRESHOLD = 5
DEFAULT_DURATION = "15m"
LOCKOUTS = "lockout/"


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    threshold: int = DEFAULT_THRESHOLD
    duration: int = 15 * 60
    counter_reset: int = 15 * 60

    @classmethod
    def from_options(cls, options: Mapping[str, str] | None) -> LockoutPolicy:
        """The mount's settings. Raises ValueError (without the value) if one is malformed."""
        options = options or {}
        threshold_text = options.get("lockout_threshold", str(DEFAULT_THRESHOLD)).strip()
        if not threshold_text.isdigit():
            raise ValueError("lockout_threshold must be a positive integer")
        policy = cls(
            int(threshold_text),
            parse_duration(options.get("lockout_duration", DEFAULT_DURATION)),
            parse_duration(options.get("lockout_counter_reset", DEFAULT_DURATION)),
        )
        if min(policy.threshold, policy.duration, policy.counter_reset) < 1:
            raise ValueError("the lockout settings must be positive")
        return policy

    def locked(self, record: Lockout, now: float) -> bool:
        """Vault: at least `threshold` failures, the last one less than `duration` ago."""
        pending = record.attempts - record.cleared
        return pending >= self.threshold and now < record.last_attempt + self.duration

    def stale(self, record: Lockout, now: float) -> bool:
        """Whether `record` no longer counts: neither its lock nor its count is in force."""
        return now >= record.last_attempt + max(self.duration, self.counter_reset)


@dataclass(frozen=True, slots=True)
class Slot:
    """One reserved attempt: the counter's `key`, its counting `window` and the slot's number."""

    key: str
    window: str
    number: int


class Lockouts:
    """The lockout counters of one mount."""

    def __init__(self, store: Store, policy: LockoutPolicy) -> None:
        self.store = store
        self.policy = policy

    async def key(self, role_id: str, remote_addr: str) -> str:
        """Where the counter of this pair lives; salted, so storage shows neither part."""
        return LOCKOUTS + await self.store.hmac("lockout", f"{role_id}\x00{remote_addr}")

    async def reserve(self, key: str) -> Slot | None:
        """Count one attempt before its credentials are checked; None if the pair is locked."""

        async def attempt() -> Slot | None:
            stored, version = await self._read(key)
            now = self.store.now()
            record = self._counting(stored, now)
            if record is None:
                return None
            taken = msgspec.structs.replace(record, attempts=record.attempts + 1, last_attempt=now)
            await self.store.view.transact([Check(key, version), Put(key, encode(taken))])
            return Slot(key, taken.window, taken.attempts)

        return await retrying(attempt)

    def _counting(self, record: Lockout | None, now: float) -> Lockout | None:
        """The count a new attempt joins (a fresh one once reset), or None while locked."""
        if record is not None and self.policy.locked(record, now):
            return None
        if record is None or now >= record.last_attempt + self.policy.counter_reset:
            return Lockout(window=new_uuid(), last_attempt=now)
        return record

    async def succeeded(self, slot: Slot) -> None:
        """A good log-in clears its slot and those before it (Vault resets the count on
        success); the counter goes when no later slot is left."""

        async def attempt() -> None:
            record, version = await self._read(slot.key)
            if record is None or record.window != slot.window or record.cleared >= slot.number:
                return  # reset meanwhile, or cleared by a later success: nothing to release
            ops: list[Op] = [Check(slot.key, version)]
            if slot.number >= record.attempts:
                ops.append(Delete(slot.key))
            else:
                cleared = msgspec.structs.replace(record, cleared=slot.number)
                ops.append(Put(slot.key, encode(cleared)))
            await self.store.view.transact(ops)

        await retrying(attempt)

    async def _read(self, key: str) -> tuple[Lockout | None, int]:
        """The counter at `key` and its storage version (None and 0 if there is none)."""
        stored = await self.store.view.get_entry(key)
        return (None, 0) if stored is None else (LOCKOUT.decode(stored.value), stored.version)

    async def sweep(self) -> int:
        """Delete counters whose count and lock are over, a page at a time; returns how many."""
        removed = 0
        after: str | None = None
        while page := await self.store.view.list(LOCKOUTS, after, PAGE):
            for name in page:
                record, version = await self._read(LOCKOUTS + name)
                if record is None or not self.policy.stale(record, self.store.now()):
                    continue
                ops: list[Op] = [Check(LOCKOUTS + name, version), Delete(LOCKOUTS + name)]
                try:
                    await self.store.view.transact(ops)
                except StorageConflict:
                    continue  # counted again meanwhile: it is live
                removed += 1
            after = page[-1]
        return removed
