"""Parameter constraints and wrapping-TTL bounds: the docs' "Fine-grained control" examples."""

from __future__ import annotations

from typing import Any

import pytest

from strongroom.policy import ACL, parse_policy


def acl(*texts: str) -> ACL:
    return ACL.compile([parse_policy(f"p{n}", text) for n, text in enumerate(texts)])


def allows(compiled: ACL, data: dict[str, Any], operation: str = "create", path: str = "p") -> bool:
    return compiled.check(path, operation, data).allowed


def test_docs_allowed_parameters() -> None:
    # Docs: "secret/restricted" can only contain "foo" (any value) and "bar" (zip or zap).
    compiled = acl(
        'path "p" { capabilities = ["create"]\n'
        '  allowed_parameters = { "foo" = [], "bar" = ["zip", "zap"] } }'
    )
    assert allows(compiled, {})
    assert allows(compiled, {"foo": "anything", "bar": "zap"})
    assert allows(compiled, {"FOO": 1})  # names are compared lower-cased
    assert not allows(compiled, {"bar": "zop"})
    assert not allows(compiled, {"foo": 1, "baz": 1})


def test_docs_allowed_star() -> None:
    # Docs: "bar" restricted to zip/zap, "*" = [] lets every other parameter through.
    compiled = acl(
        'path "p" { capabilities = ["create"]\n'
        '  allowed_parameters = { "bar" = ["zip", "zap"], "*" = [] } }'
    )
    assert allows(compiled, {"other": [1, 2], "bar": "zip"})
    assert not allows(compiled, {"other": 1, "bar": "zup"})
    only_star = acl('path "p" { capabilities = ["create"], allowed_parameters = { "*" = [] } }')
    assert allows(only_star, {"anything": 1})


def test_docs_denied_parameters() -> None:
    compiled = acl(
        'path "p" { capabilities = ["create", "update"]\n'
        '  denied_parameters = { "token_policies" = [], "allowed_policies" = ["admin"] } }'
    )
    assert allows(compiled, {"password": "x"})
    assert not allows(compiled, {"token_policies": "x"})
    assert not allows(compiled, {"Token_Policies": "x"})  # names are compared lower-cased
    assert not allows(compiled, {"allowed_policies": "admin"}, "update")
    assert not allows(compiled, {"allowed_policies": ["default", "admin"]})  # any element
    assert not allows(compiled, {"allowed_policies": "default, admin"})  # comma list
    assert allows(compiled, {"allowed_policies": ["default", "dev"]})
    everything = acl('path "p" { capabilities = ["create"], denied_parameters = { "*" = [] } }')
    assert not allows(everything, {"x": 1})
    assert allows(everything, {})


def test_denied_takes_precedence_over_allowed() -> None:
    compiled = acl(
        'path "p" { capabilities = ["create"]\n'
        '  allowed_parameters = { "x" = [] }\n  denied_parameters = { "x" = ["bad*"] } }'
    )
    assert allows(compiled, {"x": "good"})
    assert not allows(compiled, {"x": "bad-value"})


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        ("foo-*", "foo-bar", True),  # docs: values starting with "foo-"
        ("foo-*", "bar", False),
        ("*-end", "the-end", True),
        ("*mid*", "a-mid-b", True),
        ("*mid*", "a-mod-b", False),
        ("*", "*", True),  # strutil.GlobbedStringsMatch: a lone `*` matches only itself
        ("*", "anything", False),
        ("**", "anything", True),
        ("exact", "exact", True),
        ("exact", "exactly", False),
    ],
)
def test_value_globs(pattern: str, value: str, *, matches: bool) -> None:
    compiled = acl(
        f'path "p" {{ capabilities = ["create"], allowed_parameters = {{ "v" = ["{pattern}"] }} }}'
    )
    assert allows(compiled, {"v": value}) is matches


@pytest.mark.parametrize(
    ("value", "allowed"),
    [
        ("A", True),
        (["A", "B"], True),
        (["B", "A"], True),
        (["A"], True),
        ("A,B", True),
        ("B, A", True),
        (["A", "C"], False),
        ("A,C", False),
        ("C", False),
        ("", True),  # ParseCommaStringSlice("") is the empty list, all of whose elements match
    ],
)
def test_list_values_vault_1_21(value: object, *, allowed: bool) -> None:
    # Docs, "List parameter evaluation": "X": ["A", "B"] allows "A", "B", ["A", "B"], ["B", "A"],
    # ["A"], ["B"], "A,B" and "B,A".
    compiled = acl(
        'path "p" { capabilities = ["create"], allowed_parameters = { "X" = ["A", "B"] } }'
    )
    assert allows(compiled, {"x": value}) is allowed


def test_non_string_values_compare_by_deep_equality() -> None:
    compiled = acl(
        'path "p" { capabilities = ["create"]\n'
        '  allowed_parameters = { "n" = [1, [1, 2], {"k" = "v"}], "b" = [true] } }'
    )
    assert allows(compiled, {"n": 1})
    assert allows(compiled, {"n": [1, 2]})
    assert allows(compiled, {"n": {"k": "v"}})
    assert not allows(compiled, {"n": True})  # reflect.DeepEqual: a bool is not the number 1
    assert not allows(compiled, {"n": "1"})
    assert allows(compiled, {"b": True})
    assert not allows(compiled, {"b": 1})


