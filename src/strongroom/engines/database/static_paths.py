"""database/static-roles/:name: one database user whose password Strongroom rotates.

Vault's rules: exactly one of `rotation_period` (at least 5 s) and `rotation_schedule` (five
cron fields, UTC), `rotation_window` (at least an hour) only with a schedule, a username that
never changes. Creating a role rotates its password at once (`rotation.py`). Strongroom adds
`rotation_overlap` (seconds; see overlap.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from strongroom.clock import rfc3339
from strongroom.core.fields import get_duration, get_str
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.engines.database import overlap
from strongroom.engines.database.connections import plugin_spec
from strongroom.engines.database.models import STATIC_DECODER, StaticRole
from strongroom.engines.database.params import db_username, given, listing, statements
from strongroom.engines.database.role_paths import credential_type
from strongroom.engines.database.rotation import Rotations, next_rotation
from strongroom.engines.database.schedule import ScheduleError, parse_schedule
from strongroom.engines.database.store import STATIC_ROLE
from strongroom.errors import BadRequest, NotFound, StrongroomError

MIN_PERIOD = 5  # Vault's queue tick: a shorter period could never be honoured
MIN_WINDOW = 3600


async def write_static_role(rot: Rotations, req: Request, params: Mapping[str, str]) -> Response:
    name, data, db = params["name"], req.data, rot.db
    if await db.store.role(name) is not None:
        raise BadRequest("Role and Static Role names must be unique")
    found = await db.store.static_role(name)
    patch = _patch(data, creating=found is None)
    if found is None:
        role = patch(StaticRole(db_name="", username=""))
        await _check(rot, role)
        await rot.create(name, role)
        return NO_CONTENT

    await _check(rot, patch(found.record))  # before anything is stored

    async def mutate(current: StaticRole | None) -> StaticRole | None:
        if current is None:
            raise BadRequest("the static role was deleted concurrently; retry")
        return patch(current)

    await db.store.update(STATIC_ROLE + name, STATIC_DECODER, mutate)
    return NO_CONTENT


def _patch(data: Mapping[str, Any], *, creating: bool) -> Callable[[StaticRole], StaticRole]:
    """Validate the request once; the returned function applies it to a stored role."""
    timing_changes = _timing(data, creating=creating)
    overlap_seconds = get_duration(data, "rotation_overlap")
    username = get_str(data, "username")
    if creating:
        db_username(username)

    def apply(role: StaticRole) -> StaticRole:
        if username and role.username and username != role.username:
            raise BadRequest("cannot update static account username")
        changes: dict[str, Any] = {
            "db_name": get_str(data, "db_name", role.db_name),
            "username": role.username or username,
            "credential_type": credential_type(data, role.credential_type),
            **timing_changes,
        }
        if given(data, "rotation_statements") or creating:
            changes["rotation_statements"] = statements(data, "rotation_statements")
        if given(data, "rotation_overlap"):
            changes["rotation_overlap"] = overlap_seconds
        updated = msgspec.structs.replace(role, **changes)
        if not updated.db_name:
            raise BadRequest("database name is a required field")
        return _rescheduled(updated) if timing_changes else updated

    return apply


def _timing(data: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    """The timing fields this request sets (Vault's checks and messages), or {}."""
    by_period = given(data, "rotation_period")
    schedule = get_str(data, "rotation_schedule")
    if by_period and schedule:
        raise BadRequest(
            "mutually exclusive fields rotation_period and rotation_schedule were both "
            "specified; only one of them can be provided"
        )
    if by_period:
        period = get_duration(data, "rotation_period")
        if period < MIN_PERIOD:
            raise BadRequest(f"rotation_period must be {MIN_PERIOD} seconds or more")
        if given(data, "rotation_window"):
            raise BadRequest("rotation_window is invalid with use of rotation_period")
        return {"rotation_period": period, "rotation_schedule": "", "rotation_window": 0}
    if schedule:
        try:
            parse_schedule(schedule)
        except ScheduleError as exc:
            raise BadRequest(f"could not parse rotation_schedule: {exc}") from None
        window = get_duration(data, "rotation_window")
        if given(data, "rotation_window") and window < MIN_WINDOW:
            raise BadRequest(f"rotation_window is invalid: must be {MIN_WINDOW} seconds or more")
        changes: dict[str, Any] = {"rotation_schedule": schedule, "rotation_period": 0}
        if given(data, "rotation_window"):  # else the stored window stays, as in Vault
            changes["rotation_window"] = window
        return changes
    if creating:
        raise BadRequest(
            "one of rotation_schedule or rotation_period must be provided to create a "
            "static account"
        )
    return {}


def _rescheduled(role: StaticRole) -> StaticRole:
    """Vault re-queues a role whose timing changed: next = timing applied to the last rotation."""
    last = role.account.last_vault_rotation
    if not last:
        return role
    account = msgspec.structs.replace(role.account, next_vault_rotation=next_rotation(role, last))
    return msgspec.structs.replace(role, account=account)


async def _check(rot: Rotations, role: StaticRole) -> None:
    """What needs the connection: the plugin must support clones for an overlap."""
    if role.rotation_overlap < 0:
        raise BadRequest("rotation_overlap must not be negative")
    if role.rotation_overlap == 0:
        return
    if role.rotation_period and role.rotation_overlap >= role.rotation_period:
        raise BadRequest("rotation_overlap must be shorter than rotation_period")
    config = (await rot.db.config(role.db_name)).record
    spec = plugin_spec(config.plugin_name)
    if not spec.clones:
        raise BadRequest(f"rotation_overlap is not supported by {config.plugin_name}")
    if len(overlap.clone_name(role.username).encode()) > spec.max_username:
        raise BadRequest(
            f"rotation_overlap needs a username of at most {spec.max_username - 6} bytes"
        )


async def read_static_role(rot: Rotations, _req: Request, params: Mapping[str, str]) -> Response:
    found = await rot.db.store.static_role(params["name"])
    if found is None:
        raise NotFound
    role = found.record
    data: dict[str, Any] = {
        "db_name": role.db_name,
        "username": role.username,
        "rotation_statements": list(role.rotation_statements),
        "credential_type": role.credential_type,
    }
    if role.account.last_vault_rotation:
        data["last_vault_rotation"] = rfc3339(role.account.last_vault_rotation)
    data.update(timing(role))
    if role.rotation_overlap:
        data["rotation_overlap"] = role.rotation_overlap
    return Response(data)


def timing(role: StaticRole) -> dict[str, Any]:
    """Vault shows only one of the mutually exclusive timing fields."""
    if role.rotation_schedule:
        shown: dict[str, Any] = {"rotation_schedule": role.rotation_schedule}
        if role.rotation_window:
            shown["rotation_window"] = role.rotation_window
        return shown
    return {"rotation_period": role.rotation_period}


async def delete_static_role(rot: Rotations, _req: Request, params: Mapping[str, str]) -> Response:
    """Forget the role (its user stays, as in Vault); a clone made for the overlap is dropped,
    since nothing would manage its password any more."""
    name = params["name"]
    found = await rot.db.store.static_role(name)
    if found is None:
        return NO_CONTENT
    await rot.db.store.write(STATIC_ROLE + name, None, found.version)
    if not overlap.has_clone(found.record):
        return NO_CONTENT
    clone = overlap.clone_name(found.record.username)
    try:
        _config, plugin = await rot.db.plugin(found.record.db_name)
        await plugin.revoke_user([], clone)
    except StrongroomError as exc:
        return Response(warnings=[f"the clone user could not be dropped: {exc.public}"])
    return NO_CONTENT


async def list_static_roles(rot: Rotations, req: Request, _p: Mapping[str, str]) -> Response:
    names = await rot.db.store.static_names(*listing(req.data))
    if not names:
        raise NotFound
    return Response({"keys": names})
