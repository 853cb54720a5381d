"""The compiled ACL against a slow, obviously-correct reference built from Vault's docs.

The reference enumerates every rule, merges identical path strings (capabilities unioned, deny
winning), filters the rules matching the request path segment by segment, and picks the best by
the five "Priority matching" rules written out as a comparison. Exact paths win outright, and
LIST also tries the path without its trailing slash (vault/acl.go AllowOperation).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from strongroom.policy import ACL, CAPABILITIES, PathRule, Policy

OPERATIONS = ("create", "read", "update", "patch", "delete", "list")


def is_segment(pattern: str) -> bool:
    return pattern == "+" or pattern.startswith("+/") or "/+" in pattern


def is_exact(pattern: str) -> bool:
    return not is_segment(pattern) and not pattern.endswith("*")


def matches(pattern: str, path: str) -> bool:
    """Does the non-exact `pattern` match `path`? (docs: `*` a trailing glob, `+` one segment)"""
    glob = pattern.endswith("*")
    stem = pattern.removesuffix("*")
    if not is_segment(pattern):
        return path.startswith(stem)
    want, have = stem.split("/"), path.split("/")
    if len(have) < len(want) or (not glob and len(have) != len(want)):
        return False
    for index, part in enumerate(want):
        last = index == len(want) - 1
        if part not in {"+", have[index]} and not (glob and last and have[index].startswith(part)):
            return False
    return True


def compare(p1: str, p2: str) -> int:
    """-1 if p1 has lower priority than p2, per the docs' numbered rules."""

    def first_wildcard(pattern: str) -> int:
        return min(i for i, char in enumerate(pattern) if char in "+*")

    def plus_segments(pattern: str) -> int:
        return pattern.removesuffix("*").split("/").count("+")

    rules = [
        (first_wildcard(p1) < first_wildcard(p2), first_wildcard(p1) > first_wildcard(p2)),
        (p1.endswith("*") and not p2.endswith("*"), p2.endswith("*") and not p1.endswith("*")),
        (plus_segments(p1) > plus_segments(p2), plus_segments(p1) < plus_segments(p2)),
        (len(p1) < len(p2), len(p1) > len(p2)),
        (p1 < p2, p1 > p2),
    ]
    for lower, higher in rules:
        if lower:
            return -1
        if higher:
            return 1
    return 0


def merged(policies: Sequence[Policy]) -> dict[str, set[str]]:
    capabilities: dict[str, set[str]] = {}
    for policy in policies:
        for rule in policy.rules:
            capabilities.setdefault(rule.path, set()).update(rule.capabilities)
    return {path: {"deny"} if "deny" in caps else caps for path, caps in capabilities.items()}


def best(table: dict[str, set[str]], path: str) -> set[str] | None:
    candidates = [p for p in table if not is_exact(p) and matches(p, path)]
    if not candidates:
        return None
    return table[max(candidates, key=functools.cmp_to_key(compare))]


def lookup(table: dict[str, set[str]], path: str, *, is_list: bool) -> set[str] | None:
    path = path.lstrip("/")
    if is_exact(path) and path in table:
        return table[path]
    if is_list and path.endswith("/"):
        trimmed = path[:-1]
        if is_exact(trimmed) and trimmed in table:
            return table[trimmed]
        found = best(table, trimmed)
        if found is not None:
            return found
    return best(table, path)


def reference_allows(policies: Sequence[Policy], path: str, operation: str) -> bool:
    caps = lookup(merged(policies), path, is_list=operation == "list")
    return caps is not None and "deny" not in caps and operation in caps


def reference_capabilities(policies: Sequence[Policy], path: str) -> set[str]:
    caps = lookup(merged(policies), path, is_list=True)
    return caps or {"deny"}


# Patterns from a small alphabet, so that rules overlap often, plus patterns derived from the
# request path (segments kept or made `+`, ends cut to a `*` glob), so that several rules match
# it and the priority rules decide.
_segment = st.sampled_from(["a", "b", "+", "ab"])
_part = st.sampled_from(["a", "b", "ab", "abc", "x", ""])
_capability_sets = st.frozensets(st.sampled_from(sorted(CAPABILITIES)), max_size=3)


