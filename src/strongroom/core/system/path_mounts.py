"""sys/mounts, sys/auth, sys/remount and sys/internal/ui/mounts: managing the mount tables."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Annotated, Any

import msgspec

from strongroom.core.fields import FieldType, convert
from strongroom.core.mount_manager import full_path, normalise
from strongroom.core.mounts import MountConfig, MountEntry, TableKind
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.errors import BadRequest, NotFound, PermissionDenied, Sealed
from strongroom.logical.fields import UNSET, Duration, NoFields, Schema, UnsetType

if TYPE_CHECKING:
    from strongroom.core.core import Core

LIST_SYNOPSIS = "List the currently mounted backends."
MOUNT_SYNOPSIS = "Mount a new backend at a new path, read or remove it."
TUNE_SYNOPSIS = "Tune backend configuration parameters for this mount."
REMOUNT_SYNOPSIS = "Move the mount point of an already-mounted backend, within or across namespaces"
REMOUNT_STATUS_SYNOPSIS = "Check the status of a mount move operation"
UI_MOUNTS_SYNOPSIS = "Information about mounts returned according to their tuned visibility."
UI_MOUNT_SYNOPSIS = "Information about the secrets mount serving a path, for the CLI's preflight."

_Table = Annotated[str, msgspec.Meta(description='"mounts" or "auth": which table.')]
_MountPath = Annotated[str, msgspec.Meta(description='The path to mount to. Example: "aws/east"')]
_Strings = Annotated[list[str], msgspec.Meta(description="A list of keys or header names.")]
_MaybeStrings = Annotated[
    list[str] | UnsetType, msgspec.Meta(description="A list of keys or header names.")
]
_Options = Annotated[
    dict[str, str], msgspec.Meta(description="The options to pass into the backend.")
]
_Description = Annotated[str, msgspec.Meta(description="User-friendly description for this mount.")]


class Table(msgspec.Struct, frozen=True, kw_only=True):
    table: _Table


class MountPath(msgspec.Struct, frozen=True, kw_only=True):
    table: _Table
    path: _MountPath


class MountEnable(msgspec.Struct, frozen=True, kw_only=True):
    table: _Table
    path: _MountPath
    type: Annotated[str, msgspec.Meta(description='The type of the backend. Example: "kv"')] = ""
    description: _Description = ""
    config: Annotated[
        dict[str, Any],
        msgspec.Meta(
            description="Configuration for this mount, such as default_lease_ttl and max_lease_ttl."
        ),
    ] = msgspec.field(default_factory=dict)
    options: _Options = msgspec.field(default_factory=dict)  # {} for "no options", not null
    local: Annotated[
        bool, msgspec.Meta(description="Mark the mount as a local mount (not replicated).")
    ] = False
    seal_wrap: Annotated[
        bool, msgspec.Meta(description="Whether to turn on seal wrapping for the mount.")
    ] = False


class MountConfigFields(msgspec.Struct, frozen=True, kw_only=True):
    """The keys of sys/mounts' `config` map (Vault's MountConfigInput), weakly typed too."""

    default_lease_ttl: Annotated[Duration, msgspec.Meta(description="The default lease TTL.")] = 0
    max_lease_ttl: Annotated[Duration, msgspec.Meta(description="The maximum lease TTL.")] = 0
    force_no_cache: Annotated[bool, msgspec.Meta(description="Disable caching.")] = False
    listing_visibility: Annotated[
        str, msgspec.Meta(description='"unauth" to list it in the UI.')
    ] = ""
    audit_non_hmac_request_keys: _Strings = msgspec.field(default_factory=list)
    audit_non_hmac_response_keys: _Strings = msgspec.field(default_factory=list)
    passthrough_request_headers: _Strings = msgspec.field(default_factory=list)
    allowed_response_headers: _Strings = msgspec.field(default_factory=list)


_CONFIG = Schema(MountConfigFields)
_Ttl = Annotated[
    str | UnsetType, msgspec.Meta(description='A duration, or "system" for the system default.')
]


class MountTune(msgspec.Struct, frozen=True, kw_only=True):
    """Only the fields sent change (Vault's tune). The TTLs are strings, as in Vault, for
    the word "system"."""

    table: _Table
    path: _MountPath
    default_lease_ttl: _Ttl = UNSET
    max_lease_ttl: _Ttl = UNSET
    description: Annotated[
        str | UnsetType, msgspec.Meta(description="User-friendly description for this mount.")
    ] = UNSET
    options: Annotated[
        dict[str, str] | UnsetType,
        msgspec.Meta(description="The options to pass into the backend."),
    ] = UNSET
    listing_visibility: Annotated[
        str | UnsetType, msgspec.Meta(description='"unauth" to list it in the UI.')
    ] = UNSET
    audit_non_hmac_request_keys: _MaybeStrings = UNSET
    audit_non_hmac_response_keys: _MaybeStrings = UNSET
    passthrough_request_headers: _MaybeStrings = UNSET
    allowed_response_headers: _MaybeStrings = UNSET


class Remount(msgspec.Struct, frozen=True, kw_only=True, rename={"source": "from", "target": "to"}):
    source: Annotated[str, msgspec.Meta(description="The previous mount point.")] = ""
    target: Annotated[str, msgspec.Meta(description="The new mount point.")] = ""


class MigrationId(msgspec.Struct, frozen=True, kw_only=True):
    migration_id: Annotated[str, msgspec.Meta(description="The ID of the migration operation")]


class UiMountPath(msgspec.Struct, frozen=True, kw_only=True):
    path: Annotated[str, msgspec.Meta(description="The path of the mount.")]


def _kind(table: str) -> TableKind:
    return "auth" if table == "auth" else "mounts"


def _listing(core: Core, kind: TableKind) -> dict[str, Any]:
    return {entry.path: entry.describe() for entry in core.mounts.entries(kind)}


async def list_mounts(core: Core, _req: Request, fields: Table) -> Response:
    # Vault repeats the table at the top level of the body for old clients; hvac reads both.
    return Response(_listing(core, _kind(fields.table)), top_level=True)


def _entry(core: Core, kind: TableKind, path: str) -> MountEntry:
    entry = core.mounts.find(kind, path)
    if entry is None:
        noun = "auth" if kind == "auth" else "secret engine"
        raise BadRequest(f"No {noun} mount at {normalise(path)}")
    return entry


async def read_mount(core: Core, _req: Request, fields: MountPath) -> Response:
    return Response(_entry(core, _kind(fields.table), fields.path).describe(), top_level=True)


def _config(raw: dict[str, Any]) -> MountConfig:
    config: MountConfigFields = _CONFIG.decode(raw, {})
    return MountConfig(
        default_lease_ttl=config.default_lease_ttl,
        max_lease_ttl=config.max_lease_ttl,
        force_no_cache=config.force_no_cache,
        listing_visibility=config.listing_visibility,
        audit_non_hmac_request_keys=tuple(config.audit_non_hmac_request_keys),
        audit_non_hmac_response_keys=tuple(config.audit_non_hmac_response_keys),
        passthrough_request_headers=tuple(config.passthrough_request_headers),
        allowed_response_headers=tuple(config.allowed_response_headers),
    )


_KV_ALIASES = {"kv-v1": "1", "kv-v2": "2"}


async def enable_mount(core: Core, _req: Request, fields: MountEnable) -> Response:
    type_ = fields.type
    if not type_:
        raise BadRequest("backend type must be specified as a string")
    path = normalise(fields.path)
    options = fields.options
    if type_ in _KV_ALIASES:  # Vault's aliases: a KV mount at that version (sys/mounts)
        type_, options = "kv", {**options, "version": _KV_ALIASES[type_]}
    await core.mount(
        _kind(fields.table),
        path,
        type_,
        description=fields.description,
        config=_config(fields.config),
        options=options,
        local=fields.local,
        seal_wrap=fields.seal_wrap,
    )
    return NO_CONTENT


async def disable_mount(core: Core, _req: Request, fields: MountPath) -> Response:
    await core.unmount(_kind(fields.table), normalise(fields.path))
    return NO_CONTENT


async def read_tune(core: Core, _req: Request, fields: MountPath) -> Response:
    entry = _entry(core, _kind(fields.table), fields.path)
    cfg = entry.config
    body: dict[str, Any] = {
        "default_lease_ttl": cfg.default_lease_ttl or core.defaults.default_lease_ttl,
        "max_lease_ttl": cfg.max_lease_ttl or core.defaults.max_lease_ttl,
        "force_no_cache": cfg.force_no_cache,
        "description": entry.description,
    }
    if entry.options:  # Vault leaves out empty options here (sys/mounts shows them as {})
        body["options"] = entry.options
    for name in (
        "listing_visibility",
        "audit_non_hmac_request_keys",
        "audit_non_hmac_response_keys",
        "passthrough_request_headers",
        "allowed_response_headers",
    ):
        if getattr(cfg, name):
            value = getattr(cfg, name)
            body[name] = value if isinstance(value, str) else list(value)
    return Response(body, top_level=True)


def _ttl(name: str, text: str) -> int:
    """Vault's tune TTLs are strings: "system" (the system's), or a duration."""
    return 0 if text == "system" else int(convert({name: text}, name, FieldType.DURATION, 0))


def _tuned(entry: MountEntry, fields: MountTune) -> MountEntry:
    cfg = entry.config
    changes: dict[str, Any] = {}
    for name in ("default_lease_ttl", "max_lease_ttl"):
        text = getattr(fields, name)
        if text is not UNSET:
            changes[name] = _ttl(name, text)
    for name in (
        "audit_non_hmac_request_keys",
        "audit_non_hmac_response_keys",
        "passthrough_request_headers",
        "allowed_response_headers",
    ):
        if getattr(fields, name) is not UNSET:
            changes[name] = tuple(getattr(fields, name))
    if fields.listing_visibility is not UNSET:
        changes["listing_visibility"] = fields.listing_visibility
    new_cfg = msgspec.structs.replace(cfg, **changes)
    # As Vault's tuneMountTTLs: a zero TTL means "the system's", and only two explicit values
    # can conflict with each other.
    default, maximum = new_cfg.default_lease_ttl, new_cfg.max_lease_ttl
    if default and maximum and maximum < default:
        raise BadRequest(
            f"backend max lease TTL of {maximum} would be less than backend default "
            f"lease TTL of {default}"
        )
    updates: dict[str, Any] = {"config": new_cfg}
    if fields.description is not UNSET:
        updates["description"] = fields.description
    if fields.options is not UNSET:
        options = {**(entry.options or {}), **fields.options}
        if entry.type == "kv":
            _check_kv_version(
                (entry.options or {}).get("version", "1"), options.get("version", "1")
            )
        updates["options"] = options
    return msgspec.structs.replace(entry, **updates)


def _check_kv_version(old: str, new: str) -> None:
    """Vault's tune rules for KV: 1 → 2 upgrades in place; nothing goes back down."""
    if new not in ("1", "2"):
        raise BadRequest("invalid version provided")
    if old == "2" and new == "1":
        raise BadRequest("cannot downgrade mount from version 2")


