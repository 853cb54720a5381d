"""Failed log-in lockout per (role ID, client address), in the spirit of Vault's user lockout
(docs/concepts/user-lockout: default threshold 5 failures, duration 15 minutes).

Counters live in the mount's storage, so every worker and node sees the same count; each change
is a checked read-modify-write. After `threshold` failures within `duration` seconds the pair is
locked for `duration`: further attempts are refused without checking the credentials, with the
very answer a wrong secret ID gets. Unlike Vault (403 "permission denied", and only for role IDs
that exist), unknown role IDs are counted and locked alike, so a lockout says nothing about
whether a role exists. A successful log-in clears the counter.

Settings come from the mount's options: `lockout_threshold` (an integer >= 1) and
`lockout_duration` (a Vault duration, >= 1s).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import msgspec

from strongroom.auth.approle.models import LOCKOUT, Lockout, encode
from strongroom.auth.approle.store import PAGE, Store, retrying
from strongroom.config.durations import parse_duration
from strongroom.errors import StorageConflict
from strongroom.storage.interface import Check, Delete, Op, Put

DEFAULT_THRESHOLD = 5
DEFAULT_DURATION = 15 * 60
LOCKOUTS = "lockout/"


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    threshold: int = DEFAULT_THRESHOLD
    duration: int = DEFAULT_DURATION

    @classmethod
    def from_options(cls, options: Mapping[str, str] | None) -> LockoutPolicy:
        """The mount's settings. Raises ValueError (without the value) if one is malformed."""
        options = options or {}
        threshold_text = options.get("lockout_threshold", str(DEFAULT_THRESHOLD)).strip()
        if not threshold_text.isdigit():
            raise ValueError("lockout_threshold must be a positive integer")
        policy = cls(int(threshold_text), parse_duration(options.get("lockout_duration", "15m")))
        if policy.threshold < 1 or policy.duration < 1:
            raise ValueError("lockout_threshold and lockout_duration must be positive")
        return policy

    def stale(self, record: Lockout, now: float) -> bool:
        """Whether `record` no longer counts: its window and any lock are over."""
        return now >= max(record.window_start + self.duration, record.locked_until)


class Lockouts:
    """The lockout counters of one mount."""

    def __init__(self, store: Store, policy: LockoutPolicy) -> None:
        self.store = store
        self.policy = policy

    async def key(self, role_id: str, remote_addr: str) -> str:
        """Where the counter of this pair lives; salted, so storage shows neither part."""
        return LOCKOUTS + await self.store.hmac("lockout", f"{role_id}\x00{remote_addr}")

    async def locked(self, key: str) -> bool:
        raw = await self.store.view.get(key)
        return raw is not None and LOCKOUT.decode(raw).locked_until > self.store.now()

    async def failed(self, key: str) -> None:
        """Count one failure; the `threshold`-th within the window starts the lock."""

        async def attempt() -> None:
            stored = await self.store.view.get_entry(key)
            now = self.store.now()
            record = None if stored is None else LOCKOUT.decode(stored.value)
            if record is None or now >= record.window_start + self.policy.duration:
                record = Lockout(failures=1, window_start=now)
            else:
                record = msgspec.structs.replace(record, failures=record.failures + 1)
            if record.failures >= self.policy.threshold:
                record = msgspec.structs.replace(record, locked_until=now + self.policy.duration)
            version = 0 if stored is None else stored.version
            await self.store.view.transact([Check(key, version), Put(key, encode(record))])

        await retrying(attempt)

    async def succeeded(self, key: str) -> None:
        """A good log-in clears the pair's counter (Vault resets it on success)."""
        if await self.store.view.get_entry(key) is not None:
            await self.store.view.delete(key)

    async def sweep(self) -> int:
        """Delete counters whose window and lock are over, a page at a time; returns how many."""
        removed = 0
        after: str | None = None
        while page := await self.store.view.list(LOCKOUTS, after, PAGE):
            for name in page:
                stored = await self.store.view.get_entry(LOCKOUTS + name)
                if stored is None or not self.policy.stale(
                    LOCKOUT.decode(stored.value), self.store.now()
                ):
                    continue
                ops: list[Op] = [Check(LOCKOUTS + name, stored.version), Delete(LOCKOUTS + name)]
                try:
                    await self.store.view.transact(ops)
                except StorageConflict:
                    continue  # counted again meanwhile: it is live
                removed += 1
            after = page[-1]
        return removed
