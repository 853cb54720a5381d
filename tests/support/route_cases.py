"""Concrete requests from route tables, for the tenant-isolation sweep.

`concrete(pattern, fill, keep)` turns a route's regular expression into one path it matches:
named groups take the value `fill` gives their name, optional parts are kept or dropped, a
character class or `.` becomes one letter. It knows the small regex subset the route tables use
(groups, `?`, `*`, `+`, lazy quantifiers, classes, escapes, alternation: the first branch).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_CLASS_LETTER = {"w": "x", "d": "1", "s": " "}


def _closing(pattern: str, start: int) -> int:
    """The index of the `)` that closes the `(` at `start`."""
    depth, i = 0, start
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = pattern.index("]", i + 2)
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("unbalanced route pattern")


def _atom(pattern: str, i: int, fill: Mapping[str, str], keep: bool) -> tuple[str, int]:
    """The text one atom at `i` stands for, and where the next atom starts."""
    ch = pattern[i]
    if ch == "(":
        end = _closing(pattern, i)
        inner = pattern[i + 1 : end]
        named = re.match(r"\?P<(\w+)>", inner)
        if named:
            body = inner[named.end() :]
            if named[1] not in fill and re.fullmatch(r"[\w/-]+(?:\|[\w/-]+)*", body):
                return body.split("|")[0], end + 1  # `(?P<table>auth)`: the literal itself
            return fill.get(named[1], "x"), end + 1
        return concrete(inner.removeprefix("?:"), fill, keep=keep), end + 1
    if ch == "[":
        return "x", pattern.index("]", i + 2) + 1
    if ch == "\\":
        return _CLASS_LETTER.get(pattern[i + 1], pattern[i + 1]), i + 2
    return ("x" if ch == "." else ch), i + 1


def concrete(pattern: str, fill: Mapping[str, str], *, keep: bool) -> str:
    """One path `pattern` matches (see the module docstring)."""
    out: list[str] = []
    i = 0
    while i < len(pattern) and pattern[i] != "|":
        piece, i = _atom(pattern, i, fill, keep)
        if i < len(pattern) and pattern[i] in "?*+":
            optional = pattern[i] != "+"
            i += 2 if pattern[i + 1 : i + 2] == "?" else 1
            if optional and not keep:
                piece = ""
        out.append(piece)
    return "".join(out)
