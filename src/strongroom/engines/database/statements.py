"""Rendering Vault's statement templates for PostgreSQL, quoted by where each variable sits.

Vault substitutes `{{name}}`, `{{username}}`, `{{password}}` and `{{expiration}}` as raw text,
so a value holding a quote can break out of the statement. Here the statement is scanned as SQL
and each variable is quoted for its context:

    inside "..."   the value with `"` doubled             CREATE ROLE "{{name}}"
    inside '...'   the value with `'` doubled (and `\\` in E'...')   PASSWORD '{{password}}'
    bare           a complete identifier ("..."), or a complete literal ('...') for the others
    in a comment   left as written

Unknown `{{...}}` are left alone, as in Vault. Values must not hold NUL (PostgreSQL cannot).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

IDENTIFIERS = frozenset({"name", "username"})
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# One lexical piece of SQL at a time; an unterminated literal runs to the end of the text, as
# the server would read it. PostgreSQL nests block comments; a nested one only ends sooner here,
# which leaves more text in "code", where every value is quoted whole.
_PIECE = re.compile(
    r"""(?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))
    |(?P<estring>(?<![\w$])[eE]'(?:[^'\\]|\\.|'')*(?:'|\Z))
    |(?P<string>'(?:[^']|'')*(?:'|\Z))
    |(?P<ident>"(?:[^"]|"")*(?:"|\Z))
    |(?P<placeholder>\{\{\w+\}\})
    |(?P<code>[^'"{/eE-]+|.)""",
    re.DOTALL | re.VERBOSE,
)


def quote_identifier(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    if "\\" in value:  # an E'' string reads backslashes the same whatever the server settings
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
    return "'" + value.replace("'", "''") + "'"


def render(statement: str, values: Mapping[str, str]) -> str:
    """`statement` with each known `{{key}}` replaced by `values[key]`, quoted for where it is.
    Raises ValueError if a value holds NUL."""
    if any("\x00" in value for value in values.values()):
        raise ValueError("statement values must not contain NUL")
    return "".join(_piece(match, values) for match in _PIECE.finditer(statement))


def _piece(match: re.Match[str], values: Mapping[str, str]) -> str:
    text, kind = match.group(), match.lastgroup

    def inside(escape: Callable[[str], str]) -> str:
        def one(found: re.Match[str]) -> str:
            key = found.group(1)
            return escape(values[key]) if key in values else found.group()

        return _PLACEHOLDER.sub(one, text)

    if kind == "estring":
        return inside(lambda v: v.replace("\\", "\\\\").replace("'", "''"))
    if kind == "string":
        return inside(lambda v: v.replace("'", "''"))
    if kind == "ident":
        return inside(lambda v: v.replace('"', '""'))
    if kind == "placeholder":
        key = text[2:-2]
        if key in values:
            value = values[key]
            return quote_identifier(value) if key in IDENTIFIERS else quote_literal(value)
    return text  # code and comments stay as written
