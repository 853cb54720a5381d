"""Blueprint values: what `parse_blueprint` returns and `render` fills in.

Everything is frozen and maps are read-only views. Durations are whole seconds, 0 meaning
"Vault's default" exactly as in the API the blueprint drives. Strings may hold `{{tenant}}`
and `{{service}}` placeholders until `render` replaces them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

__all__ = [
    "AUTH_TYPES",
    "MOUNT_TYPES",
    "SERVICE",
    "SERVICE_POLICY_NAME",
    "SERVICE_ROLE",
    "TENANT",
    "TRANSIT_KEY_TYPES",
    "AppRoleRole",
    "Blueprint",
    "Mount",
    "MountConfig",
    "ServiceTemplate",
    "TokenTtls",
    "TransitKey",
]

TENANT = "{{tenant}}"
SERVICE = "{{service}}"
SERVICE_POLICY_NAME = "service-" + SERVICE  # the `service` section's defaults
SERVICE_ROLE = SERVICE

# The engines and auth methods a tenant may be given; auth methods live below `auth/`.
MOUNT_TYPES = frozenset({"kv", "transit", "approle", "database", "rabbitmq"})
AUTH_TYPES = frozenset({"approle"})
# The transit engine's key types (engines/transit/models.py KEY_TYPES), repeated here so this
# library imports no engine; a unit test keeps the two equal.
TRANSIT_KEY_TYPES = frozenset(
    {
        "aes128-gcm96",
        "aes256-gcm96",
        "chacha20-poly1305",
        "ed25519",
        "ecdsa-p256",
        "ecdsa-p384",
        "ecdsa-p521",
        "rsa-2048",
        "rsa-3072",
        "rsa-4096",
        "hmac",
    }
)


def _frozen(values: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(values))


@dataclass(frozen=True, slots=True)
class MountConfig:
    default_lease_ttl: int = 0
    max_lease_ttl: int = 0


@dataclass(frozen=True, slots=True)
class Mount:
    """A secrets engine (`sys/mounts/<path>`) or, for AUTH_TYPES, an auth method
    (`sys/auth/<path>`, served at `auth/<path>`). `path` ends in `/`."""

    path: str
    type: str
    description: str = ""
    options: Mapping[str, str] = field(default_factory=dict)
    config: MountConfig = MountConfig()

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", _frozen(self.options))

    @property
    def table(self) -> Literal["mounts", "auth"]:
        return "auth" if self.type in AUTH_TYPES else "mounts"


@dataclass(frozen=True, slots=True)
class TransitKey:
    """A key in a transit mount; `mount` names a `Mount` of type transit (ends in `/`)."""

    name: str
    mount: str = "transit/"
    type: str = "aes256-gcm96"
    auto_rotate_period: int = 0
    exportable: bool = False
    deletion_allowed: bool = False


@dataclass(frozen=True, slots=True)
class AppRoleRole:
    """An AppRole role; `mount` names a `Mount` of type approle (ends in `/`)."""

    name: str
    mount: str = "approle/"
    token_ttl: int = 0
    token_max_ttl: int = 0
    token_policies: tuple[str, ...] = ()
    secret_id_ttl: int = 0
    secret_id_num_uses: int = 0


@dataclass(frozen=True, slots=True)
class ServiceTemplate:
    """What one service of a tenant gets: the policy `policy` (a template in
    `Blueprint.policies`) written as `policy_name`, and the AppRole role named `role` (a role
    template in `Blueprint.approle_roles`). Both names hold `{{service}}`."""

    policy: str
    policy_name: str = SERVICE_POLICY_NAME
    role: str = SERVICE_ROLE


@dataclass(frozen=True, slots=True)
class TokenTtls:
    """The TTLs of the tenant's token auth method (`sys/auth/token/tune`)."""

    default_ttl: int = 0
    max_ttl: int = 0


@dataclass(frozen=True, slots=True)
class Blueprint:
    """A validated blueprint. Transit keys and AppRole roles whose name holds `{{service}}`,
    and the service policy template, are created per service; everything else per tenant."""

    description: str = ""
    mounts: tuple[Mount, ...] = ()
    transit_keys: tuple[TransitKey, ...] = ()
    policies: Mapping[str, str] = field(default_factory=dict)
    approle_roles: tuple[AppRoleRole, ...] = ()
    service: ServiceTemplate | None = None
    token: TokenTtls | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "policies", _frozen(self.policies))
