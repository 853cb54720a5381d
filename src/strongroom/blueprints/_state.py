"""`State`: what a tenant has now, as plain values the caller reads from its namespace.

Each part mirrors the Vault API read it comes from, and has a `from_api` that takes that
read's `data` as is: a `sys/mounts` or `sys/auth` entry, `transit/keys/:name`,
`auth/approle/role/:name`. Mount paths are normalised to end in `/`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from strongroom.blueprints._model import MountConfig, TokenTtls

__all__ = ["KeyState", "MountState", "RoleState", "State"]


def _seconds(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _path(path: str) -> str:
    return path.strip("/") + "/"


@dataclass(frozen=True, slots=True)
class MountState:
    type: str
    description: str = ""
    options: Mapping[str, str] = field(default_factory=dict)
    config: MountConfig = field(default_factory=MountConfig)

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))

    @classmethod
    def from_api(cls, entry: Mapping[str, Any]) -> MountState:
        """One entry of `sys/mounts` or `sys/auth` (`type`, `description`, `options`,
        `config.default_lease_ttl`, `config.max_lease_ttl`)."""
        config = entry.get("config") or {}
        return cls(
            type=str(entry.get("type", "")),
            description=str(entry.get("description") or ""),
            options={str(k): str(v) for k, v in (entry.get("options") or {}).items()},
            config=MountConfig(
                default_lease_ttl=_seconds(config.get("default_lease_ttl")),
                max_lease_ttl=_seconds(config.get("max_lease_ttl")),
            ),
        )


@dataclass(frozen=True, slots=True)
class KeyState:
    type: str
    auto_rotate_period: int = 0
    exportable: bool = False
    deletion_allowed: bool = False

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> KeyState:
        """The data of a `transit/keys/:name` read."""
        return cls(
            type=str(data.get("type", "")),
            auto_rotate_period=_seconds(data.get("auto_rotate_period")),
            exportable=bool(data.get("exportable")),
            deletion_allowed=bool(data.get("deletion_allowed")),
        )


@dataclass(frozen=True, slots=True)
class RoleState:
    token_ttl: int = 0
    token_max_ttl: int = 0
    token_policies: tuple[str, ...] = ()
    secret_id_ttl: int = 0
    secret_id_num_uses: int = 0

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> RoleState:
        """The data of an `auth/<approle mount>/role/:name` read."""
        return cls(
            token_ttl=_seconds(data.get("token_ttl")),
            token_max_ttl=_seconds(data.get("token_max_ttl")),
            token_policies=tuple(str(p) for p in data.get("token_policies") or ()),
            secret_id_ttl=_seconds(data.get("secret_id_ttl")),
            secret_id_num_uses=_seconds(data.get("secret_id_num_uses")),
        )


@dataclass(frozen=True, slots=True)
class State:
    """What exists in a tenant's namespace.

    mounts         secrets engines by path ("secret/")
    auth           auth methods by path below auth/ ("approle/")
    transit_keys   transit mount path -> key name -> key
    policies       ACL policy name -> text
    approle_roles  AppRole mount path -> role name -> settings
    token          the token auth method's TTLs (0 = never tuned, the system's)
    """

    mounts: Mapping[str, MountState] = field(default_factory=dict)
    auth: Mapping[str, MountState] = field(default_factory=dict)
    transit_keys: Mapping[str, Mapping[str, KeyState]] = field(default_factory=dict)
    policies: Mapping[str, str] = field(default_factory=dict)
    approle_roles: Mapping[str, Mapping[str, RoleState]] = field(default_factory=dict)
    token: TokenTtls = field(default_factory=TokenTtls)

    def __post_init__(self) -> None:
        for name in ("mounts", "auth", "transit_keys", "approle_roles"):
            by_path = {_path(k): v for k, v in getattr(self, name).items()}
            object.__setattr__(self, name, MappingProxyType(by_path))
        object.__setattr__(self, "policies", MappingProxyType(dict(self.policies)))