async def write_tune(core: Core, _req: Request, fields: MountTune) -> Response:
    kind = _kind(fields.table)
    before = _entry(core, kind, fields.path)
    path = before.path

    def mutate(table: tuple[MountEntry, ...]) -> tuple[MountEntry, ...]:
        return tuple(_tuned(e, fields) if e.path == path else e for e in table)

    await core.mounts.change(kind, mutate)
    old, new = (_kv_version(e) for e in (before, _entry(core, kind, path)))
    if before.type != "kv" or old == new:
        return NO_CONTENT
    # Vault answers a KV version change with a 200 and this warning (the v1 keys move over).
    warning = (
        f"Upgrading mount from version {old} to version {new}. This mount will be "
        "unavailable for a brief period and will resume service shortly."
    )
    return Response(warnings=[warning])


def _kv_version(entry: MountEntry) -> str:
    return (entry.options or {}).get("version") or "1"


async def remount(core: Core, _req: Request, fields: Remount) -> Response:
    source, target = fields.source, fields.target
    if not source or not target:
        raise BadRequest("both 'from' and 'to' path must be specified as a string")
    await core.remount(source, target)
    migration_id = str(uuid.uuid4())
    core.node.migrations[_migration_key(core, migration_id)] = (
        normalise(source),
        normalise(target),
    )
    warning = "Mount move has been queued. Progress will be reported in Vault's operational logs"
    return Response({"migration_id": migration_id}, warnings=[warning], top_level=True)


