"""Typed access to request data (Vault's FieldData): wrong types are a 400 naming the field.

Messages name the field and the expected type, never the submitted value (it may be a secret).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strongroom.config.durations import parse_duration
from strongroom.errors import BadRequest

# Vault's TypeInt is a Go int: strconv.ParseInt refuses what is outside int64 ("out of range").
_INT64 = range(-(2**63), 2**63)
_INT64_DIGITS = 24  # a sign, 19 digits and some spaces: longer text is out of range anyway
_TRUE = {"true", "1", "t", "yes"}
_FALSE = {"false", "0", "f", "no", ""}


def _value(data: Mapping[str, Any], name: str, default: Any) -> Any:  # noqa: ANN401 - JSON
    """The raw value; JSON null counts as absent, as in Vault's FieldData."""
    value = data.get(name)
    return default if value is None else value


def _bad(name: str, kind: str) -> BadRequest:
    return BadRequest(f'error converting input for field "{name}": expected {kind}')


def get_str(data: Mapping[str, Any], name: str, default: str = "") -> str:
    value = _value(data, name, default)
    if isinstance(value, list) and len(value) == 1:  # query parameters arrive as lists
        value = value[0]
    if not isinstance(value, str):
        raise _bad(name, "string")
    return value


def get_int(data: Mapping[str, Any], name: str, default: int = 0) -> int:
    value = _value(data, name, default)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str) and len(value) <= _INT64_DIGITS:
        try:
            value = int(value)
        except ValueError:
            raise _bad(name, "integer") from None
    if isinstance(value, bool) or not isinstance(value, int) or value not in _INT64:
        raise _bad(name, "integer")
    return value


def get_bool(data: Mapping[str, Any], name: str, default: bool = False) -> bool:
    value = _value(data, name, default)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    raise _bad(name, "bool")


def get_duration(data: Mapping[str, Any], name: str, default: int = 0) -> int:
    """Seconds from an integer or a Vault duration string ("90s", "1h30m")."""
    value = _value(data, name, default)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise _bad(name, "duration")
    try:
        return parse_duration(value)
    except ValueError:
        raise _bad(name, "duration") from None


def get_str_map(data: Mapping[str, Any], name: str) -> dict[str, str]:
    value = _value(data, name, {}) or {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise _bad(name, "map of strings")
    return dict(value)


def get_str_list(data: Mapping[str, Any], name: str) -> list[str]:
    """A list of strings, or a comma-separated string as Vault's CommaStringSlice accepts."""
    value = _value(data, name, []) or []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _bad(name, "list of strings")
    return list(value)
