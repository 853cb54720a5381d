"""Blueprint text (HCL or JSON) to one plain document in the canonical JSON shape.

JSON is the canonical shape itself (`{"mounts": [...], "policies": {...}, ...}`), read with
duplicate keys refused. HCL is read with python-hcl2 (as `config/sources.py` reads server
configuration) and its blocks reshaped: `mount "secret" { … }` becomes an entry of `mounts`
with `path = "secret"`, `transit_key` / `approle_role` blocks entries of `transit_keys` /
`approle_roles` with their `name`, `policy "x" { text = … }` the member `x` of `policies`, and
the `service` and `token` blocks objects. HCL interpolation (`${…}`) has no meaning in a
blueprint and is refused. Parser messages are never passed on (they quote the source).

python-hcl2 8.1 escapes quotes and backslashes in the value of an indented heredoc
(`<<-EOT`), which policy text nearly always is. The document is therefore read a second time
with heredocs kept verbatim, and the values that came from `<<-` heredocs are unescaped.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import hcl2
from lark.exceptions import LarkError, UnexpectedInput

from strongroom.blueprints._errors import BlueprintError

__all__ = ["read_document"]

_MAX_TEXT = 256 * 1024
_OPTIONS: dict[str, Any] = {
    "with_comments": False,
    "explicit_blocks": False,  # blocks become lists of {label: body}
    "strip_string_quotes": True,
    "preserve_scientific_notation": False,
}
_VALUES = hcl2.SerializationOptions(preserve_heredocs=False, **_OPTIONS)
_VERBATIM = hcl2.SerializationOptions(preserve_heredocs=True, **_OPTIONS)
_UNESCAPE = re.compile(r'\\(["\\])')
# HCL block name -> (canonical list, the field its label fills)
_LABELLED = {
    "mount": ("mounts", "path"),
    "transit_key": ("transit_keys", "name"),
    "approle_role": ("approle_roles", "name"),
}
_NESTED = frozenset({"config", "options"})


def read_document(text: str) -> dict[str, Any]:
    """The blueprint `text` as a canonical-shaped document. JSON when it starts with `{`.

    Raises BlueprintError if it cannot be read (with a line and column where known)."""
    if len(text) > _MAX_TEXT:
        raise BlueprintError(f"invalid blueprint: larger than {_MAX_TEXT // 1024} KiB")
    if text.lstrip().startswith("{"):
        document = _json(text)
        if not isinstance(document, dict):
            raise BlueprintError("invalid blueprint: the top level must be an object")
        return document
    return _from_hcl(_hcl(text))


def _json(text: str) -> object:
    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for key, value in pairs:
            if key in obj:
                raise BlueprintError(f"invalid blueprint: duplicate key {json.dumps(key)}")
            obj[key] = value
        return obj

    def finite(number: str) -> float:
        value = float(number)
        if not math.isfinite(value):
            raise BlueprintError("invalid blueprint: number out of range")
        return value

    def constant(_name: str) -> None:
        raise BlueprintError("invalid blueprint: NaN and Infinity are not JSON")

    try:
        return json.loads(
            text, object_pairs_hook=unique, parse_float=finite, parse_constant=constant
        )
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise BlueprintError(f"invalid blueprint: invalid JSON at {where}") from None
    except RecursionError:
        raise BlueprintError("invalid blueprint: nesting too deep") from None


def _hcl(text: str) -> dict[str, Any]:
    try:
        values = hcl2.loads(text, serialization_options=_VALUES)
        verbatim = hcl2.loads(text, serialization_options=_VERBATIM)
    except UnexpectedInput as exc:
        where = f"line {exc.line}, column {exc.column}"
        raise BlueprintError(f"invalid blueprint: invalid HCL at {where}") from None
    except (LarkError, ValueError, RuntimeError, RecursionError):
        raise BlueprintError("invalid blueprint: invalid HCL") from None
    merged = _merge(values, verbatim, "")
    if not isinstance(merged, dict):  # pragma: no cover - python-hcl2 always answers a dict
        raise BlueprintError("invalid blueprint: the top level must be an object")
    return merged


def _merge(value: object, verbatim: object, where: str) -> object:
    """`value` with indented heredocs unescaped (see the module docstring), interpolation
    refused."""
    if isinstance(value, dict) and isinstance(verbatim, dict):
        return {k: _merge(v, verbatim.get(k), f"{where}.{k}".lstrip(".")) for k, v in value.items()}
    if isinstance(value, list) and isinstance(verbatim, list) and len(value) == len(verbatim):
        return [_merge(v, r, where) for v, r in zip(value, verbatim, strict=True)]
    if isinstance(value, str):
        if isinstance(verbatim, str) and verbatim != value and verbatim.startswith("<<-"):
            value = _UNESCAPE.sub(r"\1", value)
        if "${" in value:
            raise BlueprintError.at(where, "HCL interpolation (${...}) is not supported")
    return value


def _from_hcl(document: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in document.items():
        if key == "description":
            out[key] = value
        elif key in _LABELLED:
            plural, field = _LABELLED[key]
            out[plural] = [
                {field: name, **_unblock_nested(body, f"{plural}[{json.dumps(name)}]")}
                for name, body in _labelled(value, key)
            ]
        elif key == "policy":
            out["policies"] = _policies(value)
        elif key in ("service", "token"):
            out[key] = _unblock(value, key)
        else:
            raise BlueprintError.at("", f"unknown key {json.dumps(key)}")
    return out


def _labelled(value: object, key: str) -> list[tuple[str, dict[str, Any]]]:
    """(label, body) of each `key "<label>" { … }` block."""
    blocks: list[tuple[str, dict[str, Any]]] = []
    for item in value if isinstance(value, list) else [value]:
        if not isinstance(item, dict):
            raise BlueprintError.at(key, f'expected blocks such as {key} "<name>" {{ ... }}')
        for label, body in item.items():
            if not isinstance(body, dict):
                raise BlueprintError.at(key, f'expected blocks such as {key} "<name>" {{ ... }}')
            blocks.append((label, body))
    return blocks


def _unblock(value: object, key: str) -> object:
    """A `key { … }` block (python-hcl2: a list of one object) or `key = { … }` as one object."""
    if isinstance(value, list):
        if len(value) != 1:
            raise BlueprintError.at(key, "expected one block")
        return value[0]
    return value


def _unblock_nested(body: dict[str, Any], where: str) -> dict[str, Any]:
    return {k: _unblock(v, f"{where}.{k}") if k in _NESTED else v for k, v in body.items()}


def _policies(value: object) -> dict[str, Any]:
    policies: dict[str, Any] = {}
    for name, body in _labelled(value, "policy"):
        where = f"policies[{json.dumps(name)}]"
        if name in policies:
            raise BlueprintError.at(where, "defined twice")
        unknown = sorted(set(body) - {"text"})
        if unknown:
            raise BlueprintError.at(where, f"unknown key {json.dumps(unknown[0])}")
        if "text" not in body:
            raise BlueprintError.at(where, 'missing "text"')
        policies[name] = body["text"]
    return policies
