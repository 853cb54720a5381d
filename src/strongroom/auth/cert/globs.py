"""Vault's glob (github.com/ryanuber/go-glob, which the cert method's constraints use): `*`
matches any run of characters, the empty one too; every other character matches itself.
"""

from __future__ import annotations


def glob_match(pattern: str, subject: str) -> bool:
    """Whether `subject` matches `pattern` (go-glob's Glob, case-sensitive)."""
    if pattern == "*":
        return True
    parts = pattern.split("*")
    if len(parts) == 1:
        return subject == pattern
    first, *middle, last = parts
    if not subject.startswith(first):
        return False
    position = len(first)
    for part in middle:
        found = subject.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    # The last part must end the subject, after everything matched so far.
    return len(subject) - len(last) >= position and subject.endswith(last)


def any_match(patterns: tuple[str, ...], subjects: list[str]) -> bool:
    """Whether some subject matches some pattern (Vault's `matches*` helpers)."""
    return any(glob_match(p, s) for p in patterns for s in subjects)