def _no_plus_star(pattern: str) -> str:
    return pattern.replace("+*", "+")


@st.composite
def _random_pattern(draw: st.DrawFn) -> str:
    pattern = "/".join(draw(st.lists(_segment, min_size=1, max_size=3)))
    return _no_plus_star(pattern + draw(st.sampled_from(["", "*", "/*", "/"])))


@st.composite
def _derived_pattern(draw: st.DrawFn, parts: list[str]) -> str:
    kept = parts[: draw(st.integers(1, len(parts)))]
    segments = [draw(st.sampled_from([part, "+"])) for part in kept]
    ending = draw(st.sampled_from(["exact", "glob", "cut", "slash-glob"]))
    if ending == "cut" and segments[-1] != "+":
        segments[-1] = segments[-1][: draw(st.integers(0, len(segments[-1])))] + "*"
    pattern = "/".join(segments)
    return _no_plus_star(pattern + {"glob": "*", "slash-glob": "/*"}.get(ending, ""))


@st.composite
def _scenarios(draw: st.DrawFn) -> tuple[list[Policy], str, str]:
    parts = draw(st.lists(_part, min_size=1, max_size=4))
    pool = draw(st.lists(_derived_pattern(parts) | _random_pattern(), min_size=1, max_size=6))
    groups = draw(
        st.lists(
            st.lists(
                st.builds(PathRule, st.sampled_from(pool), _capability_sets), min_size=1, max_size=6
            ),
            min_size=1,
            max_size=3,
        )
    )
    policies = [Policy(f"p{n}", tuple(rules)) for n, rules in enumerate(groups)]
    path = (
        draw(st.sampled_from(["", "", "/"]))
        + "/".join(parts)
        + draw(st.sampled_from(["", "", "/"]))
    )
    return policies, path, draw(st.sampled_from(OPERATIONS))


@settings(max_examples=1000)
@given(_scenarios())
def test_check_equals_reference(scenario: tuple[list[Policy], str, str]) -> None:
    policies, path, operation = scenario
    expected = reference_allows(policies, path, operation)
    assert ACL.compile(policies).check(path, operation, {}).allowed == expected
    assert ACL.compile(policies).capabilities(path) == reference_capabilities(policies, path)
    assert ACL.compile(policies[::-1]).check(path, operation, {}).allowed == expected


def _bulk_policies() -> list[Policy]:
    """50 policies x 20 rules of every kind, varied deterministically (no `random`)."""
    kinds = (
        "team{p}/app{r}",
        "team{p}/app{r}/*",
        "team{p}/+/svc{r}",
        "+/app{r}/+/*",
        "shared/{r}*",
    )
    policies = []
    for p in range(50):
        rules = []
        for r in range(20):
            pattern = kinds[(p + r) % len(kinds)].format(p=p, r=r)
            caps = {OPERATIONS[(p * r) % 6], OPERATIONS[(p + 2 * r) % 6]}
            rules.append(
                PathRule(pattern, frozenset(caps | ({"deny"} if (p + r) % 17 == 0 else set())))
            )
        policies.append(Policy(f"bulk{p}", tuple(rules)))
    return policies


def test_fifty_policies_ten_thousand_checks() -> None:
    policies = _bulk_policies()
    compiled = ACL.compile(policies)
    requests = [
        (
            f"team{n % 53}/app{n % 23}" + ("/svc" + str(n % 19) if n % 3 else "/x/y"),
            OPERATIONS[n % 6],
        )
        for n in range(10_000)
    ]
    decisions = [compiled.check(path, operation, {}) for path, operation in requests]
    allowed = sum(decision.allowed for decision in decisions)
    assert 0 < allowed < len(requests)
    for path, operation in requests[::50]:  # a sample against the (slow) reference
        assert compiled.check(path, operation, {}).allowed == reference_allows(
            policies, path, operation
        )
