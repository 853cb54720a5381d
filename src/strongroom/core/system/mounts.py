"""sys/mounts, sys/auth, sys/remount and sys/internal/ui/mounts: managing the mount tables."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import msgspec

from strongroom.core.fields import get_bool, get_duration, get_str, get_str_list, get_str_map
from strongroom.core.mount_manager import full_path, normalise
from strongroom.core.mounts import MountConfig, MountEntry, TableKind
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.errors import BadRequest, NotFound, PermissionDenied, Sealed

if TYPE_CHECKING:
    from strongroom.core.core import Core


def _kind(params: Mapping[str, str]) -> TableKind:
    return "auth" if params["table"] == "auth" else "mounts"


def _listing(core: Core, kind: TableKind) -> dict[str, Any]:
    return {entry.path: entry.describe() for entry in core.mounts.entries(kind)}


async def list_mounts(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    # Vault repeats the table at the top level of the body for old clients; hvac reads both.
    return Response(_listing(core, _kind(params)), top_level=True)


def _entry(core: Core, kind: TableKind, path: str) -> MountEntry:
    entry = core.mounts.find(kind, path)
    if entry is None:
        noun = "auth" if kind == "auth" else "secret engine"
        raise BadRequest(f"No {noun} mount at {normalise(path)}")
    return entry


async def read_mount(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    return Response(_entry(core, _kind(params), params["path"]).describe(), top_level=True)


def _config(data: Mapping[str, Any]) -> MountConfig:
    raw = data.get("config") or {}
    if not isinstance(raw, dict):
        raise BadRequest('error converting input for field "config": expected map')
    return MountConfig(
        default_lease_ttl=get_duration(raw, "default_lease_ttl"),
        max_lease_ttl=get_duration(raw, "max_lease_ttl"),
        force_no_cache=get_bool(raw, "force_no_cache"),
        listing_visibility=get_str(raw, "listing_visibility"),
        audit_non_hmac_request_keys=tuple(get_str_list(raw, "audit_non_hmac_request_keys")),
        audit_non_hmac_response_keys=tuple(get_str_list(raw, "audit_non_hmac_response_keys")),
        passthrough_request_headers=tuple(get_str_list(raw, "passthrough_request_headers")),
        allowed_response_headers=tuple(get_str_list(raw, "allowed_response_headers")),
    )


_KV_ALIASES = {"kv-v1": "1", "kv-v2": "2"}


async def enable_mount(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    type_ = get_str(req.data, "type")
    if not type_:
        raise BadRequest("backend type must be specified as a string")
    path = normalise(params["path"])
    options = get_str_map(req.data, "options")  # Vault keeps {} for "no options", not null
    if type_ in _KV_ALIASES:  # Vault's aliases: a KV mount at that version (sys/mounts)
        type_, options = "kv", {**options, "version": _KV_ALIASES[type_]}
    await core.mount(
        _kind(params),
        path,
        type_,
        description=get_str(req.data, "description"),
        config=_config(req.data),
        options=options,
        local=get_bool(req.data, "local"),
        seal_wrap=get_bool(req.data, "seal_wrap"),
    )
    return NO_CONTENT


async def disable_mount(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    await core.unmount(_kind(params), normalise(params["path"]))
    return NO_CONTENT


async def read_tune(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    entry = _entry(core, _kind(params), params["path"])
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


def _tuned(entry: MountEntry, data: Mapping[str, Any]) -> MountEntry:
    cfg = entry.config
    changes: dict[str, Any] = {}
    for name in ("default_lease_ttl", "max_lease_ttl"):
        if name in data:
            changes[name] = 0 if data[name] == "system" else get_duration(data, name)
    for name in (
        "audit_non_hmac_request_keys",
        "audit_non_hmac_response_keys",
        "passthrough_request_headers",
        "allowed_response_headers",
    ):
        if name in data:
            changes[name] = tuple(get_str_list(data, name))
    if "listing_visibility" in data:
        changes["listing_visibility"] = get_str(data, "listing_visibility")
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
    if "description" in data:
        updates["description"] = get_str(data, "description")
    if "options" in data:
        options = {**(entry.options or {}), **get_str_map(data, "options")}
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


async def write_tune(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    kind = _kind(params)
    before = _entry(core, kind, params["path"])
    path = before.path

    def mutate(table: tuple[MountEntry, ...]) -> tuple[MountEntry, ...]:
        return tuple(_tuned(e, req.data) if e.path == path else e for e in table)

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


async def remount(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    source, target = get_str(req.data, "from"), get_str(req.data, "to")
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


async def remount_status(core: Core, _req: Request, params: Mapping[str, str]) -> Response:
    found = core.node.migrations.get(_migration_key(core, params["id"]))
    if found is None:
        raise NotFound
    source, target = found
    info = {"source_mount": source, "target_mount": target, "status": "success"}
    return Response({"migration_id": params["id"], "migration_info": info})


async def ui_mounts(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    """The mounts the caller has some access to (Vault's pathInternalUIMountsRead)."""
    if req.caller is None:
        return await ui_mounts_unauthenticated(core, req, _p)
    acl, prefix = await core.caller_acl(req.caller)

    def visible(kind: TableKind) -> dict[str, Any]:
        return {
            e.path: e.describe()
            for e in core.mounts.entries(kind)
            if e.config.listing_visibility == "unauth"
            or acl.grants_below(prefix + full_path(e, kind))
        }

    return Response({"secret": visible("mounts"), "auth": visible("auth")})


async def ui_mounts_unauthenticated(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    """Without a token, only mounts tuned to `listing_visibility = "unauth"` are shown."""
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


async def ui_mount(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    """The secrets mount serving `path` (Vault's pathInternalUIMountRead, the CLI's kv
    preflight), for any token with some capability at or below that mount. `path` may start
    with a child namespace (`bao kv get team-a/kv/x`); the answer's `path` then does too.

    Raises PermissionDenied with Vault's preflight message, alike for a path that no mount
    serves and one the caller may not touch, so it cannot be used to list mounts."""
    path = params["path"].strip("/") + "/"
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
