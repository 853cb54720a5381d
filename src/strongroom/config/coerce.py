"""Turning one parsed configuration value into a typed one, or a ConfigError naming its key.

HCL and JSON hand us `str | int | float | bool | list | dict | None`; Vault is lenient about
some of them (`tls_disable = "1"`), and these helpers accept exactly what Vault's parseutil
accepts for the keys we support. No message repeats the value it rejects.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from strongroom.config.durations import parse_duration
from strongroom.config.errors import ConfigError

__all__ = [
    "GO_FALSE",
    "GO_TRUE",
    "as_bool",
    "as_choice",
    "as_duration",
    "as_path",
    "as_str",
    "reject_unknown",
]

# strconv.ParseBool's spellings, which Vault's parseutil.ParseBool accepts for strings (and
# mapstructure's weak decode for request fields, `core/fields.py`).
GO_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
GO_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def reject_unknown(
    body: Mapping[str, Any], allowed: frozenset[str], prefix: str, source: Path
) -> None:
    """Raises ConfigError naming the first key of `body` (sorted) that is not `allowed`."""
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ConfigError.unknown_key(prefix + unknown[0], source)


def as_str(value: object, key: str, source: Path) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError.invalid(key, source, "a non-empty string")
    return value


def as_bool(value: object, key: str, source: Path) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in {0, 1}:
        return bool(value)
    if isinstance(value, str) and value in GO_TRUE | GO_FALSE:
        return value in GO_TRUE
    raise ConfigError.invalid(key, source, "a boolean (true, false, 1, 0)")


def as_duration(value: object, key: str, source: Path) -> int:
    """A positive number of seconds, in any form `parse_duration` reads."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ConfigError.invalid(key, source, "a duration such as 768h")
    try:
        seconds = parse_duration(value)
    except ValueError:
        raise ConfigError.invalid(key, source, "a duration such as 768h") from None
    if seconds <= 0:
        raise ConfigError.invalid(key, source, "a positive duration")
    return seconds


def as_path(value: object, key: str, source: Path) -> Path:
    return Path(as_str(value, key, source))


def as_choice(value: object, key: str, source: Path, choices: Mapping[str, str]) -> str:
    """`choices` maps each accepted spelling (lower case) to the canonical value."""
    if isinstance(value, str) and value.strip().lower() in choices:
        return choices[value.strip().lower()]
    raise ConfigError.invalid(key, source, "one of " + ", ".join(sorted(set(choices.values()))))
