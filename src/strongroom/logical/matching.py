"""Glob matching as Vault's auth methods do it (ryanuber/go-glob, through strutil's
StrListContainsGlob): `*` matches any run of characters, nothing else is special."""

from __future__ import annotations

from collections.abc import Iterable


def glob_match(pattern: str, value: str) -> bool:
    """Whether `value` matches `pattern`, where `*` matches any run (the empty one too)."""
    parts = pattern.split("*")
    if len(parts) == 1:
        return value == pattern
    rest = value
    for i, part in enumerate(parts[:-1]):
        index = rest.find(part)
        if index < 0 or (i == 0 and index != 0):  # no leading `*`: must start the value
            return False
        rest = rest[index + len(part) :]
    return rest.endswith(parts[-1])


def any_glob(patterns: Iterable[str], value: str) -> bool:
    """StrListContainsGlob: whether any of `patterns` matches `value`."""
    return any(glob_match(pattern, value) for pattern in patterns)
