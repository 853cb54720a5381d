"""A canonical-shaped document to a validated `Blueprint` (every rule of the format is here).

Checks, each failing with a BlueprintError naming the field: unknown keys and wrong types;
mount types (MOUNT_TYPES), paths (segments of letters, digits, `_`, `-`, `.`, none of them `.`
or `..`; Vault's reserved roots refused) and overlapping mounts; transit key types
(TRANSIT_KEY_TYPES) and `auto_rotate_period` (0 or at least an hour, as transit requires);
duplicate names; references (a key's transit mount, a role's AppRole mount, the service's
policy template and role); placeholders (only `{{tenant}}` and `{{service}}`, and
`{{service}}` only where a service fills it); every policy parsed by `parse_policy` once its
placeholders are filled with sample names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from strongroom.blueprints._errors import BlueprintError
from strongroom.blueprints._fields import Fields, label, member
from strongroom.blueprints._model import (
    MOUNT_TYPES,
    SERVICE,
    SERVICE_POLICY_NAME,
    SERVICE_ROLE,
    TRANSIT_KEY_TYPES,
    AppRoleRole,
    Blueprint,
    Mount,
    MountConfig,
    ServiceTemplate,
    TokenTtls,
    TransitKey,
)
from strongroom.blueprints._placeholders import canonical, fill, names_in
from strongroom.errors import BadRequest
from strongroom.policy import parse_policy

__all__ = ["load_blueprint"]

_TOP = frozenset(
    {"description", "mounts", "transit_keys", "policies", "approle_roles", "service", "token"}
)
_MOUNT = frozenset({"path", "type", "description", "options", "config"})
_CONFIG = frozenset({"default_lease_ttl", "max_lease_ttl"})
_KEY = frozenset({"name", "mount", "type", "auto_rotate_period", "exportable", "deletion_allowed"})
_ROLE = frozenset(
    {
        "name",
        "mount",
        "token_ttl",
        "token_max_ttl",
        "token_policies",
        "secret_id_ttl",
        "secret_id_num_uses",
    }
)
_SERVICE = frozenset({"policy", "policy_name", "role"})
_TOKEN = frozenset({"default_ttl", "max_ttl"})

_MOUNT_PATH = re.compile(r"(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*/)+")
_KEY_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*")
_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]*")  # policy and role names (Vault lower-cases both)
_RESERVED = {"mounts": ("sys/", "auth/", "cubbyhole/", "identity/"), "auth": ("token/",)}
_BUILTIN_POLICIES = frozenset({"root", "default", "response-wrapping"})
_HOUR = 3600
# Sample names: a template is checked as it would be once filled in.
_TENANT, _SERVICE_NAME = "t0", "s0"


def load_blueprint(document: object) -> Blueprint:
    """The blueprint in `document` (its canonical JSON form, or `read_document`'s output).

    Raises BlueprintError naming the first invalid field."""
    top = Fields(document, "", _TOP)
    mounts = tuple(_mounts(top))
    policies = _policies(top)
    roles = tuple(_roles(top, mounts))
    service = _service(top, policies, roles)
    blueprint = Blueprint(
        description=_plain(top.string("description", ""), "description"),
        mounts=mounts,
        transit_keys=tuple(_keys(top, mounts)),
        policies=policies,
        approle_roles=roles,
        service=service,
        token=_token(top),
    )
    _check_service_use(blueprint)
    return blueprint


# -- placeholders and names ----------------------------------------------------------------------


def _plain(text: str, where: str) -> str:
    """`text`, which may use `{{tenant}}` but not `{{service}}`."""
    if "service" in names_in(text, where):
        raise BlueprintError.at(where, "{{service}} is only allowed in the service templates")
    return text


def _named(text: str, where: str, pattern: re.Pattern[str], what: str) -> str:
    """`text` (placeholders spelled canonically) if, filled in with sample names, it matches
    `pattern`."""
    names_in(text, where)
    if not pattern.fullmatch(fill(text, _TENANT, _SERVICE_NAME)):
        raise BlueprintError.at(where, f"not a valid {what}")
    return canonical(text)


def _mount_ref(text: str, where: str) -> str:
    return canonical(_plain(text, where)).strip("/") + "/"


# -- mounts --------------------------------------------------------------------------------------


def _mounts(top: Fields) -> Iterable[Mount]:
    seen: dict[str, list[str]] = {"mounts": [], "auth": []}
    for index, raw in enumerate(top.items("mounts")):
        fields = Fields(raw, f"mounts[{index}]", _MOUNT)
        path = _mount_ref(fields.string("path"), fields.at("path"))
        _named(path, fields.at("path"), _MOUNT_PATH, "mount path")
        fields.where = label("mounts", path)
        mount_type = fields.string("type")
        if mount_type not in MOUNT_TYPES:
            raise fields.error("type", "must be one of " + ", ".join(sorted(MOUNT_TYPES)))
        mount = Mount(
            path=path,
            type=mount_type,
            description=_plain(fields.string("description", ""), fields.at("description")),
            options=_options(fields, mount_type),
            config=_config(fields),
        )
        _check_place(mount, seen[mount.table])
        seen[mount.table].append(path)
        yield mount


def _check_place(mount: Mount, taken: list[str]) -> None:
    where = label("mounts", mount.path)
    if mount.path.startswith(_RESERVED[mount.table]):
        raise BlueprintError.at(where, "a reserved path")
    for other in taken:
        if other == mount.path:
            raise BlueprintError.at(where, "defined twice")
        if other.startswith(mount.path) or mount.path.startswith(other):
            raise BlueprintError.at(where, f"overlaps {label('mounts', other)}")


def _options(fields: Fields, mount_type: str) -> dict[str, str]:
    options = fields.string_map("options")
    for key, value in options.items():
        _plain(value, label(fields.at("options"), key))
    if mount_type == "kv":
        if set(options) - {"version"}:
            raise fields.error("options", 'a kv mount takes only the "version" option')
        if options.get("version", "1") not in ("1", "2"):
            raise fields.error("options.version", 'must be "1" or "2"')
    return options


def _config(fields: Fields) -> MountConfig:
    if not fields.has("config"):
        return MountConfig()
    config = Fields(fields.raw("config"), fields.at("config"), _CONFIG)
    default, maximum = config.duration("default_lease_ttl"), config.duration("max_lease_ttl")
    if default and maximum and default > maximum:
        raise config.error("default_lease_ttl", "must not exceed max_lease_ttl")
    return MountConfig(default_lease_ttl=default, max_lease_ttl=maximum)


def _mount_of(mounts: tuple[Mount, ...], path: str, mount_type: str, where: str) -> None:
    """Raises BlueprintError unless the blueprint mounts `mount_type` at `path`."""
    if not any(m.path == path and m.type == mount_type for m in mounts):
        raise BlueprintError.at(where, f"names no {mount_type} mount of this blueprint")


# -- transit keys --------------------------------------------------------------------------------


def _keys(top: Fields, mounts: tuple[Mount, ...]) -> Iterable[TransitKey]:
    seen: set[tuple[str, str]] = set()
    for index, raw in enumerate(top.items("transit_keys")):
        fields = Fields(raw, f"transit_keys[{index}]", _KEY)
        name = _named(fields.string("name"), fields.at("name"), _KEY_NAME, "key name")
        mount = _mount_ref(fields.string("mount", "transit"), fields.at("mount"))
        fields.where = label("transit_keys", mount + name)
        _mount_of(mounts, mount, "transit", fields.at("mount"))
        if (mount, name) in seen:
            raise BlueprintError.at(fields.where, "defined twice")
        seen.add((mount, name))
        key_type = fields.string("type", "aes256-gcm96")
        if key_type not in TRANSIT_KEY_TYPES:
            raise fields.error("type", "not a transit key type")
        period = fields.duration("auto_rotate_period")
        if 0 < period < _HOUR:
            raise fields.error("auto_rotate_period", "must be 0 (never) or at least 1h")
        yield TransitKey(
            name=name,
            mount=mount,
            type=key_type,
            auto_rotate_period=period,
            exportable=fields.boolean("exportable"),
            deletion_allowed=fields.boolean("deletion_allowed"),
        )


# -- policies ------------------------------------------------------------------------------------


def _policies(top: Fields) -> dict[str, str]:
    raw = top.raw("policies")
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise top.error("policies", "expected an object of policy name to policy text")
    policies: dict[str, str] = {}
    for name, text in raw.items():
        where = label("policies", str(name))
        name = _named(_plain(str(name), where), where, _NAME, "policy name")  # noqa: PLW2901
        if name in _BUILTIN_POLICIES:
            raise BlueprintError.at(where, "a built-in policy cannot be set")
        if name in policies:
            raise BlueprintError.at(where, "defined twice")
        if not isinstance(text, str) or not text.strip():
            raise BlueprintError.at(where, "expected the policy text")
        names_in(text, where, identity=True)
        try:
            parse_policy(name, fill(text, _TENANT, _SERVICE_NAME))
        except BadRequest as exc:
            raise BlueprintError.at(where, exc.public) from None
        policies[name] = text
    return policies


# -- AppRole roles -------------------------------------------------------------------------------


def _roles(top: Fields, mounts: tuple[Mount, ...]) -> Iterable[AppRoleRole]:
    seen: set[tuple[str, str]] = set()
    for index, raw in enumerate(top.items("approle_roles")):
        fields = Fields(raw, f"approle_roles[{index}]", _ROLE)
        name = _named(fields.string("name"), fields.at("name"), _NAME, "role name")
        mount = _mount_ref(fields.string("mount", "approle"), fields.at("mount"))
        fields.where = label("approle_roles", mount + name)
        _mount_of(mounts, mount, "approle", fields.at("mount"))
        if (mount, name) in seen:
            raise BlueprintError.at(fields.where, "defined twice")
        seen.add((mount, name))
        ttl, max_ttl = fields.duration("token_ttl"), fields.duration("token_max_ttl")
        if ttl and max_ttl and ttl > max_ttl:
            raise fields.error("token_ttl", "must not exceed token_max_ttl")
        policies = fields.strings("token_policies")
        for at, policy in enumerate(policies):
            _named(policy, f"{fields.at('token_policies')}[{at}]", _NAME, "policy name")
        yield AppRoleRole(
            name=name,
            mount=mount,
            token_ttl=ttl,
            token_max_ttl=max_ttl,
            token_policies=policies,
            secret_id_ttl=fields.duration("secret_id_ttl"),
            secret_id_num_uses=fields.count("secret_id_num_uses"),
        )


# -- the service section, token TTLs, where {{service}} may appear -------------------------------


def _service(
    top: Fields, policies: Mapping[str, str], roles: tuple[AppRoleRole, ...]
) -> ServiceTemplate | None:
    if not top.has("service"):
        return None
    fields = Fields(top.raw("service"), "service", _SERVICE)
    service = ServiceTemplate(
        policy=canonical(fields.string("policy")),
        policy_name=canonical(fields.string("policy_name", SERVICE_POLICY_NAME)),
        role=canonical(fields.string("role", SERVICE_ROLE)),
    )
    if service.policy not in policies:
        raise fields.error("policy", "names no policy of this blueprint")
    _named(service.policy_name, fields.at("policy_name"), _NAME, "policy name")
    if SERVICE not in service.policy_name:
        raise fields.error("policy_name", "must contain {{service}}")
    if SERVICE not in service.role:
        raise fields.error("role", "must contain {{service}}")
    if not any(role.name == service.role for role in roles):
        raise fields.error("role", "names no approle_roles entry of this blueprint")
    return service


def _token(top: Fields) -> TokenTtls | None:
    if not top.has("token"):
        return None
    fields = Fields(top.raw("token"), "token", _TOKEN)
    default, maximum = fields.duration("default_ttl"), fields.duration("max_ttl")
    if default and maximum and default > maximum:
        raise fields.error("default_ttl", "must not exceed max_ttl")
    return TokenTtls(default_ttl=default, max_ttl=maximum)


def _check_service_use(blueprint: Blueprint) -> None:
    """`{{service}}` only in per-service names, the service policy template and the token
    policies of per-service roles; per-service things only with a service section."""
    template = blueprint.service.policy if blueprint.service else None
    for name, text in blueprint.policies.items():
        if name != template and "service" in names_in(text, "", identity=True):
            raise BlueprintError.at(
                label("policies", name), "{{service}} is only allowed in the service template"
            )
    per_service = [
        *(
            label("transit_keys", k.mount + k.name)
            for k in blueprint.transit_keys
            if _is_per(k.name)
        ),
        *(
            label("approle_roles", r.mount + r.name)
            for r in blueprint.approle_roles
            if _is_per(r.name)
        ),
    ]
    if per_service and blueprint.service is None:
        raise BlueprintError.at(per_service[0], "uses {{service}} but there is no service section")
    for role in blueprint.approle_roles:
        where = member(label("approle_roles", role.mount + role.name), "token_policies")
        if not _is_per(role.name) and any(_is_per(p) for p in role.token_policies):
            raise BlueprintError.at(where, "{{service}} is only allowed in per-service roles")


def _is_per(text: str) -> bool:
    """True if `text` is a per-service name (holds `{{service}}`)."""
    return "service" in names_in(text, "")
