"""What one configuration file says: its parsed dict checked against our schema.

Each file becomes a `Fragment` holding only the settings that file sets (None elsewhere), so
`loader.py` can merge fragments the way Vault merges files. Every key at every level is checked
here: an unknown key, a wrong type or a missing required option fails with a ConfigError that
names the dotted key (`storage.sqlite.pth`) and the file, never the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from strongroom.config.coerce import (
    as_bool,
    as_choice,
    as_duration,
    as_path,
    as_str,
    reject_unknown,
)
from strongroom.config.errors import ConfigError
from strongroom.config.settings import (
    AuditSettings,
    ListenerSettings,
    LogLevel,
    StorageKind,
    StorageSettings,
    TlsVersion,
)

__all__ = ["Fragment", "parse_fragment"]

T = TypeVar("T")

_TOP_KEYS = frozenset(
    {
        "storage",
        "listener",
        "api_addr",
        "default_lease_ttl",
        "max_lease_ttl",
        "log_level",
        "ui",
        "disable_mlock",
        "audit",
    }
)
_AUDIT_TYPES = frozenset({"file", "socket", "syslog"})
_AUDIT_KEYS = frozenset({"description", "options", "local"})
# storage type -> (required options, optional options with their defaults)
_STORAGE: dict[str, tuple[frozenset[str], Mapping[str, str]]] = {
    "inmem": (frozenset(), {}),
    "sqlite": (frozenset({"path"}), {}),
    "postgresql": (frozenset({"connection_url"}), {"table": "strongroom_kv"}),
}
_LISTENER_KEYS = frozenset(
    {
        "address",
        "tls_disable",
        "tls_cert_file",
        "tls_key_file",
        "tls_min_version",
        "tls_client_ca_file",
        "tls_require_and_verify_client_cert",
        "tls_disable_client_certs",
    }
)
# Vault's log levels; it also reads "warning" as "warn" and "notice" as "info".
_LOG_LEVELS = {name: name for name in ("trace", "debug", "info", "warn", "error")} | {
    "warning": "warn",
    "notice": "info",
}
_TLS_VERSIONS = {"tls12": "tls12", "tls13": "tls13"}
# The table name is spliced into SQL, so it must be a plain identifier.
_SQL_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_HOST_PORT = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[^\s:\[\]]*):([0-9]{1,5})")


@dataclass(frozen=True, slots=True)
class Fragment:
    """The settings one file sets; None (or empty) where it is silent."""

    source: Path
    storage: StorageSettings | None = None
    listeners: tuple[ListenerSettings, ...] = ()
    api_addr: str | None = None
    default_lease_ttl: int | None = None
    max_lease_ttl: int | None = None
    log_level: LogLevel | None = None
    ui: bool | None = None
    disable_mlock: bool | None = None
    audit: tuple[AuditSettings, ...] = ()


def parse_fragment(document: Mapping[str, Any], source: Path) -> Fragment:
    """Check `document` (the parsed top level of `source`). Raises ConfigError."""
    reject_unknown(document, _TOP_KEYS, "", source)
    top = _Body(document, "", source)
    return Fragment(
        source=source,
        storage=_storage(document["storage"], source) if "storage" in document else None,
        listeners=tuple(_listeners(document.get("listener", []), source)),
        api_addr=top.get("api_addr", as_str),
        default_lease_ttl=top.get("default_lease_ttl", as_duration),
        max_lease_ttl=top.get("max_lease_ttl", as_duration),
        log_level=top.get("log_level", _as_log_level),
        ui=top.get("ui", as_bool),
        disable_mlock=top.get("disable_mlock", as_bool),
        audit=tuple(_audit_devices(document.get("audit", []), source)),
    )


@dataclass(frozen=True, slots=True)
class _Body:
    """One block's body, with the dotted prefix its keys are reported under."""

    values: Mapping[str, Any]
    prefix: str
    source: Path

    def get(self, key: str, coerce: Callable[[object, str, Path], T]) -> T | None:
        if key not in self.values:
            return None
        return coerce(self.values[key], self.prefix + key, self.source)


def _as_log_level(value: object, key: str, source: Path) -> LogLevel:
    return cast("LogLevel", as_choice(value, key, source, _LOG_LEVELS))


def _as_tls_version(value: object, key: str, source: Path) -> TlsVersion:
    return cast("TlsVersion", as_choice(value, key, source, _TLS_VERSIONS))


def _blocks(value: object, key: str, source: Path) -> list[tuple[str, Mapping[str, Any]]]:
    """(label, body) for each labelled block, in python-hcl2's shape (a list of {label: body})
    or in Vault's JSON shapes ({label: body}, {label: [body, ...]}, [{label: body}, ...])."""
    blocks: list[tuple[str, Mapping[str, Any]]] = []
    for item in value if isinstance(value, list) else [value]:
        if not isinstance(item, dict) or not item:
            raise ConfigError.invalid(key, source, f'a block such as {key} "<type>" {{ ... }}')
        for label, body in item.items():
            for one in body if isinstance(body, list) else [body]:
                if not isinstance(one, dict):
                    raise ConfigError.invalid(f"{key}.{label}", source, "a block")
                blocks.append((label, one))
    return blocks


