"""The route-table helpers: Vault's generic name pattern, as every engine's paths use it."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from strongroom.core.routes import GENERIC_NAME, named

PUNCTUATION = "-.@"


def _is_generic_name(text: str) -> bool:
    """Vault's GenericNameWithAtRegex, spelled out: word characters, and `-`, `.`, `@` only
    between two of them."""
    words = [c.isalnum() or c == "_" for c in text]
    inner = all(ok or c in PUNCTUATION for c, ok in zip(text, words, strict=True))
    return bool(text) and words[0] and words[-1] and inner


@given(st.text(alphabet=st.sampled_from("aZ09_-.@/ é\n"), max_size=8))
def test_the_pattern_accepts_exactly_vaults_names(text: str) -> None:
    assert (re.fullmatch(GENERIC_NAME, text) is not None) == _is_generic_name(text)


def test_named_captures_the_name_as_a_route_parameter() -> None:
    match = re.fullmatch(f"keys/{named('name')}", "keys/my-key.v2@team")
    assert match is not None
    assert match.groupdict() == {"name": "my-key.v2@team"}
    assert re.fullmatch(f"keys/{named('name')}", "keys/a/b") is None
