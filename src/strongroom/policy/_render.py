"""`render_policy`: a `Policy` as canonical HCL that `parse_policy` reads back to an equal one.

One `path` block per rule in rule order; capabilities in Vault's documented order; parameter
maps sorted by name; TTLs in Vault's duration syntax. Strings are quoted with the escapes the
HCL1 reader (`_hcl.py`) understands, so any path or value survives the round trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strongroom.config import render_duration
from strongroom.policy._model import CAPABILITY_ORDER, PathRule, Policy

__all__ = ["quote", "render_policy"]

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def render_policy(policy: Policy) -> str:
    """Canonical HCL for `policy` (its name is not part of the text, as in Vault)."""
    return "\n".join(_block(rule) for rule in policy.rules)


def quote(text: str) -> str:
    """`text` as an HCL string literal; other control characters become \\u escapes."""
    out = ['"']
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char < " " or char == "\x7f":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _block(rule: PathRule) -> str:
    names = [name for name in CAPABILITY_ORDER if name in rule.capabilities]
    lines = [f"path {quote(rule.path)} {{", f"  capabilities = {_value(names)}"]
    for key, params in (
        ("allowed_parameters", rule.allowed_parameters),
        ("denied_parameters", rule.denied_parameters),
    ):
        if params:
            lines += _parameters(key, params)
    if rule.required_parameters:
        lines.append(f"  required_parameters = {_value(list(rule.required_parameters))}")
    for key, seconds in (
        ("min_wrapping_ttl", rule.min_wrapping_ttl),
        ("max_wrapping_ttl", rule.max_wrapping_ttl),
    ):
        if seconds:
            lines.append(f"  {key} = {quote(render_duration(seconds))}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _parameters(key: str, params: Mapping[str, tuple[Any, ...]]) -> list[str]:
    body = [f"    {quote(name)} = {_value(list(params[name]))}" for name in sorted(params)]
    return [f"  {key} = {{", *body, "  }"]


def _value(value: Any) -> str:  # noqa: ANN401 (parameter values are JSON-like data)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(element) for element in value) + "]"
    if isinstance(value, Mapping):
        pairs = ", ".join(f"{quote(str(k))} = {_value(v)}" for k, v in value.items())
        return "{" + pairs + "}"
    raise TypeError("a parameter value must be JSON-like data")
