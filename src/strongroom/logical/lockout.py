"""Failed log-in lockout per (identity, client address) — AppRole's role ID, userpass's and
LDAP's username — with the semantics of Vault's user
lockout (docs/concepts/user-lockout; `isUserLocked` and `failedUserLoginProcess` in
vault/request_handling.go): after `lockout_threshold` failed attempts the pair is locked for
`lockout_duration` from the last of them; the count starts again after `lockout_counter_reset`
without attempts, and a successful log-in resets it. Defaults: 5 attempts, 15m, 15m.

Vault counts a failure after the credentials were checked, so concurrent log-ins that all read
the count before any of them failed are each checked: a burst tries many more guesses than the
threshold. Here an attempt first reserves a place in the count with a checked write (the
storage transaction's version check), and its credentials are checked only if the failures so
far plus the attempts still being checked are below the threshold; then it settles its place
as a failure, or as a success that resets the failures. However many callers race, on one
worker or on many nodes over one storage, at most `threshold` secret IDs are compared before
one succeeds. A caller that finds every place taken by attempts still being checked waits for
them (a bounded backoff, so that a burst of good log-ins from one address all get in) and is
refused if they do not settle in time; a place given back on this worker goes straight to
its first waiter. An attempt whose process dies before settling keeps its place until the count
resets, failing closed.

Where no other node shares the storage (SQLite, memory), the places are taken in the node's
attempt table (core/attempts.py, a mapped file every worker shares) instead of the stored
counter, and only failures, and the reset after them, are written: a good log-in of a pair
without failures costs no storage write, and good log-ins racing on one pair do not contend
for one record. Why the count of attempts in flight may live outside storage, and the failures
may not, is written down there.

Counters live in the mount's storage, so every worker and node sees the same count. A locked
pair gets the very answer a wrong secret ID gets, without its credentials being checked. Unlike
Vault (403 "permission denied", and only for role IDs that exist), unknown role IDs are counted
and locked alike, so a lockout says nothing about whether a role exists.

Settings come from the mount's options: `lockout_threshold` (an integer >= 1),
`lockout_duration` and `lockout_counter_reset` (Vault durations, >= 1s).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

import msgspec

from strongroom.config.durations import parse_duration
from strongroom.core.attempts import AttemptTable
from strongroom.core.mounts import MountContext
from strongroom.core.view import View, retrying
from strongroom.errors import StorageConflict
from strongroom.logical.refused import Refused
from strongroom.storage.interface import Check, Delete, Op, Put

DEFAULT_THRESHOLD = 5
DEFAULT_DURATION = "15m"
LOCKOUTS = "lockout/"
SWEEP_PAGE = 100
# Seconds between looks at a count whose every place is taken by attempts being checked. A
# check takes a few milliseconds, so the looks start 2 ms apart and back off to 20 ms; the
# last comes after about 5 s in all (DESIGN.md invariant 12: every wait is bounded).
PAUSES = (0.002, 0.005, 0.01, *(0.02,) * 249)


class LockoutStore(Protocol):
    """What the counters need of a mount: its storage, clock and salted HMAC."""

    @property
    def view(self) -> View: ...
    def now(self) -> float: ...
    async def hmac(self, purpose: str, value: str) -> str: ...


class Lockout(msgspec.Struct, frozen=True, kw_only=True):
    """Log-in attempts of one (identity, client address) pair (`lockout/<hmac>`): the
    `failures` of the counting `window` (a random id, new at each reset) and the attempts
    `pending`, reserved and still being checked (when no node table counts them). The defaults
    let a counter written by an earlier release, which had other fields, decode as an empty
    one that is already stale."""

    window: str = ""
    failures: int = 0
    pending: int = 0
    last_attempt: float = 0.0


LOCKOUT = msgspec.json.Decoder(Lockout)
encode = msgspec.json.Encoder().encode


def new_window() -> str:
    return secrets.token_hex(16)


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
        return record.failures >= self.threshold and now < record.last_attempt + self.duration

    def stale(self, record: Lockout, now: float) -> bool:
        """Whether `record` no longer counts: neither its lock nor its count is in force."""
        return now >= record.last_attempt + max(self.duration, self.counter_reset)


@dataclass(frozen=True, slots=True)
class Slot:
    """One reserved attempt: where its counter lives, in which counting window, and whether
    its place is in the stored counter (else in the node's table, taken in `generation`)."""

    key: str
    window: str
    stored: bool
    generation: int = 0


class Lockouts:
    """The lockout counters of one mount. With the node's `attempts` table (storage no other
    node shares, core/attempts.py) the places of attempts being checked are taken there and
    only failures are written to storage, so a good log-in of a clean pair writes nothing;
    without it every place is a checked write in storage."""

    def __init__(
        self,
        store: LockoutStore,
        policy: LockoutPolicy,
        pauses: Sequence[float] = PAUSES,
        attempts: AttemptTable | None = None,
    ) -> None:
        self.store = store
        self.policy = policy
        self.pauses = pauses
        self.attempts = attempts
        self._waiters: dict[str, deque[asyncio.Future[None]]] = {}

    async def key(self, identity: str, remote_addr: str) -> str:
        """Where the counter of this pair lives; salted, so storage shows neither part."""
        return LOCKOUTS + await self.store.hmac("lockout", f"{identity}\x00{remote_addr}")

    async def reserve(self, key: str) -> Slot:
        """Take a place in the count before the credentials are checked.

        Raises Refused if the pair is locked out, or if `threshold` attempts are still being
        checked after the bounded wait.
        """
        for pause in self.pauses:
            if self.attempts is None:
                slot = await retrying(partial(self._claim, key))
            else:
                slot = await self._hold(key, self.attempts)
            if slot is not None:
                return slot
            await self._wait(key, pause)
        raise Refused("too many log-ins being checked at once")

    def _current(self, record: Lockout | None, now: float) -> Lockout:
        """The count in force: `record`, or a fresh one once it reset. Raises Refused if the
        pair is locked out."""
        if record is not None and self.policy.locked(record, now):
            raise Refused("locked out after repeated failed log-ins")
        return (
            Lockout(window=new_window()) if record is None or self._reset(record, now) else record
        )

    def _reset(self, record: Lockout, now: float) -> bool:
        """Whether `lockout_counter_reset` has passed since the count's last attempt."""
        return now >= record.last_attempt + self.policy.counter_reset

    def _places(self, record: Lockout) -> int:
        """Below the threshold, as many places as failures are missing; at or past it once the
        lock is over, one: Vault lets one more attempt through, and its failure locks again."""
        return max(self.policy.threshold - record.failures, 1)

    async def _claim(self, key: str) -> Slot | None:
        """A place in the stored count, or None while every place is taken by attempts being
        checked. Raises Refused if the pair is locked out."""
        record, version = await self._read(key)
        now = self.store.now()
        record = self._current(record, now)
        if record.pending >= self._places(record):
            return None
        taken = msgspec.structs.replace(record, pending=record.pending + 1, last_attempt=now)
        await self.store.view.transact([Check(key, version), Put(key, encode(taken))])
        return Slot(key, record.window, stored=True)

    async def _hold(self, key: str, attempts: AttemptTable) -> Slot | None:
        """A place in the node's table, or None while every place is taken. Raises Refused if
        the pair is locked out.

        The place is taken before the failures are read: an attempt that held a place when
        this one took its own is still counted in the table, or its failure is already in
        storage (written before its place was given back), so the latest of any set of
        attempts checked together counts all the others and no more than the places pass.
        """
        now = self.store.now()
        place = attempts.hold(_bucket(key), self.policy.threshold, now, self.policy.counter_reset)
        if place is None:
            return None
        held, generation = place
        try:
            record = self._current((await self._read(key))[0], now)
        except BaseException:
            self._give(key, attempts, generation)
            raise
        if held + record.pending > self._places(record):
            self._give(key, attempts, generation)
            return None
        return Slot(key, record.window, stored=False, generation=generation)

    async def settle(self, slot: Slot, *, failed: bool) -> None:
        """Give the place back: as one more failure, or as a success, which resets the failures
        (Vault); the counter goes once nothing is left in it. A place in the node's table is
        given back only once its failure is in storage; if that write fails, the place stays
        taken until the table lapses (failing closed)."""
        await retrying(partial(self._settled, slot, failed=failed))
        if self.attempts is not None and not slot.stored:
            self._give(slot.key, self.attempts, slot.generation)
        else:
            self._wake(slot.key)

    async def _settled(self, slot: Slot, *, failed: bool) -> None:
        record, version = await self._read(slot.key)
        ours = record is not None and record.window == slot.window
        current = self._settling(slot, record, ours, failed=failed)
        if current is None:
            return  # a success, and no count to reset: nothing to write
        settled = msgspec.structs.replace(
            current,
            failures=current.failures + 1 if failed else 0,
            pending=current.pending - 1 if ours and slot.stored else current.pending,
            last_attempt=self.store.now() if failed else current.last_attempt,
        )
        ops: list[Op] = [Check(slot.key, version)]
        if settled.failures == settled.pending == 0:
            ops.append(Delete(slot.key))
        else:
            ops.append(Put(slot.key, encode(settled)))
        await self.store.view.transact(ops)

    def _settling(
        self, slot: Slot, record: Lockout | None, ours: bool, *, failed: bool
    ) -> Lockout | None:
        """The count an attempt settles in, None if there is nothing to change."""
        if not slot.stored:
            # The node table's places are not in the record: a failure counts in the count in
            # force (a fresh one once it reset), a success resets whatever is stored.
            if failed and (record is None or self._reset(record, self.store.now())):
                return Lockout(window=new_window())
            return record
        if ours:
            return record
        # Not ours: the count was reset meanwhile, and nothing of a success is left in it; a
        # failure counts in the count in force now.
        return (record or Lockout(window=new_window())) if failed else None

    def _give(self, key: str, attempts: AttemptTable, generation: int) -> None:
        attempts.release(_bucket(key), generation)
        self._wake(key)

    async def _wait(self, key: str, pause: float) -> None:
        """Until a place of `key` is given back on this worker (the first waiter is woken), or
        `pause` seconds: places given back by other workers or nodes are seen at the next look."""
        waiter = asyncio.get_running_loop().create_future()
        queue = self._waiters.setdefault(key, deque())
        queue.append(waiter)
        try:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(pause):
                    await waiter
        finally:
            with contextlib.suppress(ValueError):
                queue.remove(waiter)  # still queued: it timed out or was cancelled
            if not queue:
                self._waiters.pop(key, None)

    def _wake(self, key: str) -> None:
        """Hand the place just given back to the first waiter for `key` on this worker."""
        queue = self._waiters.get(key)
        while queue:
            waiter = queue.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    async def _read(self, key: str) -> tuple[Lockout | None, int]:
        """The counter at `key` and its storage version (None and 0 if there is none)."""
        stored = await self.store.view.get_entry(key)
        return (None, 0) if stored is None else (LOCKOUT.decode(stored.value), stored.version)

    async def sweep(self) -> int:
        """Delete counters whose count and lock are over, a page at a time; returns how many."""
        removed = 0
        after: str | None = None
        while page := await self.store.view.list(LOCKOUTS, after, SWEEP_PAGE):
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


def _bucket(key: str) -> bytes:
    """The node table's key of a counter: the salted HMAC its path ends in."""
    return bytes.fromhex(key.removeprefix(LOCKOUTS))


INVALID_OPTIONS = "invalid lockout settings in the mount options"


def mount_lockouts(store: LockoutStore, ctx: MountContext) -> Lockouts | None:
    """The lockouts of a mount from its options, None when they are malformed: the backend
    then refuses every request with INVALID_OPTIONS, failing closed, and visibly."""
    try:
        policy = LockoutPolicy.from_options(ctx.entry.options)
    except ValueError:
        return None
    return Lockouts(store, policy, attempts=ctx.attempts)