def test_docs_no_store_example() -> None:
    # Docs, "Parameter constraints limitations / Default values".
    text = (
        'path "p" { capabilities = ["create"]\n'
        '  denied_parameters = { "no_store" = [false, "false"] } }'
    )
    compiled = acl(text)
    assert not allows(compiled, {"no_store": False, "value": "bar"})
    assert not allows(compiled, {"no_store": "false"})
    assert allows(compiled, {"value": "bar"})
    required = acl(
        text.replace("denied_parameters", 'required_parameters = ["no_store"]\n  denied_parameters')
    )
    assert not allows(required, {"value": "bar"})
    assert allows(required, {"no_store": True})


def test_required_parameters() -> None:
    compiled = acl(
        'path "p" { capabilities = ["create", "read", "delete"]\n'
        '  required_parameters = ["Name", "id"] }'
    )
    assert allows(compiled, {"name": 1, "id": 2, "extra": 3})
    assert not allows(compiled, {"name": 1})
    assert not allows(compiled, {"Name": 1, "id": 2})  # vault/acl.go looks up ToLower(name)
    # vault/acl.go checks parameters for read as well (Vault issue #5856), never for delete.
    assert not allows(compiled, {}, "read")
    assert allows(compiled, {}, "delete")


@pytest.mark.parametrize("operation", ["create", "update", "patch", "read"])
def test_parameters_apply_to_operations_that_carry_data(operation: str) -> None:
    compiled = acl(
        'path "p" { capabilities = ["create", "update", "patch", "read", "delete", "list"]\n'
        '  allowed_parameters = { "ok" = [] } }'
    )
    assert not allows(compiled, {"nope": 1}, operation)
    assert allows(compiled, {"nope": 1}, "delete")
    assert allows(compiled, {"nope": 1}, "list")


def test_parameter_maps_merge_across_policies() -> None:
    # vault/acl.go NewACL: values concatenate per name; an empty list (any value) absorbs.
    compiled = acl(
        'path "p" { capabilities = ["create"], allowed_parameters = { "a" = ["1"], "b" = ["x"] } }',
        'path "p" { capabilities = ["update"], allowed_parameters = { "a" = ["2"], "b" = [] } }',
    )
    assert allows(compiled, {"a": "1"})
    assert allows(compiled, {"a": "2"}, "update")
    assert not allows(compiled, {"a": "3"})
    assert allows(compiled, {"b": "anything"})
    reversed_order = acl(
        'path "p" { capabilities = ["create"], allowed_parameters = { "b" = [] } }',
        'path "p" { capabilities = ["create"], allowed_parameters = { "b" = ["x"] } }',
    )
    assert allows(reversed_order, {"b": "anything"})
    # A rule without constraints does not lift another policy's constraints on the same path.
    restricted = acl(
        'path "p" { capabilities = ["create"] }',
        'path "p" { capabilities = ["read"], allowed_parameters = { "only" = [] } }',
    )
    assert not allows(restricted, {"other": 1})
    assert allows(restricted, {"only": 1})


def test_docs_wrapping_bounds() -> None:
    # Docs: min 1s makes wrapping mandatory; max 90s caps it.
    compiled = acl(
        'path "p" { capabilities = ["create", "update"]\n'
        '  min_wrapping_ttl = "1s"\n  max_wrapping_ttl = "90s" }'
    )
    assert not compiled.check("p", "update", {}).allowed
    assert not compiled.check("p", "update", {}, wrap_ttl=0).allowed
    assert compiled.check("p", "update", {}, wrap_ttl=1).allowed
    assert compiled.check("p", "update", {}, wrap_ttl=90).allowed
    assert not compiled.check("p", "update", {}, wrap_ttl=91).allowed


def test_max_alone_still_requires_wrapping() -> None:
    compiled = acl('path "p" { capabilities = ["read", "list"], max_wrapping_ttl = 60 }')
    assert not compiled.check("p", "read", {}).allowed  # vault/acl.go: WrapInfo == nil refuses
    assert compiled.check("p", "list", {}, wrap_ttl=60).allowed


def test_wrapping_bounds_merge_to_the_lowest() -> None:
    # Docs: "the lowest value specified for each is the value that will result".
    compiled = acl(
        'path "p" { capabilities = ["read"], min_wrapping_ttl = 10, max_wrapping_ttl = 100 }',
        'path "p" { capabilities = ["read"], min_wrapping_ttl = 5, max_wrapping_ttl = 50 }',
    )
    assert compiled.check("p", "read", {}, wrap_ttl=5).allowed
    assert not compiled.check("p", "read", {}, wrap_ttl=60).allowed
    crossed = acl(
        'path "p" { capabilities = ["read"], min_wrapping_ttl = 60 }',
        'path "p" { capabilities = ["read"], max_wrapping_ttl = 30 }',
    )
    assert not crossed.check("p", "read", {}, wrap_ttl=30).allowed
    assert not crossed.check("p", "read", {}, wrap_ttl=60).allowed


def test_refusal_reasons_name_parameters_never_values() -> None:
    compiled = acl(
        'path "p" { capabilities = ["create"], denied_parameters = { "pw" = ["hunter*"] } }'
    )
    decision = compiled.check("p", "create", {"pw": "hunter2-canary"})
    assert not decision.allowed
    assert "pw" in decision.reason
    assert "hunter2-canary" not in decision.reason
