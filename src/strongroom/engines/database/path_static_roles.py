"""database/static-roles/:name and static-roles/ (LIST): one database user whose password
Strongroom rotates (Vault's `path_roles.go`, static half).

Vault's rules: exactly one of `rotation_period` (at least 5 s) and `rotation_schedule` (five
cron fields, UTC), `rotation_window` (at least an hour) only with a schedule, a username that
never changes. Creating a role rotates its password at once (`rotation.py`). Strongroom adds
`rotation_overlap` (seconds; see overlap.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.clock import rfc3339
from strongroom.engines.database import overlap
from strongroom.engines.database.connections import plugin_spec
from strongroom.engines.database.context import (
    DatabaseContext,
    Listing,
    Named,
    kept,
    keys,
    statements,
)
from strongroom.engines.database.models import STATIC_DECODER, StaticRole
from strongroom.engines.database.path_roles import CREDENTIAL_TYPE, credential_type
from strongroom.engines.database.rotation import next_rotation
from strongroom.engines.database.schedule import ScheduleError, parse_schedule
from strongroom.engines.database.store import STATIC_ROLE
from strongroom.errors import BadRequest, NotFound, StrongroomError
from strongroom.logical import (
    NO_CONTENT,
    UNSET,
    Duration,
    Request,
    Response,
    StringSlice,
    UnsetType,
)

SYNOPSIS = "Manage the static roles that can be created with this backend."
DESCRIPTION = (
    "This path lets you manage the static roles: database users whose passwords are rotated "
    "on a period or a schedule."
)
MIN_PERIOD = 5  # Vault's queue tick: a shorter period could never be honoured
MIN_WINDOW = 3600
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class StaticRoleWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: Annotated[str, Meta(description="Name of the role.")]
    db_name: Annotated[
        str | UnsetType, Meta(description="Name of the database this role acts on.")
    ] = UNSET
    username: Annotated[
        str,
        Meta(
            description="Name of the static user account for Vault to manage. Requires "
            '"rotation_period" or "rotation_schedule" to be specified'
        ),
    ] = ""
    rotation_period: Annotated[
        Duration | UnsetType,
        Meta(
            description="Period for automatic credential rotation of the given username. "
            'Not valid unless used with "username". Mutually exclusive with '
            '"rotation_schedule."'
        ),
    ] = UNSET
    rotation_schedule: Annotated[
        str,
        Meta(
            description="Schedule for automatic credential rotation of the given username. "
            'Mutually exclusive with "rotation_period."'
        ),
    ] = ""
    rotation_window: Annotated[
        Duration | UnsetType,
        Meta(
            description="The window of time in which rotations are allowed to occur starting "
            'from a given "rotation_schedule". Requires "rotation_schedule" to be '
            "specified"
        ),
    ] = UNSET
    rotation_statements: Annotated[
        StringSlice | UnsetType,
        Meta(
            description="Specifies the database statements to be executed to rotate the "
            "accounts credentials. Not every plugin type will support this functionality. "
            "See the plugin's API page for more information on support and formatting for "
            "this parameter."
        ),
    ] = UNSET
    rotation_overlap: Annotated[
        Duration | UnsetType,
        Meta(
            description="Strongroom: seconds the previous password stays valid after a "
            "rotation (the role alternates between its user and a clone)."
        ),
    ] = UNSET
    credential_type: Annotated[str | UnsetType, CREDENTIAL_TYPE] = UNSET


def db_username(value: str) -> str:
    """A database user name given by the caller: non-empty, no control characters."""
    if not value:
        raise BadRequest("username is a required field to create a static account")
    if _CONTROL.search(value):
        raise BadRequest("username must not contain control characters")
    return value


async def write(ctx: DatabaseContext, _req: Request, fields: StaticRoleWrite) -> Response:
    name, db = fields.name, ctx.db
    if await db.store.role(name) is not None:
        raise BadRequest("Role and Static Role names must be unique")
    found = await db.store.static_role(name)
    patch = _patch(fields, creating=found is None)
    if found is None:
        role = patch(StaticRole(db_name="", username=""))
        await _check(ctx, role)
        await ctx.rotations.create(name, role)
        return NO_CONTENT

    await _check(ctx, patch(found.record))  # before anything is stored

    async def mutate(current: StaticRole | None) -> StaticRole | None:
        if current is None:
            raise BadRequest("the static role was deleted concurrently; retry")
        return patch(current)

    await db.store.update(STATIC_ROLE + name, STATIC_DECODER, mutate)
    return NO_CONTENT


def _patch(fields: StaticRoleWrite, *, creating: bool) -> Callable[[StaticRole], StaticRole]:
    """Validate the request once; the returned function applies it to a stored role."""
    timing_changes = _timing(fields, creating=creating)
    username = fields.username
    if creating:
        db_username(username)

    def apply(role: StaticRole) -> StaticRole:
        if username and role.username and username != role.username:
            raise BadRequest("cannot update static account username")
        changes: dict[str, Any] = {
            "db_name": kept(fields.db_name, role.db_name),
            "username": role.username or username,
            "credential_type": credential_type(fields.credential_type, role.credential_type),
            **timing_changes,
        }
        if not isinstance(fields.rotation_statements, UnsetType):
            changes["rotation_statements"] = statements(fields.rotation_statements)
        elif creating:
            changes["rotation_statements"] = []
        if not isinstance(fields.rotation_overlap, UnsetType):
            changes["rotation_overlap"] = fields.rotation_overlap
        updated = msgspec.structs.replace(role, **changes)
        if not updated.db_name:
            raise BadRequest("database name is a required field")
        return _rescheduled(updated) if timing_changes else updated

    return apply


def _timing(fields: StaticRoleWrite, *, creating: bool) -> dict[str, Any]:
    """The timing fields this request sets (Vault's checks and messages), or {}."""
    period, schedule, window = (
        fields.rotation_period,
        fields.rotation_schedule,
        fields.rotation_window,
    )
    if not isinstance(period, UnsetType) and schedule:
        raise BadRequest(
            "mutually exclusive fields rotation_period and rotation_schedule were both "
            "specified; only one of them can be provided"
        )
    if not isinstance(period, UnsetType):
        if period < MIN_PERIOD:
            raise BadRequest(f"rotation_period must be {MIN_PERIOD} seconds or more")
        if not isinstance(window, UnsetType):
            raise BadRequest("rotation_window is invalid with use of rotation_period")
        return {"rotation_period": period, "rotation_schedule": "", "rotation_window": 0}
    if schedule:
        try:
            parse_schedule(schedule)
        except ScheduleError as exc:
            raise BadRequest(f"could not parse rotation_schedule: {exc}") from None
        changes: dict[str, Any] = {"rotation_schedule": schedule, "rotation_period": 0}
        if not isinstance(window, UnsetType):  # else the stored window stays, as in Vault
            if window < MIN_WINDOW:
                raise BadRequest(
                    f"rotation_window is invalid: must be {MIN_WINDOW} seconds or more"
                )
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


async def _check(ctx: DatabaseContext, role: StaticRole) -> None:
    """What needs the connection: the plugin must support clones for an overlap."""
    if role.rotation_overlap < 0:
        raise BadRequest("rotation_overlap must not be negative")
    if role.rotation_overlap == 0:
        return
    if role.rotation_period and role.rotation_overlap >= role.rotation_period:
        raise BadRequest("rotation_overlap must be shorter than rotation_period")
    config = (await ctx.db.config(role.db_name)).record
    spec = plugin_spec(config.plugin_name)
    if not spec.clones:
        raise BadRequest(f"rotation_overlap is not supported by {config.plugin_name}")
    if len(overlap.clone_name(role.username).encode()) > spec.max_username:
        raise BadRequest(
            f"rotation_overlap needs a username of at most {spec.max_username - 6} bytes"
        )


async def read(ctx: DatabaseContext, _req: Request, fields: Named) -> Response:
    found = await ctx.db.store.static_role(fields.name)
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


async def delete(ctx: DatabaseContext, _req: Request, fields: Named) -> Response:
    """Forget the role (its user stays, as in Vault); a clone made for the overlap is dropped,
    since nothing would manage its password any more."""
    name, db = fields.name, ctx.db
    found = await db.store.static_role(name)
    if found is None:
        return NO_CONTENT
    await db.store.write(STATIC_ROLE + name, None, found.version)
    if not overlap.has_clone(found.record):
        return NO_CONTENT
    clone = overlap.clone_name(found.record.username)
    try:
        _config, plugin = await db.plugin(found.record.db_name)
        await plugin.revoke_user([], clone)
    except StrongroomError as exc:
        return Response(warnings=[f"the clone user could not be dropped: {exc.public}"])
    return NO_CONTENT


async def list_names(ctx: DatabaseContext, _req: Request, fields: Listing) -> Response:
    return keys(await ctx.db.store.static_names(*fields.window()))


async def exists(ctx: DatabaseContext, captures: Mapping[str, str]) -> bool:
    return await ctx.db.store.static_role(captures["name"]) is not None