def _storage(value: object, source: Path) -> StorageSettings:
    blocks = _blocks(value, "storage", source)
    if len(blocks) != 1:
        raise ConfigError(f'expected exactly one "storage" block in {source}')
    kind, body = blocks[0]
    if kind not in _STORAGE:
        raise ConfigError(f'unsupported storage type "{kind}" in {source}')
    required, defaults = _STORAGE[kind]
    prefix = f"storage.{kind}."
    reject_unknown(body, required | frozenset(defaults), prefix, source)
    missing = sorted(required - set(body))
    if missing:
        raise ConfigError.missing_key(prefix + missing[0], source)
    options = dict(defaults) | {key: as_str(body[key], prefix + key, source) for key in body}
    if "table" in options and not _SQL_IDENTIFIER.fullmatch(options["table"]):
        raise ConfigError.invalid(prefix + "table", source, "an SQL identifier")
    return StorageSettings(kind=cast("StorageKind", kind), options=options)


def _listeners(value: object, source: Path) -> Iterator[ListenerSettings]:
    for kind, body in _blocks(value, "listener", source):
        if kind != "tcp":
            raise ConfigError(f'unsupported listener type "{kind}" in {source}')
        yield _tcp_listener(_Body(body, "listener.tcp.", source))


def _tcp_listener(body: _Body) -> ListenerSettings:
    reject_unknown(body.values, _LISTENER_KEYS, body.prefix, body.source)
    address = body.get("address", as_str)
    if address is not None and not _valid_address(address):
        raise ConfigError.invalid(body.prefix + "address", body.source, "host:port")
    defaults = ListenerSettings()
    listener = ListenerSettings(
        address=defaults.address if address is None else address,
        tls_disable=bool(body.get("tls_disable", as_bool)),
        tls_cert_file=body.get("tls_cert_file", as_path),
        tls_key_file=body.get("tls_key_file", as_path),
        tls_min_version=body.get("tls_min_version", _as_tls_version) or defaults.tls_min_version,
        tls_client_ca_file=body.get("tls_client_ca_file", as_path),
        tls_require_and_verify_client_cert=bool(
            body.get("tls_require_and_verify_client_cert", as_bool)
        ),
        tls_disable_client_certs=_client_certs_disabled(
            body.get("tls_disable_client_certs", as_bool)
        ),
    )
    _check_tls(listener, body.source)
    return listener


def _audit_devices(value: object, source: Path) -> Iterator[AuditSettings]:
    """`audit "<type>" "<path>" { description, options { ... }, local }` blocks."""
    for kind, named in _blocks(value, "audit", source):
        if kind not in _AUDIT_TYPES:
            raise ConfigError(f'unsupported audit device type "{kind}" in {source}')
        for path, values in _blocks([named], f"audit.{kind}", source):
            body = _Body(values, f"audit.{kind}.{path}.", source)
            reject_unknown(values, _AUDIT_KEYS, body.prefix, source)
            yield AuditSettings(
                type=kind,
                path=path.strip("/") + "/",
                description=body.get("description", as_str) or "",
                options=_string_map(values.get("options", {}), body.prefix + "options", source),
                local=bool(body.get("local", as_bool)),
            )


def _string_map(value: object, key: str, source: Path) -> dict[str, str]:
    """An `options { k = "v" }` block (python-hcl2 gives a list of one dict) or a JSON object."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, dict):
        raise ConfigError.invalid(key, source, "a map of strings")
    return {str(k): _option(v, f"{key}.{k}", source) for k, v in value.items()}


def _option(value: object, key: str, source: Path) -> str:
    """Audit options are strings in the API; an unquoted `true` or `5` in HCL means the same."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return as_str(value, key, source)


def _valid_address(address: str) -> bool:
    match = _HOST_PORT.fullmatch(address)
    return match is not None and int(match.group(2)) <= 65535


def _client_certs_disabled(value: object) -> bool:
    """Unset is true: asking for client certificates puts the TLS front in the path."""
    return True if value is None else bool(value)


def _check_tls(listener: ListenerSettings, source: Path) -> None:
    """TLS is on unless disabled (as in Vault), and then it needs a certificate and key."""
    prefix = "listener.tcp."
    if not listener.tls_enabled:
        if listener.tls_require_and_verify_client_cert:
            raise ConfigError(
                f'"{prefix}tls_require_and_verify_client_cert" needs TLS, '
                f'but "{prefix}tls_disable" is set in {source}'
            )
        return
    files = {
        "tls_cert_file": listener.tls_cert_file,
        "tls_key_file": listener.tls_key_file,
        "tls_client_ca_file": listener.tls_client_ca_file,
    }
    for key in ("tls_cert_file", "tls_key_file"):
        if files[key] is None:
            raise ConfigError(
                f'TLS is enabled on the listener in {source} but "{prefix}{key}" is not set '
                f'(set "tls_cert_file" and "tls_key_file", or "tls_disable = true")'
            )
    for key, path in files.items():
        if path is not None and not path.is_file():
            raise ConfigError(f'"{prefix}{key}" in {source} does not name a readable file')
