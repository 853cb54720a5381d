"""Typed access to request data (Vault's FieldData): wrong types are a 400 naming the field.

Vault decodes every field with mapstructure's *weak* decode (OpenBao `sdk/framework/
field_data.go`), and real clients depend on it: hvac sends `options={"version": 2}`, the CLI
sends `""` for a TTL it leaves alone and numbers as strings. `CONVERSIONS` holds those rules,
one converter per field type, so that a declarative field schema can reuse them:

- string: numbers in base 10, booleans as "1"/"0" (mapstructure's bool-to-string)
- int: integers, booleans as 1/0, strings with Go's base prefixes ("0x10"), "" as 0
- bool: booleans, numbers (non-zero is true), Go's strconv.ParseBool words, "" as false
- duration: seconds as a number or digits, Go durations ("1h30m"), "" and 0 as unset
- comma-string list: a list (each element a string as above) or "a,b"; a scalar is one item
- key/value pairs: a map whose values are coerced to strings, or a list of "k=v" strings
- map: a JSON object, taken as it is (Vault's TypeMap: free-form, such as KV v2's `data`)
- comma-int list: a list of ints (each as above) or "1,2" (Vault's TypeCommaIntSlice)
- document: a text (HCL or JSON) or the JSON object itself, as it is (Strongroom's blueprints)

Messages name the field and the expected type, never the submitted value (it may be a secret).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from strongroom.config.coerce import GO_FALSE, GO_TRUE
from strongroom.config.durations import parse_duration
from strongroom.errors import BadRequest

__all__ = [
    "CONVERSIONS",
    "FieldType",
    "Mismatch",
    "convert",
]


class FieldType(StrEnum):
    """Vault's framework field types (`field_type.go`), by the name its errors use."""

    STRING = "string"
    INT = "integer"
    BOOL = "bool"
    DURATION = "duration"
    COMMA_STRING_LIST = "list of strings"
    KV_PAIRS = "map of strings"
    MAP = "map"
    COMMA_INT_LIST = "list of int"
    STRING_SLICE = "slice of strings"
    SLICE = "slice"
    DOCUMENT = "string or object"


class Mismatch(ValueError):
    """A value that the weak decode of its field type cannot convert."""


def _to_str(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)  # as Vault's json.Number keeps the text: 2.0 stays "2.0"
    raise Mismatch


# Vault's TypeInt is a Go int: strconv.ParseInt refuses what is outside int64 ("out of range").
_INT64 = range(-(2**63), 2**63)


def _to_int(value: object) -> int:
    number = _int_value(value)
    if number not in _INT64:
        raise Mismatch
    return number


def _int_value(value: object) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip() or "0"
        try:
            return int(text, 0)  # Go's ParseInt with base 0: "0x1f", "0o17", "0b1"
        except ValueError:
            pass
        try:
            return int(text, 10)  # "010": Go would read octal; decimal is the kinder guess
        except ValueError:
            raise Mismatch from None
    raise Mismatch  # floats too: Vault's json.Number refuses "2.5" for an int field


def _to_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        if value in GO_TRUE:  # Go's strconv.ParseBool: "yes" and "tRuE" are refused
            return True
        if value in GO_FALSE or value == "":
            return False
    raise Mismatch


def _to_duration(value: object) -> int:
    """parseutil.ParseDurationSecond: "" and 0 are "unset" (0), numbers are seconds."""
    if isinstance(value, bool):
        raise Mismatch
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Mismatch
        value = int(value)
    if isinstance(value, str) and not value.strip():
        return 0
    if not isinstance(value, (int, str)):
        raise Mismatch
    try:
        return parse_duration(value)
    except ValueError:
        raise Mismatch from None


def _to_str_list(value: object) -> list[str]:
    if isinstance(value, list):
        items = [_to_str(v) for v in value]
    elif isinstance(value, str):
        items = value.split(",")
    else:
        items = [_to_str(value)]
    return [item.strip() for item in items if item.strip()]


def _to_str_slice(value: object) -> list[str]:
    """TypeStringSlice: a list of strings, or one string that is one item (never split on
    commas, which SQL statements are full of); "" is the empty list."""
    if value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise Mismatch


def _to_str_map(value: object) -> dict[str, str]:
    if value == "":  # what a form or the CLI sends for "no options"
        return {}
    if isinstance(value, dict):
        return {_to_str(k): _to_str(v) for k, v in value.items()}
    if not isinstance(value, list):
        raise Mismatch
    pairs = {}
    for item in value:  # TypeKVPairs' fallback: ["key=value", ...]
        key, sep, rest = _to_str(item).partition("=")
        if not sep or not key:
            raise Mismatch
        pairs[key] = rest
    return pairs


def _to_map(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise Mismatch
    return value


def _to_int_list(value: object) -> list[int]:
    if isinstance(value, str):
        value = value.split(",") if value else []
    if not isinstance(value, list):
        raise Mismatch
    return [_to_int(item) for item in value]


def _to_slice(value: object) -> list[object]:
    """TypeSlice: a list as it is; one value alone is a list of one (mapstructure's weak decode)."""
    return value if isinstance(value, list) else [value]


def _to_document(value: object) -> str | dict[str, object]:
    if isinstance(value, str | dict):
        return value
    raise Mismatch


CONVERSIONS: Mapping[FieldType, Callable[[object], object]] = {
    FieldType.STRING: _to_str,
    FieldType.INT: _to_int,
    FieldType.BOOL: _to_bool,
    FieldType.DURATION: _to_duration,
    FieldType.COMMA_STRING_LIST: _to_str_list,
    FieldType.KV_PAIRS: _to_str_map,
    FieldType.MAP: _to_map,
    FieldType.COMMA_INT_LIST: _to_int_list,
    FieldType.STRING_SLICE: _to_str_slice,
    FieldType.SLICE: _to_slice,
    FieldType.DOCUMENT: _to_document,
}
# Kinds whose list values are never unwrapped: lists, and a document (a body field only, so a
# list is a wrong type, not a query parameter's one value).
_LISTS = frozenset(
    {
        FieldType.COMMA_STRING_LIST,
        FieldType.KV_PAIRS,
        FieldType.COMMA_INT_LIST,
        FieldType.STRING_SLICE,
        FieldType.SLICE,
        FieldType.DOCUMENT,
    }
)


def convert(data: Mapping[str, Any], name: str, kind: FieldType, default: Any) -> Any:  # noqa: ANN401 - JSON
    """Field `name` of `data` as `kind`, or `default` when absent or JSON null (as Vault's
    FieldData). Raises BadRequest naming the field and type if it does not convert."""
    value = data.get(name)
    if value is None:
        return default
    if isinstance(value, list) and len(value) == 1 and kind not in _LISTS:
        value = value[0]  # query parameters arrive as lists
    try:
        return CONVERSIONS[kind](value)
    except Mismatch:
        raise BadRequest(f'error converting input for field "{name}": expected {kind}') from None
