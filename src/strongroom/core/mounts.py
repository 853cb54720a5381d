"""The mount table: which backend serves which path prefix, per namespace.

Two tables per namespace, as in Vault: secrets engines (`core/mounts`) and auth methods
(`core/auth`, paths under `auth/`). Entries keep Vault's field names so `sys/mounts` can render
them unchanged. Each mount's storage lives under `logical/<uuid>/` or `auth/<uuid>/`, so a
remount moves no data.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

import msgspec

from strongroom import __version__
from strongroom.clock import Clock
from strongroom.core.attempts import AttemptTable
from strongroom.core.request import Request, Response
from strongroom.core.view import View
from strongroom.passwords import default_password

TableKind = Literal["mounts", "auth"]
# The mounts Vault makes itself, which are not plugins of its catalogue.
BUILTIN_TYPES = frozenset({"system", "token", "cubbyhole", "identity"})


class MountConfig(msgspec.Struct, frozen=True, kw_only=True):
    default_lease_ttl: int = 0
    max_lease_ttl: int = 0
    force_no_cache: bool = False
    listing_visibility: str = ""
    audit_non_hmac_request_keys: tuple[str, ...] = ()
    audit_non_hmac_response_keys: tuple[str, ...] = ()
    passthrough_request_headers: tuple[str, ...] = ()
    allowed_response_headers: tuple[str, ...] = ()


class MountEntry(msgspec.Struct, frozen=True, kw_only=True):
    path: str  # ends in "/"; auth entries are stored without the "auth/" prefix
    type: str
    description: str = ""
    accessor: str
    uuid: str
    config: MountConfig = MountConfig()
    options: dict[str, str] | None = None
    local: bool = False
    seal_wrap: bool = False
    external_entropy_access: bool = False
    created: float = 0.0

    def storage_prefix(self, kind: TableKind) -> str:
        return f"{'logical' if kind == 'mounts' else 'auth'}/{self.uuid}/"

    def describe(self) -> dict[str, Any]:
        """The entry as Vault renders it in sys/mounts and sys/auth."""
        cfg = self.config
        config: dict[str, Any] = {
            "default_lease_ttl": cfg.default_lease_ttl,
            "max_lease_ttl": cfg.max_lease_ttl,
            "force_no_cache": cfg.force_no_cache,
        }
        if cfg.listing_visibility:
            config["listing_visibility"] = cfg.listing_visibility
        for name in (
            "audit_non_hmac_request_keys",
            "audit_non_hmac_response_keys",
            "passthrough_request_headers",
            "allowed_response_headers",
        ):
            if getattr(cfg, name):
                config[name] = list(getattr(cfg, name))
        described = {
            "accessor": self.accessor,
            "config": config,
            "description": self.description,
            "external_entropy_access": self.external_entropy_access,
            "local": self.local,
            "options": self.options,
            "plugin_version": "",
            "running_plugin_version": f"v{__version__}+builtin",
            "running_sha256": "",
            "seal_wrap": self.seal_wrap,
            "type": self.type,
            "uuid": self.uuid,
        }
        if self.type not in BUILTIN_TYPES:  # Vault reports it for catalogue plugins only
            described["deprecation_status"] = "supported"
        return described


def new_entry(
    *,
    path: str,
    type_: str,
    description: str = "",
    config: MountConfig | None = None,
    options: dict[str, str] | None = None,
    local: bool = False,
    seal_wrap: bool = False,
    now: float = 0.0,
) -> MountEntry:
    return MountEntry(
        path=path,
        type=type_,
        description=description,
        accessor=f"{type_}_{secrets.token_hex(4)}",
        uuid=str(uuid.UUID(bytes=secrets.token_bytes(16), version=4)),
        config=config or MountConfig(),
        options=options,
        local=local,
        seal_wrap=seal_wrap,
        created=now,
    )


class LogicalBackend(Protocol):
    """What a mounted engine or auth method offers the core.

    `unauthenticated` names paths below the mount that answer without a token (an auth
    method's `login`); a trailing `*` matches a prefix, as Vault's PathsSpecial does.
    """

    unauthenticated: frozenset[str]

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` (relative to the mount). Raises StrongroomError subclasses."""
        ...


@runtime_checkable
class LeaseHolder(Protocol):
    """A backend whose responses carry `LeaseRequest`s: the core calls these as leases end.

    Both raise on failure (database down); the core keeps the lease and retries with back-off,
    so they must be idempotent: revoking a user that is already gone is success.
    """

    async def revoke_lease(self, internal: Mapping[str, Any]) -> None: ...

    async def renew_lease(self, internal: Mapping[str, Any], expires_at: float) -> None: ...


EventSink = Callable[[str, Mapping[str, Any]], Awaitable[None]]
"""Emits a non-request event (`"transit-key-rotated"`, {...}) into the audit stream."""
PasswordSource = Callable[[str], Awaitable[str]]
"""Generates a password from a named password policy (raises BadRequest if it is unknown)."""

SYSTEM_TTL = 768 * 3600  # Vault's system default and max lease TTL: 32 days


async def _no_events(_kind: str, _data: Mapping[str, Any]) -> None:
    """The sink of a context built outside a core (engine unit tests): events go nowhere."""


@dataclass(frozen=True, slots=True)
class MountContext:
    """Everything a backend instance is given: its storage view, the clock, its entry, where its
    events go and the server-wide lease TTLs its own tuning falls back to."""

    view: View
    clock: Clock
    entry: MountEntry
    emit: EventSink = _no_events
    system_ttls: tuple[int, int] = (SYSTEM_TTL, SYSTEM_TTL)
    # A password from the named sys/policies/password policy, "" = Vault's default policy.
    passwords: PasswordSource = default_password
    # The node's counts of log-ins being checked (core/attempts.py); None: keep them in storage.
    attempts: AttemptTable | None = None

    def lease_ttls(self) -> tuple[int, int]:
        """(default, max) lease TTL of this mount: its tuned values, else the system's."""
        default, maximum = self.system_ttls
        cfg = self.entry.config
        return cfg.default_lease_ttl or default, cfg.max_lease_ttl or maximum


@dataclass(frozen=True, slots=True)
class BackendType:
    """A registered mount type: secrets engine or auth method, and how to build one."""

    kind: TableKind
    factory: Callable[[MountContext], LogicalBackend]


@dataclass(frozen=True, slots=True)
class Mounted:
    entry: MountEntry
    kind: TableKind
    backend: LogicalBackend

    @property
    def full_path(self) -> str:
        return self.entry.path if self.kind == "mounts" else "auth/" + self.entry.path
