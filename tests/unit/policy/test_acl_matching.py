"""Path matching of compiled ACLs: the examples of Vault's "Policies" docs and of vault/acl.go."""

from __future__ import annotations

import pytest

from strongroom.errors import InternalError
from strongroom.policy import ACL, DEFAULT_POLICY, PathRule, Policy, parse_policy


def acl(*texts: str) -> ACL:
    return ACL.compile([parse_policy(f"p{n}", text) for n, text in enumerate(texts)])


def allows(compiled: ACL, path: str, operation: str = "read") -> bool:
    return compiled.check(path, operation, {}).allowed


# Docs, "Policy syntax": exact paths, `*` prefix globs, `+` segment wildcards.
DOCS = acl(
    """
    path "secret/foo" { capabilities = ["read"] }
    path "secret/bar/*" { capabilities = ["read"] }
    path "secret/zip-*" { capabilities = ["read"] }
    path "app/+/teamb" { capabilities = ["read"] }
    path "deep/+/+/teamb" { capabilities = ["read"] }
    """
)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("secret/foo", True),
        ("secret/food", False),
        ("secret/foo/bar", False),
        ("secret/bar/zip", True),
        ("secret/bar/zip/zap", True),
        ("secret/bars/zip", False),
        ("secret/zip-zap", True),
        ("secret/zip-zap/zong", True),
        ("secret/zip/zap", False),
        ("app/foo/teamb", True),
        ("app//teamb", True),  # `+` is any one segment, the empty one too
        ("app/foo/bar/teamb", False),
        ("app/foo/teambs", False),
        ("deep/foo/bar/teamb", True),
        ("deep/foo/teamb", False),
        ("/secret/foo", True),  # leading slashes are not part of the path (AllowOperation)
        ("elsewhere", False),
    ],
)
def test_docs_path_examples(path: str, *, allowed: bool) -> None:
    assert allows(DOCS, path) is allowed


# (higher, lower, a path both match): docs "Priority matching" and the comments in
# vault/acl.go CheckAllowedFromNonExactPaths.
PRIORITY = [
    ("secret/*", "secret/+/+/foo/*", "secret/a/b/foo/c"),  # docs: rule 3, more `+` is lower
    ("secret/apps/*", "secret/*", "secret/apps/x"),  # docs: rule 4 (namespaces example)
    ("foo/a*", "foo/+", "foo/ab"),  # first wildcard later wins
    ("foo/bar/+/baz", "foo/+/bar/baz", "foo/bar/bar/baz"),
    ("foo/+/bar", "foo/+/ba*", "foo/x/bar"),  # not ending in `*` wins
    ("foo/+", "foo/*", "foo/x"),
    ("foo/bar/+/baz", "foo/+/+/baz", "foo/bar/x/baz"),
    ("foo/+/bar/ba*", "foo/+/bar/b*", "foo/x/bar/baz"),  # longer wins
    ("+/b/*", "+/*", "a/b/c"),  # same first wildcard: longer wins
    ("a/+/", "a/+/+", "a/x/"),  # fewer `+` segments wins even when shorter
    ("+/a/+", "+/+/a", "x/a/a"),  # all else equal: lexicographically greater wins
]


@pytest.mark.parametrize(("higher", "lower", "path"), PRIORITY)
def test_priority_rules(higher: str, lower: str, path: str) -> None:
    capability = {higher: "read", lower: "list"}
    for order in ((higher, lower), (lower, higher)):
        compiled = acl(*(f'path "{p}" {{ capabilities = ["{capability[p]}"] }}' for p in order))
        assert compiled.capabilities(path) == {"read"}, order
        assert allows(compiled, path)
        assert not allows(compiled, path, "list")


def test_exact_beats_every_glob_and_deny_is_per_path() -> None:
    # Docs: "secret/super-secret" deny takes precedence over "secret/*"; conversely an exact
    # grant beats a broader deny from another policy: deny wins only among identical paths.
    compiled = acl(
        'path "secret/*" { capabilities = ["create", "read", "update", "delete", "list"] }',
        'path "secret/super-secret" { capabilities = ["deny"] }\n'
        'path "locked/*" { capabilities = ["deny"] }\n'
        'path "locked/open" { capabilities = ["read"] }',
    )
    assert not allows(compiled, "secret/super-secret")
    assert compiled.capabilities("secret/super-secret") == {"deny"}
    assert allows(compiled, "secret/other")
    assert allows(compiled, "locked/open")
    assert not allows(compiled, "locked/shut")


