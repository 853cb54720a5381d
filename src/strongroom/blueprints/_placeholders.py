"""`{{tenant}}` and `{{service}}`: finding, checking and filling a blueprint's placeholders.

A placeholder is `{{ name }}` (spaces trimmed, as Vault's identity templates). Values are
checked against NAME before they are spliced in: lower-case letters, digits and `-`, starting
with a letter or digit, at most 63 characters (a DNS label). So a filled-in value can add no
`/`, `.`, `*`, `+`, `{` or quote: it cannot climb out of a path, widen a glob or break the
policy text it lands in.
"""

from __future__ import annotations

import re

from strongroom.blueprints._errors import BlueprintError

__all__ = ["NAME", "canonical", "check_name", "fill", "names_in"]

NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_FILLED = frozenset({"tenant", "service"})
_SPACED = re.compile(r"\{\{\s*(tenant|service)\s*\}\}")
# Vault's own templated-policy names (policy/_templates.py): left for the ACL to fill.
_IDENTITY = "identity."


def check_name(value: object, what: str = "tenant") -> str:
    """`value` if it is a valid tenant or service name. Raises BlueprintError (naming `what`,
    never the value) otherwise."""
    if not isinstance(value, str) or not NAME.fullmatch(value):
        raise BlueprintError(
            f"invalid {what} name: use 1 to 63 lower-case letters, digits and '-', "
            "starting with a letter or digit"
        )
    return value


def names_in(text: str, where: str, *, identity: bool = False) -> frozenset[str]:
    """The placeholder names `text` uses ("tenant", "service"). Raises BlueprintError if a
    `{{` or `}}` is unbalanced, or a placeholder is another name (`identity.…` is allowed
    when `identity`, for policy text: the ACL fills those per token)."""
    found: set[str] = set()
    for match in _PLACEHOLDER.finditer(text):
        name = match.group(1).strip()
        if name in _FILLED:
            found.add(name)
        elif not (identity and name.startswith(_IDENTITY) and "{" not in name):
            raise BlueprintError.at(
                where, "only the {{tenant}} and {{service}} placeholders are allowed"
            )
    rest = _PLACEHOLDER.sub("", text)
    if "{{" in rest or "}}" in rest:
        raise BlueprintError.at(where, "unbalanced {{ or }}")
    return frozenset(found)


def canonical(text: str) -> str:
    """`text` with `{{ tenant }}` and `{{ service }}` written without spaces, so names that
    hold placeholders compare equal however they were spaced."""
    return _SPACED.sub(r"{{\1}}", text)


def fill(text: str, tenant: str, service: str | None) -> str:
    """`text` with `{{tenant}}` and `{{service}}` replaced. The caller checked both names
    with `check_name`. Raises BlueprintError if `{{service}}` is used without a service."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name == "tenant":
            return tenant
        if name == "service":
            if service is None:
                raise BlueprintError("{{service}} used outside the service templates")
            return service
        return match.group(0)

    return _PLACEHOLDER.sub(value, text)