def _migration_key(core: Core, migration_id: str) -> str:
    """Migrations are kept per namespace: another namespace's id answers as an unknown one."""
    return f"{core.namespace.id}:{migration_id}"


async def remount_status(core: Core, _req: Request, fields: MigrationId) -> Response:
    found = core.node.migrations.get(_migration_key(core, fields.migration_id))
    if found is None:
        raise NotFound
    source, target = found
    info = {"source_mount": source, "target_mount": target, "status": "success"}
    return Response({"migration_id": fields.migration_id, "migration_info": info})


async def ui_mounts(core: Core, req: Request, _f: NoFields) -> Response:
    """The mounts the caller has some access to (Vault's pathInternalUIMountsRead); without
    a token, only mounts tuned to `listing_visibility = "unauth"`."""
    if req.caller is None:
        return _ui_mounts_unauthenticated(core)
    acl, prefix = await core.caller_acl(req.caller)

    def visible(kind: TableKind) -> dict[str, Any]:
        return {
            e.path: e.describe()
            for e in core.mounts.entries(kind)
            if e.config.listing_visibility == "unauth"
            or acl.grants_below(prefix + full_path(e, kind))
        }

    return Response({"secret": visible("mounts"), "auth": visible("auth")})


def _ui_mounts_unauthenticated(core: Core) -> Response:
    if core.sealed:
        raise Sealed

    def visible(kind: TableKind) -> dict[str, Any]:
        # Vault shows an unauthenticated caller only these three fields of each mount.
        return {
            e.path: {"type": e.type, "description": e.description, "options": e.options}
            for e in core.mounts.entries(kind)
            if e.config.listing_visibility == "unauth"
        }

    return Response({"secret": visible("mounts"), "auth": visible("auth")})


async def ui_mount(core: Core, req: Request, fields: UiMountPath) -> Response:
    """The secrets mount serving `path` (Vault's pathInternalUIMountRead, the CLI's kv
    preflight), for any token with some capability at or below that mount. `path` may start
    with a child namespace (`bao kv get team-a/kv/x`); the answer's `path` then does too.

    Raises PermissionDenied with Vault's preflight message, alike for a path that no mount
    serves and one the caller may not touch, so it cannot be used to list mounts."""
    path = fields.path.strip("/") + "/"
    denied = PermissionDenied(
        "preflight capability check returned 403, please ensure client's policies grant "
        f'access to path "{path}"'
    )
    namespace = core.namespaces.longest_prefix(core.namespace.path + path)
    holder = await core.scope(namespace) if namespace.path != core.namespace.path else core
    below = namespace.path[len(core.namespace.path) :]
    routed = holder.mounts.route(path[len(below) :])
    if routed is None or routed[0].kind != "mounts" or req.caller is None:
        raise denied
    entry = routed[0].entry
    acl, prefix = await core.caller_acl(req.caller)
    if not acl.grants_below(prefix + below + entry.path):
        raise denied
    return Response({**entry.describe(), "path": below + entry.path})
