"""Role templates: Vault's `identitytpl` in JSON mode, and the checks a role write makes.

A template is JSON text with `{{ directive }}` holes, each replaced by a JSON value
(sdk/helper/identitytpl/templating.go, as api-docs/secret/identity/tokens "Template" lists):

    identity.entity.id | name                       a string
    identity.entity.metadata                        an object of strings ({} when empty)
    identity.entity.metadata.<key>                  a string ("" when absent)
    identity.entity.groups.ids | groups.names       an array of strings (null when none, as Go's
                                                    nil slice marshals)
    identity.entity.aliases.<accessor>.id | name | metadata | metadata.<key>
        | custom_metadata | custom_metadata.<key>  that alias's, or an empty alias's when the
                                                    entity has none on that mount
    time.now | time.now.plus.<dur> | time.now.minus.<dur>   Unix seconds, a number

The rendered text must be a JSON object none of whose top-level keys is a claim the server
sets itself (`RESERVED`). Vault quotes strings with Go's strconv.Quote, which produces invalid
JSON for control characters; here strings are JSON-encoded, so such values round-trip.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from strongroom.engines.identity.oidc.directory import AliasFacts, EntityFacts
from strongroom.errors import BadRequest
from strongroom.logical import parse_duration

RESERVED = (
    "iat",
    "aud",
    "exp",
    "iss",
    "sub",
    "namespace",
    "nonce",
    "auth_time",
    "at_hash",
    "c_hash",
)
NOT_FOUND = "no value could be found for one of the template directives"
UNBALANCED = "unbalanced templating characters"
NO_GROUPS = "string contains groups template directives but no groups were provided"


class TemplateError(BadRequest):
    """A template that does not render; `public` is Vault's text after its prefix."""


@dataclass(frozen=True, slots=True)
class _Alias:
    id: str = ""
    mount_accessor: str = ""
    mount_type: str = ""
    name: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BlankEntity:
    """The entity a role write renders its template with (Vault's `new(logical.Entity)`)."""

    id: str = ""
    name: str = ""
    namespace_id: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)
    disabled: bool = False
    aliases: Sequence[AliasFacts] = ()
    group_ids: Sequence[str] = ()
    group_names: Sequence[str] = ()


def _json(value: str | Sequence[str] | Mapping[str, str]) -> str:
    if isinstance(value, str):
        return msgspec.json.encode(value).decode()
    if isinstance(value, Mapping):
        return msgspec.json.encode(dict(value)).decode()
    return msgspec.json.encode(list(value) or None).decode()


def _from_map(values: Mapping[str, str], key: str | None) -> str:
    return _json(dict(values) if key is None else values.get(key, ""))


def _selector(rest: str, prefix: str) -> tuple[bool, str | None]:
    """Whether `rest` is `prefix` or `prefix.<key>`, and the key."""
    if rest == prefix:
        return True, None
    if rest.startswith(prefix + "."):
        return True, rest[len(prefix) + 1 :]
    return False, None


def _alias(rest: str, alias: AliasFacts) -> str:
    if rest in ("id", "name"):
        return _json(alias.id if rest == "id" else alias.name)
    for prefix, values in (("metadata", alias.metadata), ("custom_metadata", {})):
        matched, key = _selector(rest, prefix)
        if matched:
            return _from_map(values, key)
    raise TemplateError(NOT_FOUND)


def _entity(rest: str, entity: EntityFacts) -> str:
    simple: dict[str, str | Sequence[str]] = {
        "id": entity.id,
        "name": entity.name,
        "groups.ids": entity.group_ids,
        "groups.names": entity.group_names,
    }
    if rest in simple:
        return _json(simple[rest])
    matched, key = _selector(rest, "metadata")
    if matched:
        return _from_map(entity.metadata, key)
    if rest.startswith("aliases."):
        accessor, dot, selector = rest.removeprefix("aliases.").partition(".")
        if not dot:
            raise TemplateError("invalid alias selector")
        found = next((a for a in entity.aliases if a.mount_accessor == accessor), _Alias())
        return _alias(selector, found)
    raise TemplateError(NOT_FOUND)


def _time(rest: str, now: float) -> str:
    parts = rest.split(".", 2)
    if parts[0] != "now":
        raise TemplateError("invalid time selector")
    if len(parts) == 2:
        raise TemplateError("missing time operand")
    result = int(now)
    if len(parts) == 3:
        try:
            offset = parse_duration(parts[2])
        except (ValueError, TypeError):
            raise TemplateError("invalid duration") from None
        if parts[1] not in ("plus", "minus"):
            raise TemplateError("invalid time operator")
        result += offset if parts[1] == "plus" else -offset
    return str(result)


def _directive(text: str, entity: EntityFacts, now: float) -> str:
    if text.startswith("identity.entity."):
        return _entity(text.removeprefix("identity.entity."), entity)
    if text.startswith("identity.groups."):
        raise TemplateError(NO_GROUPS)  # Vault's OIDC tokens carry no group objects
    if text.startswith("time."):
        return _time(text.removeprefix("time."), now)
    raise TemplateError(NOT_FOUND)


def populate(template: str, entity: EntityFacts, now: float) -> str:
    """`template` with every directive replaced. Raises TemplateError."""
    first, *pieces = template.split("{{")
    if "}}" in first:
        raise TemplateError(UNBALANCED)
    out = [first]
    for piece in pieces:
        parts = piece.split("}}")
        if len(parts) != 2:
            raise TemplateError(UNBALANCED)
        out += [_directive(parts[0].strip(), entity, now), parts[1]]
    return "".join(out)


def claims(template: str, entity: EntityFacts, now: float) -> dict[str, Any]:
    """The claims `template` renders to for `entity` at `now` (none for an empty template).

    Raises TemplateError (400) with Vault's prefixes if it does not render to a JSON object.
    """
    if not template:
        return {}
    try:
        text = populate(template, entity, now)
    except TemplateError as failed:
        raise TemplateError(f"error parsing template: {failed.public}") from None
    try:
        return msgspec.json.decode(text, type=dict[str, Any])
    except msgspec.DecodeError as failed:
        raise TemplateError(f"error parsing template JSON: {failed}") from None


def accepted(raw: str) -> str:
    """A role's or scope's `template` as stored: base64 is decoded (Vault accepts either form),
    then it is checked as a role write checks it. Raises TemplateError."""
    try:
        decoded = base64.b64decode(raw, validate=True).decode()
    except ValueError:  # not base64 (binascii.Error), not ASCII, or not UTF-8 inside
        decoded = raw
    template = decoded if raw else ""
    rendered = claims(template, BlankEntity(), 0.0)
    for key in RESERVED:
        if key in rendered:
            restricted = ", ".join(RESERVED)
            raise TemplateError(f'top level key "{key}" not allowed. Restricted keys: {restricted}')
    return template
