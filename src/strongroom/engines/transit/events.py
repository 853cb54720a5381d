"""Key events for the audit stream (`MountContext.emit`): what happened to which key version.

A change to a key travels with the `Change` that makes it (`store.py`) and is emitted only once
that transaction has committed, so a writer that lost a race and re-decided never reports the
change it did not make, and a rotation two workers attempt at once is reported once. Exports
change nothing in storage and are emitted by their handler. Events carry names, types, version
numbers, states and settings: never key material, plaintext or ciphertext.

Uses are not emitted one by one: the core already audits every request, so each worker counts
uses per (key, version, operation) in memory and `flush_uses` (the background round, every few
seconds) emits one `transit-key-used` per non-zero count. The operation is the cryptographic use
of that version: encrypt (also datakey, and rewrap's new ciphertext), decrypt (also the
ciphertext rewrap opens), sign, verify, hmac.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from strongroom.engines.transit.models import KeyPolicy
from strongroom.logical import EventSink

CREATED = "transit-key-created"
IMPORTED = "transit-key-imported"
ROTATED = "transit-key-rotated"
STATE_CHANGED = "transit-key-state-changed"
CONFIG_CHANGED = "transit-key-config-changed"
TRIMMED = "transit-key-trimmed"
DELETED = "transit-key-deleted"
EXPORTED = "transit-key-exported"
BACKED_UP = "transit-key-backed-up"
RESTORED = "transit-key-restored"
USED = "transit-key-used"

# What `keys/:name/config` can change; each shows in the event with its new value.
_SETTINGS = (
    "min_decryption_version",
    "min_encryption_version",
    "deletion_allowed",
    "exportable",
    "allow_plaintext_backup",
    "auto_rotate_period",
)


@dataclass(frozen=True, slots=True)
class Event:
    kind: str
    data: Mapping[str, Any]


def created(policy: KeyPolicy) -> Event:
    return Event(CREATED, _version(policy, policy.latest_version))


def imported(policy: KeyPolicy, version: int) -> Event:
    """A key imported whole (its version 1) or a version imported into it (`import_version`)."""
    return Event(IMPORTED, _version(policy, version))


def rotated(policy: KeyPolicy, trigger: str) -> Event:
    """`trigger`: manual, schedule (`auto_rotate_period`) or nonce-budget."""
    return Event(
        ROTATED, {"name": policy.name, "version": policy.latest_version, "trigger": trigger}
    )


def state_changes(old: KeyPolicy, new: KeyPolicy) -> list[Event]:
    """The key's state change, or else each version's; a key-level change (destruction erases
    every version) is one event, not one per version."""
    if old.state != new.state:
        return [Event(STATE_CHANGED, {"name": new.name, "from": old.state, "to": new.state})]
    return [
        Event(STATE_CHANGED, {"name": new.name, "version": n, "from": before.state, "to": v.state})
        for n, v in sorted(new.versions.items())
        if (before := old.versions.get(n)) is not None and before.state != v.state
    ]


def config_changed(old: KeyPolicy, new: KeyPolicy) -> list[Event]:
    changes = {f: getattr(new, f) for f in _SETTINGS if getattr(old, f) != getattr(new, f)}
    return [Event(CONFIG_CHANGED, {"name": new.name, "changes": changes})] if changes else []


def trimmed(old: KeyPolicy, new: KeyPolicy) -> Event:
    removed = sorted(set(old.versions) - set(new.versions))
    data = {"name": new.name, "min_available_version": new.min_available_version}
    return Event(TRIMMED, {**data, "versions": removed})


def deleted(policy: KeyPolicy) -> Event:
    return Event(DELETED, _versions(policy))


def exported(policy: KeyPolicy, export_type: str, versions: Iterable[int]) -> Event:
    return Event(
        EXPORTED, {"name": policy.name, "export_type": export_type, "versions": [*versions]}
    )


def backed_up(policy: KeyPolicy) -> Event:
    return Event(BACKED_UP, _versions(policy))


def restored(policy: KeyPolicy, *, replaced: bool) -> Event:
    """`replaced`: the restore overwrote an existing key of that name (`force`)."""
    return Event(RESTORED, {**_versions(policy), "replaced": replaced})


def _version(policy: KeyPolicy, version: int) -> dict[str, Any]:
    return {"name": policy.name, "type": policy.type, "version": version}


def _versions(policy: KeyPolicy) -> dict[str, Any]:
    return {"name": policy.name, "versions": sorted(policy.versions)}


class Events:
    """One mount's event sink in one worker, with that worker's uncounted key uses.

    Every event names the mount by its accessor (stable across a remount), as two transit
    mounts may hold keys of the same name.
    """

    def __init__(self, emit: EventSink, mount_accessor: str) -> None:
        self._emit = emit
        self._accessor = mount_accessor
        self._uses: Counter[tuple[str, int, str]] = Counter()

    async def send(self, events: Iterable[Event]) -> None:
        for event in events:
            await self._emit(event.kind, {"mount_accessor": self._accessor, **event.data})

    def used(self, name: str, version: int, operation: str) -> None:
        self._uses[name, version, operation] += 1

    async def flush_uses(self) -> None:
        """One `transit-key-used` per counted (key, version, operation). Counts not emitted
        (the audit stream failed) are kept for the next round: a use is never dropped."""
        pending, self._uses = self._uses, Counter()
        try:
            while pending:
                (name, version, operation), count = next(iter(pending.items()))
                data = {"name": name, "version": version, "operation": operation, "count": count}
                await self.send([Event(USED, data)])
                del pending[name, version, operation]
        finally:
            self._uses.update(pending)
