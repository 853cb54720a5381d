"""Password policies: every generated password satisfies its policy, documents round-trip,
and every way a document can be wrong is a PasswordPolicyError (a ValueError) with a message
that says why without quoting the document."""

from __future__ import annotations

import contextlib
import string
from collections import Counter

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from strongroom.passwords import (
    DEFAULT_POLICY,
    MAX_LENGTH,
    MIN_LENGTH,
    CharsetRule,
    PasswordPolicy,
    PasswordPolicyError,
    default_password,
    generate,
    parse_policy,
    render_policy,
)

PRINTABLE = st.characters(
    exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"),
) | st.just(" ")


@st.composite
def policies(draw: st.DrawFn) -> PasswordPolicy:
    length = draw(st.integers(MIN_LENGTH, MAX_LENGTH))
    count = draw(st.integers(1, 5))
    budget, rules = length, []
    for _ in range(count):
        charset = draw(st.text(PRINTABLE, min_size=1, max_size=30))
        minimum = draw(st.integers(0, min(budget, 10)))
        budget -= minimum
        rules.append(CharsetRule(charset, minimum))
    return PasswordPolicy(length, tuple(rules))


@settings(max_examples=300)
@given(policies())
def test_every_generated_password_satisfies_its_policy(policy: PasswordPolicy) -> None:
    password = generate(policy)
    assert policy.accepts(password)
    assert len(password) == policy.length
    for rule in policy.rules:
        assert rule.count(password) >= rule.min_chars


@settings(max_examples=300)
@given(policies())
@example(PasswordPolicy(length=4, rules=(CharsetRule(charset="${%{", min_chars=0),)))
def test_documents_round_trip(policy: PasswordPolicy) -> None:
    assert parse_policy(render_policy(policy)) == policy


@given(st.text(max_size=200))
def test_any_text_is_a_policy_or_a_policy_error(text: str) -> None:
    assert issubclass(PasswordPolicyError, ValueError)
    with contextlib.suppress(PasswordPolicyError):
        parse_policy(text)


async def test_the_default_policy_is_vaults() -> None:
    assert DEFAULT_POLICY.length == 20
    assert DEFAULT_POLICY.charset == "".join(sorted(string.ascii_letters + string.digits + "-"))
    for _ in range(50):
        assert DEFAULT_POLICY.accepts(await default_password())


def test_free_positions_draw_uniformly_from_the_union() -> None:
    """A policy without minimums: each of 4 characters about equally often (chi-squared)."""
    policy = parse_policy('length = 100\nrule "charset" { charset = "abcd" }')
    counts = Counter("".join(generate(policy) for _ in range(200)))
    expected = 200 * 100 / 4
    chi2 = sum((counts[c] - expected) ** 2 / expected for c in "abcd")
    assert chi2 < 16.27  # p = 0.001 with 3 degrees of freedom


def test_a_vault_document_with_escapes_and_weak_numbers() -> None:
    text = """
    # a comment
    length = "8"
    rule "charset" {
      charset = "!\\"#\\\\\\u00e9"
      min-chars = "2"
    }
    rule "charset" {
      charset = "abc"
    }
    """
    policy = parse_policy(text)
    assert policy == PasswordPolicy(8, (CharsetRule('!"#\\é', 2), CharsetRule("abc", 0)))


def test_json_documents() -> None:
    text = '{"length": 10, "rule": {"charset": [{"charset": "ab", "min-chars": 1}]}}'
    assert parse_policy(text) == PasswordPolicy(10, (CharsetRule("ab", 1),))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty password policy"),
        ('rule "charset" { charset = "a" }', "length is required"),
        ('length = 3\nrule "charset" { charset = "a" }', "between 4 and 100"),
        ('length = 101\nrule "charset" { charset = "a" }', "between 4 and 100"),
        ("length = 10", 'at least one rule "charset"'),
        ('length = 10\nrule "charset" { charset = "" }', "non-empty"),
        ('length = 10\nrule "charset" { charset = "a\\tb" }', "printable"),
        ('length = 5\nrule "charset" {\n charset = "ab"\n min-chars = 6\n}', "require 6"),
        ('length = 5\nrule "charset" {\n charset = "ab"\n min-chars = -1\n}', "negative"),
        ('length = 5\nrule "upper" { charset = "ab" }', "unrecognized rule type"),
        ('length = 5\nrule "charset" {\n charset = "ab"\n max = 1\n}', "unknown key"),
        ('length = 5\ncolour = "blue"\nrule "charset" { charset = "ab" }', "unknown key"),
        ('length = 5\nrule "charset" { charset = "a\\qb" }', "invalid escape"),
        ('length = 5\nrule "charset" { min-chars = 1 }', "requires a charset"),
        ("length = 2.5", "must be an integer"),
        ("length = {{", "syntax"),
        ('{"length": }', "JSON"),
    ],
)
def test_bad_documents(text: str, message: str) -> None:
    with pytest.raises(PasswordPolicyError, match=message):
        parse_policy(text)


def test_the_union_is_limited_to_256_characters() -> None:
    charset = "".join(chr(0x100 + i) for i in range(257))
    with pytest.raises(PasswordPolicyError, match="256"):
        PasswordPolicy(10, (CharsetRule(charset),))
