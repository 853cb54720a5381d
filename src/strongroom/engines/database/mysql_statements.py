"""Rendering Vault's statement templates for MySQL/MariaDB, quoted by where each value sits.

    inside '...' or "..."   backslash and the quote escaped     IDENTIFIED BY '{{password}}'
    inside `...`            backticks doubled                   GRANT ... TO `{{name}}`
    bare                    a complete `identifier` for names, a complete '...' string otherwise

MySQL strings read backslash escapes (unless NO_BACKSLASH_ESCAPES), so a value is escaped for
both, the way the client library's own escaping does. Unknown `{{...}}` are left as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

IDENTIFIERS = frozenset({"name", "username"})
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_PIECE = re.compile(
    r"""(?P<comment>(?:--\s|\#)[^\n]*|/\*.*?(?:\*/|\Z))
    |(?P<single>'(?:[^'\\]|\\.|'')*(?:'|\Z))
    |(?P<double>"(?:[^"\\]|\\.|"")*(?:"|\Z))
    |(?P<backtick>`(?:[^`]|``)*(?:`|\Z))
    |(?P<placeholder>\{\{\w+\}\})
    |(?P<code>[^'"`{/#-]+|.)""",
    re.DOTALL | re.VERBOSE,
)


def _in_string(value: str, quote: str) -> str:
    return value.replace("\\", "\\\\").replace(quote, "\\" + quote).replace("\x00", "\\0")


_ESCAPES: dict[str, Callable[[str], str]] = {
    "single": lambda v: _in_string(v, "'"),
    "double": lambda v: _in_string(v, '"'),
    "backtick": lambda v: v.replace("`", "``"),
}


def render(statement: str, values: Mapping[str, str]) -> str:
    """`statement` with each known `{{key}}` replaced by `values[key]`, quoted for its place."""
    return "".join(_piece(match, values) for match in _PIECE.finditer(statement))


def _piece(match: re.Match[str], values: Mapping[str, str]) -> str:
    text, kind = match.group(), match.lastgroup
    escape = _ESCAPES.get(kind or "")
    if escape is not None:
        return _PLACEHOLDER.sub(
            lambda found: (
                escape(values[found.group(1)]) if found.group(1) in values else found.group()
            ),
            text,
        )
    if kind == "placeholder":
        key = text[2:-2]
        if key in values:
            value = values[key]
            if key in IDENTIFIERS:
                return "`" + value.replace("`", "``") + "`"
            return "'" + _in_string(value, "'") + "'"
    return text
