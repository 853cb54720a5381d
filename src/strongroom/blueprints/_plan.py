"""`plan`: the actions that bring a tenant's `State` to what a `Rendered` blueprint says, and
where the two differ (drift).

Every action is one Vault API write inside the tenant's namespace (`path`, request `data`),
in an order that works: mounts, token TTLs, transit keys, policies, roles. An action is either
for something `missing` or fixes `drift`. Drift that no write can fix is a conflict: a mount of
another type at the path, a transit key of another type, a key exported that the blueprint
says is not, a KV v2 mount the blueprint wants at version 1, a key or role whose mount is not
there. Things the blueprint does not name (other mounts, policies, roles) are left alone, so a
plan never deletes. An empty plan means nothing to change: apply it twice, the second changes
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from strongroom.blueprints._model import AppRoleRole, Mount, TokenTtls, TransitKey
from strongroom.blueprints._render import Rendered
from strongroom.blueprints._state import MountState, State
from strongroom.errors import BadRequest
from strongroom.policy import parse_policy

__all__ = ["Action", "ActionKind", "Drift", "Plan", "plan"]

ActionKind = Literal[
    "enable_mount",
    "tune_mount",
    "tune_token",
    "create_key",
    "configure_key",
    "write_policy",
    "write_role",
]
DriftKind = Literal["mount", "token", "transit_key", "policy", "approle_role"]


@dataclass(frozen=True, slots=True)
class Action:
    """One API write: `path` (relative to the namespace) with `data` as its body."""

    kind: ActionKind
    path: str
    data: Mapping[str, Any]
    reason: Literal["missing", "drift"] = "missing"

    def __post_init__(self) -> None:
        object.__setattr__(self, "data", MappingProxyType(dict(self.data)))

    def describe(self) -> dict[str, Any]:
        return {
            "action": self.kind,
            "path": self.path,
            "data": dict(self.data),
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Drift:
    """One field of an existing thing (named by its API path) that differs from the blueprint;
    `fixable` if the plan has an action that sets it back."""

    kind: DriftKind
    path: str
    field: str
    expected: Any
    actual: Any
    fixable: bool = True

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "field": self.field,
            "expected": self.expected,
            "actual": self.actual,
            "fixable": self.fixable,
        }


@dataclass(frozen=True, slots=True)
class Plan:
    actions: tuple[Action, ...] = ()
    drift: tuple[Drift, ...] = ()

    @property
    def conflicts(self) -> tuple[Drift, ...]:
        """The drift no action fixes."""
        return tuple(d for d in self.drift if not d.fixable)

    @property
    def converged(self) -> bool:
        """True when the tenant already is what the blueprint says."""
        return not self.actions and not self.drift

    def describe(self) -> dict[str, Any]:
        return {
            "converged": self.converged,
            "conflicts": len(self.conflicts),  # drift no write can fix: an operator's call
            "actions": [action.describe() for action in self.actions],
            "drift": [drift.describe() for drift in self.drift],
        }


def plan(rendered: Rendered, state: State) -> Plan:
    """The actions and drift that take `state` to `rendered` (see the module docstring)."""
    planner = _Planner(state)
    for mount in rendered.mounts:
        planner.mount(mount)
    if rendered.token is not None:
        planner.token(rendered.token)
    for key in rendered.transit_keys:
        planner.key(key)
    for name, text in rendered.policies.items():
        planner.policy(name, text)
    for role in rendered.approle_roles:
        planner.role(role)
    return Plan(tuple(planner.actions), tuple(planner.drift))


def _same_policy(current: str, wanted: str) -> bool:
    """Equal rules, however the text is laid out."""
    if current == wanted:
        return True
    try:
        return parse_policy("", current).rules == parse_policy("", wanted).rules
    except BadRequest:
        return False


class _Planner:
    def __init__(self, state: State) -> None:
        self._state = state
        self.actions: list[Action] = []
        self.drift: list[Drift] = []
        # (table, path) -> type, once the planned mounts are enabled; None: there, but in conflict
        self._types: dict[tuple[str, str], str | None] = {
            **{("mounts", p): m.type for p, m in state.mounts.items()},
            **{("auth", p): m.type for p, m in state.auth.items()},
        }

    def _differs(
        self,
        kind: DriftKind,
        path: str,
        name: str,
        expected: object,
        actual: object,
        *,
        fixable: bool = True,
    ) -> bool:
        if expected == actual:
            return False
        self.drift.append(Drift(kind, path, name, expected, actual, fixable))
        return True

    # -- mounts -----------------------------------------------------------------------------

    def mount(self, mount: Mount) -> None:
        tables = {"mounts": self._state.mounts, "auth": self._state.auth}
        current = tables[mount.table].get(mount.path)
        api = f"sys/{mount.table}/{mount.path.rstrip('/')}"
        if current is None:
            self._types[mount.table, mount.path] = mount.type
            data: dict[str, Any] = {
                "type": mount.type,
                "description": mount.description,
                "config": {
                    "default_lease_ttl": mount.config.default_lease_ttl,
                    "max_lease_ttl": mount.config.max_lease_ttl,
                },
            }
            if mount.options:
                data["options"] = dict(mount.options)
            self.actions.append(Action("enable_mount", api, data))
        elif self._differs("mount", api, "type", mount.type, current.type, fixable=False):
            self._types[mount.table, mount.path] = None
        else:
            self._tune(mount, current, api)

    def _tune(self, mount: Mount, current: MountState, api: str) -> None:
        tune: dict[str, Any] = {}
        if self._differs("mount", api, "description", mount.description, current.description):
            tune["description"] = mount.description
        for name in ("default_lease_ttl", "max_lease_ttl"):
            wanted, actual = getattr(mount.config, name), getattr(current.config, name)
            if self._differs("mount", api, f"config.{name}", wanted, actual):
                tune[name] = wanted
        options: dict[str, str] = {}
        for name, wanted in mount.options.items():
            actual = current.options.get(name)
            if mount.type == "kv" and name == "version":
                actual = actual or "1"
                if wanted == "1" and actual == "2":  # KV v2 cannot go back to v1
                    self._differs("mount", api, "options.version", wanted, actual, fixable=False)
                    continue
            if self._differs("mount", api, f"options.{name}", wanted, actual):
                options[name] = wanted
        if options:
            tune["options"] = options
        if tune:
            self.actions.append(Action("tune_mount", f"{api}/tune", tune, "drift"))

    def token(self, token: TokenTtls) -> None:
        current = self._state.token
        if current == token:
            return
        path = "sys/auth/token/tune"
        data = {"default_lease_ttl": token.default_ttl, "max_lease_ttl": token.max_ttl}
        if current == TokenTtls():  # never tuned: the system's TTLs, nothing drifted
            self.actions.append(Action("tune_token", path, data))
            return
        self._differs("token", path, "default_ttl", token.default_ttl, current.default_ttl)
        self._differs("token", path, "max_ttl", token.max_ttl, current.max_ttl)
        self.actions.append(Action("tune_token", path, data, "drift"))

    def _mounted(self, kind: DriftKind, path: str, table: str, mount: str, wanted: str) -> bool:
        """Whether a `wanted` mount is (or will be) at `mount`; a conflict if not."""
        if (table, mount) in self._types and self._types[table, mount] is None:
            return False  # the mount's own conflict is already reported
        actual = self._types.get((table, mount))
        if actual == wanted:
            return True
        self._differs(kind, path, "mount", wanted, actual, fixable=False)
        return False

    # -- transit keys ------------------------------------------------------------------------

    def key(self, key: TransitKey) -> None:
        path = f"{key.mount}keys/{key.name}"
        if not self._mounted("transit_key", path, "mounts", key.mount, "transit"):
            return
        current = self._state.transit_keys.get(key.mount, {}).get(key.name)
        if current is None:
            data = {
                "type": key.type,
                "exportable": key.exportable,
                "auto_rotate_period": key.auto_rotate_period,
            }
            self.actions.append(Action("create_key", path, data))
            if key.deletion_allowed:  # not a create field in Vault: set by keys/:name/config
                self.actions.append(
                    Action("configure_key", f"{path}/config", {"deletion_allowed": True})
                )
            return
        if self._differs("transit_key", path, "type", key.type, current.type, fixable=False):
            return
        config: dict[str, Any] = {}
        if key.exportable != current.exportable:
            # exportable is one-way in transit: it can be turned on, never off.
            fixable = key.exportable
            self._differs("transit_key", path, "exportable", fixable, not fixable, fixable=fixable)
            if fixable:
                config["exportable"] = True
        for name in ("auto_rotate_period", "deletion_allowed"):
            wanted = getattr(key, name)
            if self._differs("transit_key", path, name, wanted, getattr(current, name)):
                config[name] = wanted
        if config:
            self.actions.append(Action("configure_key", f"{path}/config", config, "drift"))

    # -- policies and roles ------------------------------------------------------------------

    def policy(self, name: str, text: str) -> None:
        path = f"sys/policies/acl/{name}"
        current = self._state.policies.get(name)
        if current is None:
            self.actions.append(Action("write_policy", path, {"policy": text}))
        elif not _same_policy(current, text):
            self.drift.append(Drift("policy", path, "policy", text, current))
            self.actions.append(Action("write_policy", path, {"policy": text}, "drift"))

    def role(self, role: AppRoleRole) -> None:
        path = f"auth/{role.mount}role/{role.name}"
        if not self._mounted("approle_role", path, "auth", role.mount, "approle"):
            return
        data: dict[str, Any] = {
            "token_ttl": role.token_ttl,
            "token_max_ttl": role.token_max_ttl,
            "token_policies": list(role.token_policies),
            "secret_id_ttl": role.secret_id_ttl,
            "secret_id_num_uses": role.secret_id_num_uses,
        }
        current = self._state.approle_roles.get(role.mount, {}).get(role.name)
        if current is None:
            self.actions.append(Action("write_role", path, data))
            return
        drifted = False
        for name, value in data.items():
            wanted, actual = value, getattr(current, name)
            if name == "token_policies":
                wanted, actual = sorted(wanted), sorted(actual)
            drifted = self._differs("approle_role", path, name, wanted, actual) or drifted
        if drifted:
            self.actions.append(Action("write_role", path, data, "drift"))
