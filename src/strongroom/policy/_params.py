"""Parameter constraints at check time: `required_parameters`, `denied_parameters`,
`allowed_parameters`, exactly as `AllowOperation` in vault/acl.go applies them.

Order and rules (vault/acl.go, and the docs' "Parameter constraints" section):
1. every required name (lower-cased) must be a key of the request data;
2. no data at all -> allowed;
3. denied `*` -> refused; a data key (lower-cased) listed as denied is refused when its value
   matches the denied values (an empty list matches everything);
4. no allowed map, or only `*` -> allowed; otherwise every data key must be listed (or `*` be
   present) and a listed key's value must match its allowed values.

Value matching (`valueInParameterList` and the Vault 1.21 list rules, the default since then):
strings match with a leading and/or trailing `*` glob (`strutil.GlobbedStringsMatch`; a lone
`*` matches only itself); anything else by deep equality (a bool never equals a number). A list
value, or a string read as a comma-separated list (`parseutil.ParseCommaStringSlice`, so ""
is the empty list), is allowed when it matches as a whole or every element matches, and
denied when it matches as a whole or any element matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["parameter_refusal"]


def parameter_refusal(
    data: Mapping[str, Any],
    required: tuple[str, ...],
    allowed: Mapping[str, tuple[Any, ...]],
    denied: Mapping[str, tuple[Any, ...]],
) -> str | None:
    """Why `data` breaks the constraints (names only, never values), or None if it does not.
    `required` must already be lower-cased, as must the keys of `allowed` and `denied`."""
    for name in required:
        if name not in data:
            return f"required parameter {name!r} missing"
    if not data:
        return None
    return _denied_refusal(data, denied) or _allowed_refusal(data, allowed)


def _denied_refusal(data: Mapping[str, Any], denied: Mapping[str, tuple[Any, ...]]) -> str | None:
    if "*" in denied:
        return "all parameters are denied"
    for key, value in data.items():
        values = denied.get(key.lower())
        if values is not None and _denied(value, values):
            return f"parameter {key!r} has a denied value"
    return None


def _allowed_refusal(data: Mapping[str, Any], allowed: Mapping[str, tuple[Any, ...]]) -> str | None:
    allow_all = "*" in allowed
    if not allowed or (allow_all and len(allowed) == 1):
        return None
    for key, value in data.items():
        values = allowed.get(key.lower())
        if values is None:
            if not allow_all:
                return f"parameter {key!r} is not allowed"
        elif not _allowed(value, values):
            return f"parameter {key!r} has a value that is not allowed"
    return None


def _allowed(value: Any, values: tuple[Any, ...]) -> bool:  # noqa: ANN401
    if not values or _listed(value, values):
        return True
    elements = _elements(value)
    return elements is not None and all(_listed(element, values) for element in elements)


def _denied(value: Any, values: tuple[Any, ...]) -> bool:  # noqa: ANN401
    if not values or _listed(value, values):
        return True
    elements = _elements(value)
    return elements is not None and any(_listed(element, values) for element in elements)


def _elements(value: Any) -> list[Any] | None:  # noqa: ANN401
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        return [] if value == "" else [part.strip() for part in value.split(",")]
    return None


def _listed(value: Any, values: tuple[Any, ...]) -> bool:  # noqa: ANN401
    for item in values:
        if isinstance(item, str):
            if isinstance(value, str) and _glob(item, value):
                return True
        elif _equal(item, value):
            return True
    return False


def _glob(pattern: str, value: str) -> bool:
    """go-secure-stdlib strutil.GlobbedStringsMatch."""
    if len(pattern) < 2:
        return value == pattern
    prefix, suffix = pattern.startswith("*"), pattern.endswith("*")
    if prefix and suffix:
        return pattern[1:-1] in value
    if prefix:
        return value.endswith(pattern[1:])
    if suffix:
        return value.startswith(pattern[:-1])
    return value == pattern


def _equal(left: Any, right: Any) -> bool:  # noqa: ANN401
    """reflect.DeepEqual over JSON-like data, without Python's True == 1."""
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(map(_equal, left, right))
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(_equal(left[k], right[k]) for k in left)
    if isinstance(left, list | tuple | Mapping) or isinstance(right, list | tuple | Mapping):
        return False
    return bool(left == right)
