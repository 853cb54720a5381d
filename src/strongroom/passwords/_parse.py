"""Password policy documents: Vault's HCL (read with python-hcl2) or JSON, and back to HCL.

    length = 20
    rule "charset" {
      charset   = "abcdefghijklmnopqrstuvwxyz"
      min-chars = 1
    }

Vault reads these with HCL version 1 and decodes weakly (`"20"` is a number). python-hcl2 hands
strings back with their quotes and escapes as written, so `_unquote` applies HCL1's (Go's)
escapes itself; `${` stays literal text, as in HCL1. A document whose first non-space character
is `{` is JSON, as HCL1 would read it. Errors are `PasswordPolicyError` with a position at most,
never a fragment of the document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import hcl2

from strongroom.passwords._model import CharsetRule, PasswordPolicy, PasswordPolicyError

_ESCAPE = re.compile(
    r"\\(?:[abfnrtv\\\"']|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3})"
)
_SIMPLE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_RULE_KEYS = frozenset({"charset", "min-chars"})


def parse_policy(text: str) -> PasswordPolicy:
    """The policy in `text`. Raises PasswordPolicyError (a ValueError)."""
    if not isinstance(text, str) or not text.strip():
        raise PasswordPolicyError("empty password policy")
    document = _load_json(text) if text.lstrip().startswith("{") else _load_hcl(text)
    unknown = sorted(k for k in document if k not in ("length", "rule") and not k.startswith("__"))
    if unknown:
        raise PasswordPolicyError(f"unknown key {unknown[0]!r} in password policy")
    if "length" not in document:
        raise PasswordPolicyError("length is required")
    length = _integer(document["length"], "length")
    return PasswordPolicy(length, tuple(_rules(document.get("rule", []))))


def render_policy(policy: PasswordPolicy) -> str:
    """`policy` as HCL that `parse_policy` reads back to an equal policy."""
    blocks = [f"length = {policy.length}"]
    blocks.extend(
        f'rule "charset" {{\n  charset = "{_quote(rule.charset)}"\n'
        f"  min-chars = {rule.min_chars}\n}}"
        for rule in policy.rules
    )
    return "\n".join(blocks) + "\n"


def _load_hcl(text: str) -> dict[str, Any]:
    try:
        loaded = hcl2.loads(text)
    except Exception as exc:  # noqa: BLE001 - lark raises many types; all mean "bad syntax"
        line, column = getattr(exc, "line", None), getattr(exc, "column", None)
        where = f" at line {line}, column {column}" if line is not None else ""
        raise PasswordPolicyError(f"invalid password policy syntax{where}") from None
    if not isinstance(loaded, dict):
        raise PasswordPolicyError("invalid password policy syntax")
    return loaded


def _load_json(text: str) -> dict[str, Any]:
    try:
        loaded = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise PasswordPolicyError("invalid password policy JSON") from None
    if not isinstance(loaded, dict):
        raise PasswordPolicyError("invalid password policy JSON")
    return {k: _requote(v) for k, v in loaded.items()}


def _requote(value: Any) -> Any:  # noqa: ANN401 - JSON
    """JSON strings in the quoted form python-hcl2 returns, so both share one reader."""
    if isinstance(value, str):
        return '"' + _quote(value) + '"'
    if isinstance(value, list):
        return [_requote(v) for v in value]
    if isinstance(value, dict):
        return {k: _requote(v) for k, v in value.items()}
    return value


def _rules(raw: Any) -> list[CharsetRule]:  # noqa: ANN401 - parsed tree
    """Rules from `rule "charset" {...}` blocks (a list of {label: body}) or JSON's shapes."""
    blocks = raw if isinstance(raw, list) else [raw]
    rules: list[CharsetRule] = []
    for block in blocks:
        if not isinstance(block, Mapping):
            raise PasswordPolicyError("rule must be a block")
        for label, body in block.items():
            if str(label).startswith("__"):
                continue
            kind = label.strip('"')
            if kind != "charset":
                raise PasswordPolicyError("unrecognized rule type")
            bodies = body if isinstance(body, list) else [body]
            rules.extend(_charset_rule(one) for one in bodies)
    return rules


def _charset_rule(body: Any) -> CharsetRule:  # noqa: ANN401 - parsed tree
    if not isinstance(body, Mapping):
        raise PasswordPolicyError('rule "charset" must be a block')
    keys = {k for k in body if not str(k).startswith("__")}
    if keys - _RULE_KEYS:
        extra = min(keys - _RULE_KEYS).strip('"')
        raise PasswordPolicyError(f'unknown key {extra!r} in rule "charset"')
    if "charset" not in keys:
        raise PasswordPolicyError('rule "charset" requires a charset')
    charset = _string(body["charset"], "charset")
    return CharsetRule(charset, _integer(body.get("min-chars", 0), "min-chars"))


def _string(value: Any, name: str) -> str:  # noqa: ANN401 - parsed tree
    if not isinstance(value, str) or len(value) < 2 or value[0] != '"' or value[-1] != '"':
        raise PasswordPolicyError(f"{name} must be a quoted string")
    return _unquote(value[1:-1], name)


def _integer(value: Any, name: str) -> int:  # noqa: ANN401 - parsed tree
    """An integer, or a string of one (Vault decodes policies weakly)."""
    if isinstance(value, str):
        value = _string(value, name).strip()
        if re.fullmatch(r"-?[0-9]{1,9}", value):
            return int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        return value
    raise PasswordPolicyError(f"{name} must be an integer")


def _unquote(body: str, name: str) -> str:
    """HCL1's string escapes (Go's), applied to the text between the quotes."""
    out, pos = [], 0
    for match in _ESCAPE.finditer(body):
        out.append(body[pos : match.start()])
        out.append(_escaped(match.group()))
        pos = match.end()
    out.append(body[pos:])
    text = "".join(out)
    if "\\" in _ESCAPE.sub("", body):
        raise PasswordPolicyError(f"{name} contains an invalid escape sequence")
    return text


def _escaped(seq: str) -> str:
    code = seq[1:]
    if code in _SIMPLE:
        return _SIMPLE[code]
    if code[0] in "xuU":
        return chr(int(code[1:], 16))
    if code[0].isdigit():
        return chr(int(code, 8))
    return code  # \\ \" \'


def _quote(text: str) -> str:
    """`text` as the inside of an HCL string: backslash and quote escaped, and `%{` and `${`
    (template directive and interpolation to python-hcl2) written as `%\\u007b`/`$\\u007b`."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return escaped.replace("%{", "%\\u007b").replace("${", "$\\u007b")
