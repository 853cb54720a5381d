"""Server configuration: Vault-style HCL/JSON files in, one frozen `Settings` out.

load_config(paths) -> Settings     loader.py   files and directories, merged like Vault's
dev_settings(address) -> Settings  settings.py the in-memory `server -dev` settings
parse_duration / render_duration   durations.py Vault's "768h" / "1h30m" syntax
ConfigError                        errors.py   names the key and file, never the value
"""

from strongroom.config.durations import parse_duration, render_duration
from strongroom.config.errors import ConfigError
from strongroom.config.loader import load_config
from strongroom.config.settings import (
    DEFAULT_LEASE_TTL,
    DevOptions,
    ListenerSettings,
    LogLevel,
    Settings,
    StorageKind,
    StorageSettings,
    TlsVersion,
    dev_settings,
)

__all__ = [
    "DEFAULT_LEASE_TTL",
    "ConfigError",
    "DevOptions",
    "ListenerSettings",
    "LogLevel",
    "Settings",
    "StorageKind",
    "StorageSettings",
    "TlsVersion",
    "dev_settings",
    "load_config",
    "parse_duration",
    "render_duration",
]
