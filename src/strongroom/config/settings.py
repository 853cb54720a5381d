"""The one typed, frozen settings object the server boots from (STYLE.md habit 12).

`load_config` (in `loader.py`) builds a `Settings` from Vault-style HCL or JSON files;
`dev_settings` builds the throw-away in-memory one behind `strongroom server -dev`. Nothing here
reads the environment or the disk, and nothing is created at import time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

__all__ = [
    "DEFAULT_LEASE_TTL",
    "AuditSettings",
    "DevOptions",
    "ListenerSettings",
    "LogLevel",
    "Settings",
    "StorageKind",
    "StorageSettings",
    "TlsVersion",
    "dev_settings",
]

StorageKind = Literal["inmem", "sqlite", "postgresql"]
TlsVersion = Literal["tls12", "tls13"]
LogLevel = Literal["trace", "debug", "info", "warn", "error"]

# Vault's system default for both TTLs: 768h, 32 days ("default_lease_ttl" in Vault's docs).
DEFAULT_LEASE_TTL = 768 * 3600

# Storage options that are never secret; every other option value is masked in `repr`.
_PLAIN_OPTIONS = frozenset({"path", "table"})
_MASK = "[secure]"


@dataclass(frozen=True, slots=True, repr=False)
class StorageSettings:
    """Which physical backend to open and its options (`path`, `connection_url`, `table`)."""

    kind: StorageKind
    options: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A read-only copy: the settings object is shared by every worker and must not drift.
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))

    def __repr__(self) -> str:
        # connection_url carries the database password, so it never reaches a log line.
        shown = {k: v if k in _PLAIN_OPTIONS else _MASK for k, v in self.options.items()}
        return f"StorageSettings(kind={self.kind!r}, options={shown!r})"


@dataclass(frozen=True, slots=True)
class ListenerSettings:
    """The TCP listener we serve on (the first `listener "tcp"` block of the configuration)."""

    address: str = "127.0.0.1:8200"
    tls_disable: bool = False
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None
    tls_min_version: TlsVersion = "tls12"
    tls_client_ca_file: Path | None = None
    tls_require_and_verify_client_cert: bool = False
    # Vault's key, with the opposite default: set false, a TLS listener requests (without
    # requiring) a client certificate for the cert auth method, served by our TLS front
    # (server/tls_front.py), which costs about 4 ms a request over granian's own TLS.
    tls_disable_client_certs: bool = True

    @property
    def tls_enabled(self) -> bool:
        return not self.tls_disable

    @property
    def requests_client_certs(self) -> bool:
        """Whether our TLS front serves this listener (granian cannot request a certificate)."""
        return self.tls_enabled and not self.tls_disable_client_certs


@dataclass(frozen=True, slots=True)
class AuditSettings:
    """An `audit "<type>" "<path>" { ... }` block: a device the server keeps enabled (OpenBao's
    declarative audit devices). Options may name sockets and files, never secrets."""

    type: str
    path: str
    description: str = ""
    options: Mapping[str, str] = field(default_factory=dict)
    local: bool = False


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the server needs to start; TTLs are in seconds."""

    storage: StorageSettings
    listener: ListenerSettings
    api_addr: str | None = None
    default_lease_ttl: int = DEFAULT_LEASE_TTL
    max_lease_ttl: int = DEFAULT_LEASE_TTL
    log_level: LogLevel = "info"
    ui: bool = False
    disable_mlock: bool = False  # accepted for Vault compatibility; Strongroom never mlocks
    audit: tuple[AuditSettings, ...] = ()


@dataclass(frozen=True, slots=True, repr=False)
class DevOptions:
    """What `strongroom server -dev` adds on top of `dev_settings`.

    `root_token_id` fixes the root token of the auto-initialised dev server (Vault's
    `-dev-root-token-id`); None lets the server generate one.
    """

    root_token_id: str | None = None

    def __repr__(self) -> str:
        shown = None if self.root_token_id is None else _MASK
        return f"DevOptions(root_token_id={shown!r})"


def dev_settings(listen_address: str) -> Settings:
    """Settings for `strongroom server -dev`: in-memory storage, plain HTTP on `listen_address`."""
    return Settings(
        storage=StorageSettings(kind="inmem"),
        listener=ListenerSettings(address=listen_address, tls_disable=True),
        log_level="info",
    )
