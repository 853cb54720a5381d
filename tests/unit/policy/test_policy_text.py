"""parse_policy / render_policy: Vault's HCL1 and JSON policy documents, errors, round trips."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.errors import BadRequest
from strongroom.policy import DEFAULT_POLICY, PathRule, Policy, parse_policy, render_policy

# The docs' "more detailed policy" (Policy syntax), plus every other field.
DOCS_POLICY = """
# This section grants all access on "secret/*".
path "secret/*" {
  capabilities = ["create", "read", "update", "patch", "delete", "list"]
}

// Even though we allowed secret/*, this line explicitly denies secret/super-secret.
path "secret/super-secret" {
  capabilities = ["deny"]
  min_wrapping_ttl = "not even parsed under deny"
}

/* Policies can also specify allowed, disallowed, and required parameters. */
path "/secret/restricted" {
  capabilities = ["create"]
  allowed_parameters = {
    "foo" = []
    "Bar" = ["zip", "zap"]
  }
  denied_parameters = { "nested" = [["a", 1], {"k" = true}, -2.5e3] }
  required_parameters = ["foo"]
  min_wrapping_ttl = "1s"
  max_wrapping_ttl = 90
}
"""

EXPECTED = (
    PathRule("secret/*", frozenset({"create", "read", "update", "patch", "delete", "list"})),
    PathRule("secret/super-secret", frozenset({"deny"})),
    PathRule(
        "secret/restricted",
        frozenset({"create"}),
        allowed_parameters={"foo": (), "bar": ("zip", "zap")},
        denied_parameters={"nested": (["a", 1], {"k": True}, -2500.0)},
        required_parameters=("foo",),
        min_wrapping_ttl=1,
        max_wrapping_ttl=90,
    ),
)


def test_docs_policy() -> None:
    policy = parse_policy("docs", DOCS_POLICY)
    assert policy == Policy("docs", EXPECTED)
    assert policy.text == DOCS_POLICY


def test_json_policy_is_the_same_policy() -> None:
    document = {
        "path": {
            "secret/*": {"capabilities": ["create", "read", "update", "patch", "delete", "list"]},
            "secret/super-secret": {"capabilities": ["deny"]},
            "/secret/restricted": {
                "capabilities": ["create"],
                "allowed_parameters": {"foo": [], "Bar": ["zip", "zap"]},
                "denied_parameters": {"nested": [["a", 1], {"k": True}, -2500.0]},
                "required_parameters": ["foo"],
                "min_wrapping_ttl": "1s",
                "max_wrapping_ttl": 90,
            },
        }
    }
    assert parse_policy("docs", json.dumps(document)).rules == EXPECTED
    as_list = {"path": [{label: body} for label, body in document["path"].items()]}
    assert parse_policy("docs", json.dumps(as_list)).rules == EXPECTED


def test_hcl1_forms_vault_accepts() -> None:
    text = r"""
    name = "ignored, as Vault's store names the policy"
    path "a" { policy = "write", capabilities = ["sudo",] }
    path "b" { policy = "read" }
    path "c" { policy = "deny"
               capabilities = ["read"] }
    path "d" {
      comment = "free text"
      allowed_parameters { "x" = [1, true, "\"q\"\t\u00e9\U0001F600"] }
    }
    """
    rules = parse_policy("p", text).rules
    assert rules[0].capabilities == {"create", "read", "update", "delete", "list", "sudo"}
    assert rules[1].capabilities == {"read", "list"}
    assert rules[2].capabilities == {"deny"}
    assert rules[3].allowed_parameters == {"x": (1, True, '"q"\t\u00e9\U0001f600')}


def test_identical_paths_stay_separate_rules() -> None:
    text = 'path "a" { capabilities = ["read"] }\npath "a" { capabilities = ["list"] }'
    assert [r.capabilities for r in parse_policy("p", text).rules] == [{"read"}, {"list"}]


def test_empty_policy() -> None:
    assert parse_policy("p", "").rules == ()
    assert parse_policy("p", "# nothing\n").rules == ()
    assert parse_policy("p", "{}").rules == ()


CANARY = "s3cr3t-canary"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (f'path "a" {{ capabilities = ["{CANARY}"] }}', "invalid capability"),
        (f'path "a" {{ capabilities = [{CANARY}] }}', "expected a string"),
        (f'path "{CANARY}+*" {{ capabilities = ["read"] }}', "'+*' is forbidden"),
        (f'path "{CANARY}/{{{{x" {{ capabilities = ["read"] }}', "templating"),
        (f'path "{CANARY}}}}}/x" {{ capabilities = ["read"] }}', "templating"),
        (f'{CANARY} "a" {{ capabilities = ["read"] }}', "top-level key"),
        (f'path "a" {{ {CANARY} = 1 }}', "unknown key"),
        ('path "a" { mfa_methods = ["x"] }', "mfa_methods is not supported"),
        ('path "a" { control_group = {} }', "control_group is not supported"),
        ('path "a" { capabilities = ["read"]\n capabilities = ["list"] }', "given twice"),
        (f'path "a" {{ capabilities = "{CANARY}" }}', "list of strings"),
        (f'path "a" {{ policy = "{CANARY}" }}', "invalid policy"),
        ('path "a" { min_wrapping_ttl = "1m", max_wrapping_ttl = "30s" }', "cannot be less"),
        (f'path "a" {{ max_wrapping_ttl = "{CANARY}" }}', "error parsing max_wrapping_ttl"),
        ('path "a" { max_wrapping_ttl = true }', "error parsing max_wrapping_ttl"),
        (f'path "a" {{ allowed_parameters = {{ "{CANARY}*" = [] }} }}', "wildcards"),
        ('path "a" { allowed_parameters = { "a" = [], "A" = [] } }', "given twice"),
        (f'path "a" {{ allowed_parameters = {{ "a" = "{CANARY}" }} }}', "list of values"),
        ('path "a" { denied_parameters = ["x"] }', "must be an object"),
        ('path "a" { required_parameters = ["*"] }', "wildcard is not permitted"),
        ('{"path": {"a": {"allowed_parameters": {"a": [null]}}}}', "null"),
        ('{"path": {"a": {"allowed_parameters": {"a": [NaN]}}}}', "NaN"),
        ('{"path": {"a": {"allowed_parameters": {"a": [1e999]}}}}', "out of range"),
        (f'{{"path": {{"a": "{CANARY}"}}}}', "must be an object"),
        ('{"path": ["x"]}', "must hold objects"),
        (f'{{"path": {{"a": {{"capabilities": ["read"]}}}}, "{CANARY}": 1', "line 1"),
        ('path "a" "b" { capabilities = ["read"] }', "exactly one label"),
        ('path "a" = { capabilities = ["read"] }', "expected '{'"),
        ('path = "a"', "must hold objects"),
        (f'path "a" {{ capabilities = ["read"]\n  # {CANARY}', "line 2, column"),
        (f'/* {CANARY}\npath "a" {{}}', "unterminated comment"),
        (f'path "a" {{ comment = "\\q{CANARY}" }}', "invalid escape"),
        (f'path "a" {{ comment = "{CANARY}\n" }}', "line 1"),
        (f"path 'a' {{ comment = '{CANARY}' }}", "unexpected character"),
        ('path "a" { capabilities = ["read" "list"] }', "expected ',' or ']'"),
        ('path "a" { x = 1abc }', "unexpected character"),
        ('path "a" { comment = ' + "[" * 100 + "]" * 100 + " }", "nesting too deep"),
        ('{"path": ' + "[" * 100_000 + "]" * 100_000 + "}", "nesting too deep"),
    ],
)
def test_errors_name_the_problem_without_echoing(text: str, problem: str) -> None:
    with pytest.raises(BadRequest) as caught:
        parse_policy("p", text)
    message = caught.value.public
    assert message.startswith("failed to parse policy: ")
    assert problem in message
    assert CANARY not in message


def test_render_is_canonical() -> None:
    assert render_policy(Policy("docs", EXPECTED)) == (
        'path "secret/*" {\n'
        '  capabilities = ["create", "read", "update", "patch", "delete", "list"]\n'
        "}\n"
        "\n"
        'path "secret/super-secret" {\n'
        '  capabilities = ["deny"]\n'
        "}\n"
        "\n"
        'path "secret/restricted" {\n'
        '  capabilities = ["create"]\n'
        "  allowed_parameters = {\n"
        '    "bar" = ["zip", "zap"]\n'
        '    "foo" = []\n'
        "  }\n"
        "  denied_parameters = {\n"
        '    "nested" = [["a", 1], {"k" = true}, -2500.0]\n'
        "  }\n"
        '  required_parameters = ["foo"]\n'
        '  min_wrapping_ttl = "1s"\n'
        '  max_wrapping_ttl = "1m30s"\n'
        "}\n"
    )


def test_default_policy_round_trips() -> None:
    policy = parse_policy("default", DEFAULT_POLICY)
    assert len(policy.rules) == 13
    assert parse_policy("default", render_policy(policy)) == policy


# --- properties ------------------------------------------------------------------------------

_scalars = (
    st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
)
_values: st.SearchStrategy[Any] = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)
_param_names = (st.text(min_size=1, max_size=6).filter(lambda n: "*" not in n) | st.just("*")).map(
    str.lower
)
_params = st.dictionaries(_param_names, st.lists(_values, max_size=3).map(tuple), max_size=3)
_template = st.sampled_from(["", "{{identity.entity.id}}", "{{ identity.entity.metadata.team }}"])
_paths = st.builds(
    lambda text, template: text + template,
    st.text(max_size=12).filter(lambda p: "{" not in p and "}" not in p),
    _template,
).filter(lambda p: not p.startswith("/") and "+*" not in p)
_grants = st.frozensets(
    st.sampled_from(["create", "read", "update", "patch", "delete", "list", "sudo"])
)


@st.composite
def _rules(draw: st.DrawFn) -> PathRule:
    path = draw(_paths)
    if draw(st.integers(0, 5)) == 0:
        return PathRule(path, frozenset({"deny"}))
    min_ttl = draw(st.integers(0, 10**7))
    max_ttl = draw(st.sampled_from([0, min_ttl, min_ttl + draw(st.integers(1, 10**7))]))
    return PathRule(
        path,
        draw(_grants),
        allowed_parameters=draw(_params),
        denied_parameters=draw(_params),
        required_parameters=tuple(
            draw(st.lists(st.text(max_size=5).filter(lambda n: "*" not in n)))
        ),
        min_wrapping_ttl=min_ttl,
        max_wrapping_ttl=max_ttl,
    )


_policies = st.builds(Policy, st.text(max_size=8), st.lists(_rules(), max_size=4).map(tuple))


@given(_policies)
def test_parse_render_round_trip(policy: Policy) -> None:
    text = render_policy(policy)
    assert parse_policy(policy.name, text) == policy
    assert render_policy(parse_policy(policy.name, text)) == text


_token_soup = st.lists(
    st.sampled_from(
        [
            "path",
            '"a/*"',
            "{",
            "}",
            "[",
            "]",
            "=",
            ",",
            "capabilities",
            '"read"',
            "1",
            "-2.5",
            "true",
            "#c\n",
            "/*",
            "*/",
            '"\\u00e9"',
            "allowed_parameters",
            "policy",
            '"deny"',
            "\n",
        ]
    ),
    max_size=30,
).map(" ".join)


def _parse_or_message(text: str) -> Policy | str:
    try:
        return parse_policy("fuzz", text)
    except BadRequest as exc:
        return exc.public


@given(st.text() | _token_soup)
def test_any_text_parses_or_is_a_bad_request(text: str) -> None:
    result = _parse_or_message(text)
    if isinstance(result, str):
        assert result.startswith("failed to parse policy: ")
    else:
        assert parse_policy("fuzz", render_policy(result)) == result
