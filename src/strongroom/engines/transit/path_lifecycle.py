"""The explicit key lifecycle, beyond Vault (NIST SP 800-57 states, as AWS KMS and Cloud KMS do).

    enabled ──disable──▶ disabled ──schedule-deletion──▶ pending_deletion ──date──▶ destroyed
       ▲ ◀──enable─────    │ ▲                                 │                  (material
       │                   │ └──────── cancel-deletion ────────┘                   erased)
       └─ schedule-deletion also starts from enabled ──────────▶

Keys also go to pending_deletion straight from enabled. Versions are enabled, disabled or
destroyed (final). Paths: `keys/:name/{disable,enable,schedule-deletion,cancel-deletion}` and
`keys/:name/versions/:version/{disable,enable,destroy}`; each answers the key as `GET keys/:name`
does. The scheduler's `tick` performs the destruction once the deletion date has passed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.transit import events, render
from strongroom.engines.transit.context import KeyName, Name, TransitContext
from strongroom.engines.transit.models import KeyPolicy
from strongroom.engines.transit.store import Change
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import Request, Response

DAY = 86400
MIN_PENDING_DAYS, MAX_PENDING_DAYS, DEFAULT_PENDING_DAYS = 7, 30, 30
Transition = Callable[[KeyPolicy], KeyPolicy]
SYNOPSIS = "Change the lifecycle state of a named key"
VERSION_SYNOPSIS = "Change the state of one version of a named key"


class ScheduleDeletion(msgspec.Struct, frozen=True, kw_only=True):
    name: Name
    pending_days: Annotated[
        int,
        Meta(
            description=f"Days before the key is destroyed, {MIN_PENDING_DAYS} to "
            f"{MAX_PENDING_DAYS} (default {DEFAULT_PENDING_DAYS})."
        ),
    ] = DEFAULT_PENDING_DAYS


class VersionAction(msgspec.Struct, frozen=True, kw_only=True):
    name: Name
    version: Annotated[str, Meta(description="The key version")]


def _state(policy: KeyPolicy, allowed: set[str], action: str) -> None:
    if policy.state not in allowed:
        state = policy.state.replace("_", " ")
        raise BadRequest(f"cannot {action} a key that is {state}")


async def _apply(t: TransitContext, name: str, transition: Transition) -> Response:
    async def mutate(policy: KeyPolicy | None) -> Change | None:
        if policy is None:
            raise NotFound
        new = transition(policy)
        return None if new == policy else Change(new, events=events.state_changes(policy, new))

    ring = await t.store.update(name, mutate)
    if ring is None:
        raise NotFound
    return Response(render.key(ring))


async def disable(t: TransitContext, _req: Request, fields: KeyName) -> Response:
    def transition(policy: KeyPolicy) -> KeyPolicy:
        _state(policy, {"enabled", "disabled"}, "disable")
        return msgspec.structs.replace(policy, state="disabled")

    return await _apply(t, fields.name, transition)


async def enable(t: TransitContext, _req: Request, fields: KeyName) -> Response:
    def transition(policy: KeyPolicy) -> KeyPolicy:
        _state(policy, {"enabled", "disabled"}, "enable")
        return msgspec.structs.replace(policy, state="enabled")

    return await _apply(t, fields.name, transition)


async def schedule_deletion(t: TransitContext, _req: Request, fields: ScheduleDeletion) -> Response:
    days = fields.pending_days
    if not MIN_PENDING_DAYS <= days <= MAX_PENDING_DAYS:
        raise BadRequest(f"pending_days must be between {MIN_PENDING_DAYS} and {MAX_PENDING_DAYS}")
    date = t.now() + days * DAY

    def transition(policy: KeyPolicy) -> KeyPolicy:
        _state(policy, {"enabled", "disabled"}, "schedule deletion of")
        return msgspec.structs.replace(policy, state="pending_deletion", deletion_date=date)

    return await _apply(t, fields.name, transition)


async def cancel_deletion(t: TransitContext, _req: Request, fields: KeyName) -> Response:
    def transition(policy: KeyPolicy) -> KeyPolicy:
        _state(policy, {"pending_deletion"}, "cancel deletion of")
        return msgspec.structs.replace(policy, state="disabled", deletion_date=0.0)

    return await _apply(t, fields.name, transition)


def _version_change(fields: VersionAction, action: str, new_state: str) -> Transition:
    number = int(fields.version)

    def transition(policy: KeyPolicy) -> KeyPolicy:
        _state(policy, {"enabled", "disabled"}, f"{action} a version of")
        version = policy.versions.get(number)
        if version is None:
            raise BadRequest("no such key version")
        if version.state == "destroyed" and new_state != "destroyed":
            raise BadRequest(f"cannot {action} a destroyed key version")
        erased = {"key": b"", "hmac_key": b""} if new_state == "destroyed" else {}
        changed = msgspec.structs.replace(version, state=new_state, **erased)
        return msgspec.structs.replace(policy, versions={**policy.versions, number: changed})

    return transition


async def disable_version(t: TransitContext, _req: Request, fields: VersionAction) -> Response:
    return await _apply(t, fields.name, _version_change(fields, "disable", "disabled"))


async def enable_version(t: TransitContext, _req: Request, fields: VersionAction) -> Response:
    return await _apply(t, fields.name, _version_change(fields, "enable", "enabled"))


async def destroy_version(t: TransitContext, _req: Request, fields: VersionAction) -> Response:
    return await _apply(t, fields.name, _version_change(fields, "destroy", "destroyed"))