@pytest.mark.parametrize("deny_first", [True, False])
def test_identical_paths_union_and_deny_wins(*, deny_first: bool) -> None:
    grant = (
        'path "kv/x" { capabilities = ["read", "sudo"] }\npath "kv/y" { capabilities = ["read"] }'
    )
    more = 'path "kv/y" { capabilities = ["list"] }'
    deny = 'path "kv/x" { capabilities = ["deny"] }'
    compiled = acl(deny, grant, more) if deny_first else acl(grant, more, deny)
    decision = compiled.check("kv/x", "read", {})
    assert not decision.allowed
    assert not decision.sudo
    assert compiled.capabilities("kv/x") == {"deny"}
    assert compiled.capabilities("kv/y") == {"read", "list"}


def test_deny_in_one_rule_drops_the_other_capabilities() -> None:
    compiled = acl('path "a" { capabilities = ["read", "deny", "sudo"] }')
    assert compiled.capabilities("a") == {"deny"}
    direct = ACL.compile([Policy("x", (PathRule("a", frozenset({"read", "deny"})),))])
    assert not allows(direct, "a")


def test_sudo_is_reported_with_the_decision() -> None:
    compiled = acl('path "sys/audit/*" { capabilities = ["read", "sudo"] }')
    assert compiled.check("sys/audit/x", "read", {}).sudo
    refused = compiled.check("sys/audit/x", "update", {})
    assert not refused.allowed
    assert refused.sudo  # Vault's RootPrivs comes from the matching rule, allowed or not
    assert not compiled.check("sys/other", "read", {}).sudo


def test_list_tries_the_path_without_its_trailing_slash() -> None:
    # vault/acl.go AllowOperation, and Vault PR #23874 for wildcard paths.
    compiled = acl(
        'path "secret/foo" { capabilities = ["list", "read"] }\n'
        'path "+/bar" { capabilities = ["list"] }\n'
        'path "slash/" { capabilities = ["list"] }'
    )
    assert allows(compiled, "secret/foo/", "list")
    assert not allows(compiled, "secret/foo/", "read")  # only LIST drops the slash
    assert allows(compiled, "x/bar/", "list")
    assert allows(compiled, "slash/", "list")
    assert not allows(compiled, "slash", "list")
    assert compiled.capabilities("secret/foo/") == {"list", "read"}


def test_bare_wildcards() -> None:
    compiled = acl('path "*" { capabilities = ["read"] }\npath "+" { capabilities = ["list"] }')
    assert compiled.capabilities("anything/at/all") == {"read"}
    assert compiled.capabilities("top") == {"list"}  # `+` (not a prefix) beats `*`
    assert compiled.capabilities("") == {"list"}  # "" is one (empty) segment


def test_a_star_inside_a_path_is_a_literal() -> None:
    compiled = acl('path "secret/*/foo" { capabilities = ["read"] }')
    assert allows(compiled, "secret/*/foo")
    assert not allows(compiled, "secret/x/foo")


def test_nothing_matches_means_deny() -> None:
    empty = ACL.compile([])
    assert not allows(empty, "secret/foo")
    assert empty.capabilities("secret/foo") == {"deny"}
    assert empty.check("x", "read", {}).reason == "no policy path matches"
    nothing = acl('path "a" { capabilities = [] }')
    assert nothing.capabilities("a") == {"deny"}
    assert not allows(nothing, "a")


def test_root() -> None:
    root = ACL.root()
    decision = root.check("sys/audit/file", "delete", {"x": 1}, wrap_ttl=None)
    assert decision.allowed
    assert decision.sudo
    assert root.capabilities("anything") == {"root"}
    assert ACL.compile([Policy("root", ())]).capabilities("x") == {"root"}
    with pytest.raises(InternalError):
        ACL.compile([Policy("root", ()), parse_policy("default", DEFAULT_POLICY)])


def test_unknown_operation_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="operation"):
        DOCS.check("secret/foo", "help", {})


def test_default_policy() -> None:
    default = acl(DEFAULT_POLICY)
    assert allows(default, "auth/token/lookup-self")
    assert allows(default, "auth/token/renew-self", "update")
    assert allows(default, "sys/capabilities-self", "update")
    assert allows(default, "sys/internal/ui/resultant-acl")
    assert allows(default, "sys/leases/lookup", "update")
    assert allows(default, "cubbyhole/my/secret", "create")
    assert allows(default, "cubbyhole/", "list")
    assert allows(default, "sys/wrapping/unwrap", "update")
    assert allows(default, "sys/tools/hash/sha2-256", "update")
    assert not allows(default, "auth/token/lookup-self", "update")
    assert not allows(default, "auth/token/create", "update")
    assert not allows(default, "sys/policy/default", "update")
    assert not allows(default, "secret/foo")


def test_reason_names_the_matching_rule_and_policies() -> None:
    compiled = acl(
        'path "kv/*" { capabilities = ["read"] }', 'path "kv/*" { capabilities = ["list"] }'
    )
    decision = compiled.check("kv/a", "read", {})
    assert decision.reason == "granted by path 'kv/*' of policies p0, p1"
    assert compiled.check("kv/a", "delete", {}).reason.startswith("capability not granted")
