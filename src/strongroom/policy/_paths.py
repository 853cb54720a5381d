"""Policy path strings: which kind of rule a path is, and its `{{identity…}}` placeholders.

Classification follows `parsePaths` in vault/policy.go: a path is a *segment-wildcard* pattern
when it is `+`, starts with `+/` or contains `/+`; otherwise a trailing `*` makes it a *prefix*
(glob) rule; anything else is *exact*. A `*` anywhere but last is an ordinary character.

Placeholders follow sdk/helper/identitytpl `PopulateString` (ACL mode): `{{ name }}` with the
name trimmed; a `}}` before the first `{{`, or a piece without exactly one `}}`, is unbalanced.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["TemplateError", "fill_templates", "has_templates", "is_segment_pattern"]


class TemplateError(ValueError):
    """Unbalanced `{{` / `}}`, or a placeholder that cannot be filled."""


def is_segment_pattern(path: str) -> bool:
    """True for paths with `+` segment wildcards (vault/policy.go `HasSegmentWildcards`)."""
    return path == "+" or path.startswith("+/") or "/+" in path


def has_templates(path: str) -> bool:
    """True if `path` holds placeholders. Raises TemplateError if they are unbalanced."""
    pieces = path.split("{{")
    if "}}" in pieces[0]:
        raise TemplateError("unbalanced templating characters")
    if any(piece.count("}}") != 1 for piece in pieces[1:]):
        raise TemplateError("unbalanced templating characters")
    return len(pieces) > 1


def fill_templates(path: str, identity: Mapping[str, str]) -> str:
    """`path` with each placeholder replaced by `identity[name]`.

    Raises TemplateError, as identitytpl does, when a name is missing, when an id or name is
    empty (metadata may be empty: Vault returns a present-but-empty metadata value), or when a
    value holds `*` or `+` (`ErrTemplatedWildcard`: a value must not widen the path). A value
    holding `{{` or `}}` is refused too, so the filled path reads back without placeholders.
    """
    pieces = path.split("{{")
    out = [pieces[0]]
    for piece in pieces[1:]:
        name, rest = piece.split("}}")
        name = name.strip()
        value = identity.get(name)
        if value is None or (not value and "metadata." not in name):
            raise TemplateError("no value could be found for one of the template directives")
        if any(mark in value for mark in ("*", "+", "{{", "}}")):
            raise TemplateError("globs and wildcards are not allowed in template result")
        out += (value, rest)
    return "".join(out)
