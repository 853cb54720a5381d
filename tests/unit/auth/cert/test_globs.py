"""Vault's glob (go-glob): `*` matches any run, the empty one too; nothing else is special."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from strongroom.auth.cert.globs import glob_match

ALPHABET = st.sampled_from("ab.*?[]-@")
PATTERNS = st.text(ALPHABET, max_size=8)
SUBJECTS = st.text(st.sampled_from("ab.?[]-@"), max_size=10)


def reference(pattern: str, subject: str) -> bool:
    """The same language as a regular expression: each `*` is `.*`, the rest literal."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, subject, re.DOTALL) is not None


@given(PATTERNS, SUBJECTS)
def test_glob_matches_exactly_the_regular_language(pattern: str, subject: str) -> None:
    assert glob_match(pattern, subject) == reference(pattern, subject)


@given(SUBJECTS)
def test_a_pattern_without_a_star_is_equality(subject: str) -> None:
    assert glob_match(subject, subject)
    assert not glob_match(subject + "a", subject)


def test_vaults_examples() -> None:
    assert glob_match("*.example.com", "a.example.com")
    assert not glob_match("*.example.com", "example.com")
    assert glob_match("*", "")
    assert glob_match("a*a", "aa")
    assert not glob_match("a*a", "a")
    assert glob_match("?", "?")  # only `*` is special
    assert not glob_match("?", "x")
