"""`parse_policy`: policy text (HCL or JSON) to a validated `Policy`, as `ParseACLPolicy` does.

Implements vault/policy.go `parseACLPolicyWithTemplating` and `parsePaths`: top-level keys
`name` (ignored: the store names policies) and `path`; per path the keys `comment`, `policy`
(the pre-0.5 `deny`/`read`/`write`/`sudo` shorthand), `capabilities`, `allowed_parameters`,
`denied_parameters`, `required_parameters`, `min_wrapping_ttl`, `max_wrapping_ttl`. A leading
`/` is dropped from a path; `+*` is refused; `deny` replaces every other capability and skips
the rest of the block. Parameter names are lower-cased. Vault Enterprise's `mfa_methods` and
`control_group` are refused rather than ignored, so no restriction is silently dropped.

Error messages name the problem and the path block by number, never the submitted text.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from strongroom.config import parse_duration
from strongroom.errors import BadRequest
from strongroom.policy._hcl import Item, Object, PolicySyntaxError, Value, load
from strongroom.policy._model import CAPABILITIES, PathRule, Policy
from strongroom.policy._paths import TemplateError, has_templates

__all__ = ["parse_policy"]

_FIELDS = frozenset(
    {
        "comment",
        "policy",
        "capabilities",
        "allowed_parameters",
        "denied_parameters",
        "required_parameters",
        "min_wrapping_ttl",
        "max_wrapping_ttl",
    }
)
_ENTERPRISE_FIELDS = frozenset({"mfa_methods", "control_group"})
# vault/policy.go: the pre-capabilities `policy = "…"` shorthand.
_OLD_POLICIES = {
    "read": ("read", "list"),
    "write": ("create", "read", "update", "delete", "list"),
    "sudo": ("create", "read", "update", "delete", "list", "sudo"),
}


def parse_policy(name: str, text: str) -> Policy:
    """The policy `text` as `name`. Raises BadRequest("failed to parse policy: …")."""
    try:
        root = load(text)
        rules = tuple(_rule(n, label, body) for n, (label, body) in enumerate(_blocks(root), 1))
    except PolicySyntaxError as exc:
        raise BadRequest(f"failed to parse policy: {exc}") from None
    return Policy(name=name, rules=rules, text=text)


def _blocks(root: Object) -> Iterator[tuple[str, Object]]:
    """(label, body) for every path block, in document order (HCL1's `list.Filter("path")`)."""
    for item in root.items:
        if item.keys == ("name",):
            continue
        if item.keys[0] != "path":
            raise PolicySyntaxError('invalid top-level key: only "name" and "path" are allowed')
        if len(item.keys) == 2:
            yield from _bodies(item.keys[1], item.value)
        elif len(item.keys) == 1:  # JSON's {"path": {"label": {…}}} or {"path": [{…}, …]}
            for group in item.value if isinstance(item.value, list) else [item.value]:
                if not isinstance(group, Object):
                    raise PolicySyntaxError('"path" must hold objects keyed by path')
                for inner in group.items:
                    yield from _bodies(_single_key(inner), inner.value)
        else:
            raise PolicySyntaxError("a path block takes exactly one label")


def _bodies(label: str, value: Value) -> Iterator[tuple[str, Object]]:
    for body in value if isinstance(value, list) else [value]:
        if not isinstance(body, Object):
            raise PolicySyntaxError("a path block must be an object")
        yield label, body


def _single_key(item: Item) -> str:
    if len(item.keys) != 1:
        raise PolicySyntaxError("unexpected block labels")
    return item.keys[0]


def _rule(number: int, label: str, body: Object) -> PathRule:
    where = f"path block {number}"
    try:
        return _decode_rule(label, _fields(body))
    except PolicySyntaxError as exc:
        raise PolicySyntaxError(f"{where}: {exc}") from None


def _fields(body: Object) -> dict[str, Value]:
    fields: dict[str, Value] = {}
    for item in body.items:
        key = _single_key(item)
        if key in _ENTERPRISE_FIELDS:
            raise PolicySyntaxError(f"{key} is not supported")
        if key not in _FIELDS:
            raise PolicySyntaxError("unknown key; valid keys are " + ", ".join(sorted(_FIELDS)))
        if key in fields:
            raise PolicySyntaxError(f"{key} is given twice")
        fields[key] = item.value
    return fields


def _decode_rule(label: str, fields: dict[str, Value]) -> PathRule:
    path = label.removeprefix("/")
    if "+*" in path:
        raise PolicySyntaxError("invalid use of wildcards ('+*' is forbidden)")
    try:
        has_templates(path)
    except TemplateError as exc:
        raise PolicySyntaxError(f"failed to validate policy templating: {exc}") from None
    capabilities = _capabilities(fields)
    if "deny" in capabilities:  # vault/policy.go: `goto PathFinished`, nothing else applies
        return PathRule(path, frozenset({"deny"}))
    rule = PathRule(
        path,
        capabilities,
        allowed_parameters=_parameters(fields.get("allowed_parameters"), "allowed_parameters"),
        denied_parameters=_parameters(fields.get("denied_parameters"), "denied_parameters"),
        required_parameters=_required(fields.get("required_parameters")),
        min_wrapping_ttl=_duration(fields.get("min_wrapping_ttl"), "min_wrapping_ttl"),
        max_wrapping_ttl=_duration(fields.get("max_wrapping_ttl"), "max_wrapping_ttl"),
    )
    if 0 < rule.max_wrapping_ttl < rule.min_wrapping_ttl:
        raise PolicySyntaxError("max_wrapping_ttl cannot be less than min_wrapping_ttl")
    return rule


def _capabilities(fields: dict[str, Value]) -> frozenset[str]:
    names = _strings(fields.get("capabilities", []), "capabilities")
    if "policy" in fields:
        old = fields["policy"]
        if old == "deny":
            names = ["deny"]
        elif isinstance(old, str) and old in _OLD_POLICIES:
            names += _OLD_POLICIES[old]
        else:
            raise PolicySyntaxError('invalid policy: use "deny", "read", "write" or "sudo"')
    if not set(names) <= CAPABILITIES:
        raise PolicySyntaxError(
            "invalid capability; valid capabilities are " + ", ".join(sorted(CAPABILITIES))
        )
    return frozenset(names)


def _strings(value: Value, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PolicySyntaxError(f"{key} must be a list of strings")
    return [item for item in value if isinstance(item, str)]


def _parameters(value: Value, key: str) -> dict[str, tuple[Any, ...]]:
    """vault/policy.go decodes these as map[string][]interface{} and checks each name with
    `validateParameter`: `*` alone is the only wildcard name."""
    if value is None:
        return {}
    groups = value if isinstance(value, list) else [value]
    objects = [group for group in groups if isinstance(group, Object)]
    if len(objects) != len(groups):
        raise PolicySyntaxError(f"{key} must be an object")
    params: dict[str, tuple[Any, ...]] = {}
    for group in objects:
        for item in group.items:
            name = _single_key(item)
            if "*" in name and name != "*":
                raise PolicySyntaxError(f"{key}: parameter names cannot contain non-tail wildcards")
            if name.lower() in params:
                raise PolicySyntaxError(f"{key}: a parameter is given twice")
            if not isinstance(item.value, list):
                raise PolicySyntaxError(f"{key}: each parameter takes a list of values")
            params[name.lower()] = tuple(_plain(element) for element in item.value)
    return params


def _plain(value: Value) -> Any:  # noqa: ANN401 (JSON-like values of any shape)
    """A parameter value as plain Python data: str, int, float, bool, list or dict."""
    if isinstance(value, list):
        return [_plain(element) for element in value]
    if isinstance(value, Object):
        out: dict[str, Any] = {}
        for item in value.items:
            key = _single_key(item)
            if key in out:
                raise PolicySyntaxError("a parameter value repeats a key")
            out[key] = _plain(item.value)
        return out
    if value is None:
        raise PolicySyntaxError("null is not a valid parameter value")
    if isinstance(value, float) and not math.isfinite(value):
        raise PolicySyntaxError("number out of range")
    return value


def _required(value: Value) -> tuple[str, ...]:
    if value is None:
        return ()
    names = _strings(value, "required_parameters")
    # vault/policy.go means to refuse wildcards here (`validateParameter(p, nil, false)`) but
    # validates the list before filling it; Strongroom applies the check it intends.
    if any("*" in name for name in names):
        raise PolicySyntaxError("required_parameters: wildcard is not permitted here")
    return tuple(names)


def _duration(value: Value, key: str) -> int:
    """go-secure-stdlib `parseutil.ParseDurationSecond`, whole seconds; "" and absent are 0."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise PolicySyntaxError(f"error parsing {key}: expected a duration")
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise PolicySyntaxError(f"error parsing {key}: {exc}") from None
