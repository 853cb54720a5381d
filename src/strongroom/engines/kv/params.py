"""Reading KV request fields: Vault's names, Vault's error texts, never echoing a value.

Vault's own messages sometimes repeat the offending key of `custom_metadata`; ours name only
the rule, since a key name may itself be sensitive.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strongroom.core.fields import get_int, get_str
from strongroom.errors import BadRequest, NotFound

# Vault's kv-v2 custom_metadata limits ("Create/Update metadata" API docs).
MAX_CUSTOM_KEYS = 64
MAX_CUSTOM_KEY_BYTES = 128
MAX_CUSTOM_VALUE_BYTES = 512


def writable_key(params: Mapping[str, str]) -> str:
    """The secret's path for a write. Raises BadRequest for a folder (empty or ending in /)."""
    key = params.get("path", "")
    if not key or key.endswith("/"):
        raise BadRequest("cannot write to a path ending in '/'")
    return key


def readable_key(params: Mapping[str, str]) -> str:
    """The secret's path for a read. Raises NotFound for a folder, which holds no secret."""
    key = params.get("path", "")
    if not key or key.endswith("/"):
        raise NotFound
    return key


def data_field(body: Mapping[str, Any]) -> dict[str, Any]:
    value = body.get("data")
    if value is None:
        raise BadRequest("no data provided")
    if not isinstance(value, dict):
        raise BadRequest('error converting input for field "data": expected map')
    return value


def cas(body: Mapping[str, Any]) -> int | None:
    """`options.cas` as an int, or None when absent. Vault accepts a number or a numeric string."""
    options = body.get("options")
    if options is None:
        return None
    if not isinstance(options, dict):
        raise BadRequest('error converting input for field "options": expected map')
    value = options.get("cas")
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    raise BadRequest("error parsing check-and-set parameter")


def versions(body: Mapping[str, Any]) -> list[int]:
    """`versions`: a list of ints (or numeric strings), or one comma-separated string."""
    raw = body.get("versions")
    items = raw.split(",") if isinstance(raw, str) else raw
    if items is None or items == [""]:
        items = []
    if not isinstance(items, list):
        raise BadRequest('error converting input for field "versions": expected list of int')
    try:
        numbers = [get_int({"v": item}, "v") for item in items]
    except BadRequest:
        raise BadRequest(
            'error converting input for field "versions": expected list of int'
        ) from None
    if not numbers:
        raise BadRequest("No version number provided")
    return numbers


def version(body: Mapping[str, Any]) -> int:
    return get_int(body, "version")


def non_negative(body: Mapping[str, Any], name: str) -> int:
    value = get_int(body, name)
    if value < 0:
        raise BadRequest(f'error converting input for field "{name}": cannot be negative')
    return value


def custom_metadata(value: Any) -> dict[str, str] | None:  # noqa: ANN401 - raw JSON input
    """A validated `custom_metadata` map; an empty map or null clears it (None).

    Numbers are accepted and kept as their decimal text, as Vault's weakly typed decoding does.
    """
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadRequest('error converting input for field "custom_metadata": expected map')
    result: dict[str, str] = {}
    for key, raw in value.items():
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise BadRequest(
                'error converting input for field "custom_metadata": expected map of strings'
            )
        result[key] = raw if isinstance(raw, str) else str(raw)
    check_custom_metadata(result)
    return result or None


def check_custom_metadata(value: Mapping[str, str]) -> None:
    """Raises BadRequest if `value` breaks Vault's limits on count and sizes."""
    if len(value) > MAX_CUSTOM_KEYS:
        raise BadRequest(
            f"custom_metadata validation failed: payload must contain at most "
            f"{MAX_CUSTOM_KEYS} keys, provided {len(value)}"
        )
    for key, item in value.items():
        size = len(key.encode())
        if not 0 < size <= MAX_CUSTOM_KEY_BYTES:
            raise BadRequest(
                f"custom_metadata validation failed: length of key is {size} "
                f"but must be 0 < len(key) <= {MAX_CUSTOM_KEY_BYTES}"
            )
        size = len(item.encode())
        if not 0 < size <= MAX_CUSTOM_VALUE_BYTES:
            raise BadRequest(
                f"custom_metadata validation failed: length of value is {size} "
                f"but must be 0 < len(value) <= {MAX_CUSTOM_VALUE_BYTES}"
            )


def list_window(body: Mapping[str, Any]) -> tuple[str | None, int | None]:
    """OpenBao's LIST pagination: `after` (exclusive) and `limit` (<= 0 means no limit)."""
    after = get_str(body, "after") or None
    limit = get_int(body, "limit")
    return after, (limit if limit > 0 else None)


def depth(body: Mapping[str, Any]) -> int:
    value = get_int(body, "depth")
    if value < 0:
        raise BadRequest("depth must be a non-negative integer")
    return value
