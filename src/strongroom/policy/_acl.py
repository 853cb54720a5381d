"""`ACL`: a token's policies compiled once, then asked per request (Vault's `ACL`, vault/acl.go).

Compiling (`NewACL`) merges rules with identical path strings (see `_grants.py`) into three
tables: exact paths (a dict), plain `*` prefixes (a dict per prefix plus the distinct prefix
lengths, longest first), and `+` segment patterns (grouped by literal first segment, each group
one regex whose alternatives are in priority order, so the first that matches wins its group).
Rules whose path still holds an `{{identity…}}` placeholder are left out: Vault drops a
templated path it cannot fill.

Checking (`AllowOperation`): leading `/`s are stripped; an exact rule wins outright; for LIST a
trailing `/` is also tried without it (exact, then non-exact), as Vault does so a policy for
`secret/foo` or `+/foo` governs LIST `secret/foo/`. Otherwise the best of the longest prefix and
the highest-priority segment pattern decides, by the docs' "Priority matching" rules (vault/acl.go
`CheckAllowedFromNonExactPaths`): the later the first `+` or `*`, the higher; not ending in `*`
beats ending in it; fewer `+` segments; longer; lexicographically greater. No match, no access.
Then, in Vault's order: the capability for the operation; the wrapping TTL bounds (a set bound
needs a wrapped request); parameter constraints for read, create, update and patch (`_params`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from strongroom.errors import InternalError
from strongroom.policy._grants import CAPABILITY_BITS, Grant
from strongroom.policy._model import Decision, Policy
from strongroom.policy._params import parameter_refusal
from strongroom.policy._paths import is_segment_pattern

__all__ = ["ACL"]

_OPERATION_BITS = {
    op: CAPABILITY_BITS[op] for op in ("create", "read", "update", "patch", "delete", "list")
}
# vault/acl.go checks parameters for "operations that can modify parameters": read, update,
# create and patch (query parameters of a GET are request data too).
_PARAMETER_BITS = sum(CAPABILITY_BITS[op] for op in ("read", "create", "update", "patch"))
_ROOT = Decision(allowed=True, sudo=True, reason="root policy")
_NO_MATCH = Decision(allowed=False, sudo=False, reason="no policy path matches")

Priority: TypeAlias = tuple[int, bool, int, int, str]


def _priority(pattern: str, *, is_prefix: bool, segment: bool) -> Priority:
    """The docs' priority order as a sort key (greater wins); `pattern` without its `*`.

    vault/acl.go: a prefix rule's first glob is at len(prefix); a segment pattern's first
    wildcard is `strings.Index(path, "+")`; only segment patterns count `+` segments.
    """
    first = pattern.index("+") if segment else len(pattern)
    wildcards = pattern.split("/").count("+") if segment else 0
    return (first, not is_prefix, -wildcards, len(pattern), pattern)


def _segment_regex(pattern: str, *, is_prefix: bool) -> str:
    parts = ["[^/]*" if part == "+" else re.escape(part) for part in pattern.split("/")]
    return "/".join(parts) + (".*" if is_prefix else "")


class _SegmentPatterns:
    """Segment patterns as one regex whose alternatives are in priority order, so the first
    alternative that matches (`lastindex`) is the best of them."""

    __slots__ = ("_grants", "_regex")

    def __init__(self, entries: list[tuple[Priority, str, Grant]]) -> None:
        ordered = sorted(entries, key=lambda entry: entry[0], reverse=True)
        self._grants = tuple((priority, grant) for priority, _, grant in ordered)
        self._regex = re.compile("|".join(f"({regex})" for _, regex, _ in ordered), re.DOTALL)

    def best(self, path: str) -> tuple[Priority, Grant] | None:
        match = self._regex.fullmatch(path)
        if match is None or match.lastindex is None:
            return None
        return self._grants[match.lastindex - 1]


class ACL:
    """Compiled policies. Build with `ACL.root()` or `ACL.compile(policies)`."""

    __slots__ = ("_by_first", "_exact", "_lengths", "_prefixes", "_root", "_wild_first")

    def __init__(
        self,
        *,
        root: bool,
        exact: dict[str, Grant],
        prefixes: dict[str, Grant],
        segments: Sequence[tuple[Priority, str, Grant]],
    ) -> None:
        self._root = root
        self._exact = exact
        self._prefixes = {
            prefix: (_priority(prefix, is_prefix=True, segment=False), grant)
            for prefix, grant in prefixes.items()
        }
        self._lengths = tuple(sorted({len(prefix) for prefix in prefixes}, reverse=True))
        # Segment patterns are grouped by a literal first segment, which a path must repeat
        # exactly; those starting with `+` are tried for every path.
        groups: dict[str, list[tuple[Priority, str, Grant]]] = {}
        for entry in segments:
            first = entry[2].pattern.partition("/")[0]
            groups.setdefault("" if first == "+" else first + "/", []).append(entry)
        wild = groups.pop("", None)
        self._wild_first = _SegmentPatterns(wild) if wild else None
        self._by_first = {key[:-1]: _SegmentPatterns(group) for key, group in groups.items()}

    @classmethod
    def root(cls) -> ACL:
        """The `root` policy: every operation on every path, with sudo."""
        return cls(root=True, exact={}, prefixes={}, segments=())

    @classmethod
    def compile(cls, policies: Sequence[Policy]) -> ACL:
        """The ACL for a token holding `policies`. A policy named `root` makes the root ACL, as
        in Vault; raises InternalError if other policies come with it (NewACL refuses that)."""
        if any(policy.name == "root" for policy in policies):
            if len(policies) != 1:
                raise InternalError(detail="other policies present along with root")
            return cls.root()
        grants: dict[tuple[str, str], Grant] = {}
        for policy in policies:
            for rule in policy.rules:
                if "{{" in rule.path or "}}" in rule.path:
                    continue  # an unfilled template: Vault skips the path (policy.go parsePaths)
                kind, key = _table(rule.path)
                grant = grants.get((kind, key))
                if grant is None:
                    grant = grants[kind, key] = Grant(rule.path)
                grant.merge(rule, policy.name)
        exact: dict[str, Grant] = {}
        prefixes: dict[str, Grant] = {}
        segments: list[tuple[Priority, str, Grant]] = []
        for (kind, key), grant in grants.items():
            grant.seal()
            if kind == "exact":
                exact[key] = grant
            elif kind == "prefix":
                prefixes[key] = grant
            else:
                is_prefix = key.endswith("*")
                pattern = key.removesuffix("*")
                priority = _priority(pattern, is_prefix=is_prefix, segment=True)
                segments.append((priority, _segment_regex(pattern, is_prefix=is_prefix), grant))
        return cls(root=False, exact=exact, prefixes=prefixes, segments=segments)

    def capabilities(self, path: str) -> frozenset[str]:
        """What `sys/capabilities` answers for `path`: {"root"} for root, {"deny"} when nothing
        matches or the match denies (vault/acl.go `Capabilities`, which looks up as LIST)."""
        if self._root:
            return frozenset({"root"})
        grant = self._find(path.lstrip("/"), is_list=True)
        return frozenset({"deny"}) if grant is None else grant.capability_names()

    def grants_below(self, mount: str) -> bool:
        """Whether the policies grant anything at or below the path `mount` (Vault's
        `hasMountAccess`, vault/logical_system.go): the mount path's own capabilities, else
        any exact or `*` rule under it with a capability and no deny. Segment (`+`) patterns
        are not walked, as Vault walks only its exact and prefix trees."""
        if "deny" not in self.capabilities(mount):
            return True
        below = [*self._exact.items(), *((k, g) for k, (_, g) in self._prefixes.items())]
        return any(
            path.startswith(mount) and grant.capability_names() != {"deny"} for path, grant in below
        )

    def check(
        self,
        path: str,
        operation: str,
        data: Mapping[str, Any],
        *,
        wrap_ttl: int | None = None,
    ) -> Decision:
        """May `operation` ("create", "read", "update", "patch", "delete" or "list") run on the
        namespace-relative `path` with request `data`, wrapped for `wrap_ttl` seconds (None:
        not wrapped)? Raises ValueError for any other operation."""
        if self._root:
            return _ROOT
        bit = _OPERATION_BITS.get(operation)
        if bit is None:
            raise ValueError("unknown operation")
        grant = self._find(path.lstrip("/"), is_list=bit == CAPABILITY_BITS["list"])
        if grant is None:
            return _NO_MATCH
        if not grant.bits & bit:
            return grant.refused
        if grant.max_ttl or grant.min_ttl:
            refusal = _wrapping_refusal(grant, wrap_ttl)
            if refusal:
                return grant.refusal(refusal)
        if bit & _PARAMETER_BITS and grant.checks_parameters:
            refusal = parameter_refusal(data, grant.required, grant.allowed, grant.denied)
            if refusal:
                return grant.refusal(refusal)
        return grant.granted

    def _find(self, path: str, *, is_list: bool) -> Grant | None:
        grant = self._exact.get(path)
        if grant is not None:
            return grant
        if is_list and path.endswith("/"):
            trimmed = path[:-1]
            grant = self._exact.get(trimmed) or self._non_exact(trimmed)
            if grant is not None:
                return grant
        return self._non_exact(path)

    def _non_exact(self, path: str) -> Grant | None:
        best: tuple[Priority, Grant] | None = None
        size = len(path)
        for length in self._lengths:  # the longest matching prefix is the best of them
            if length <= size:
                best = self._prefixes.get(path[:length])
                if best is not None:
                    break
        found = self._best_segment(path)
        if found is not None and (best is None or found[0] > best[0]):
            return found[1]
        return None if best is None else best[1]

    def _best_segment(self, path: str) -> tuple[Priority, Grant] | None:
        found = None
        for patterns in (self._by_first.get(path.partition("/")[0]), self._wild_first):
            hit = None if patterns is None else patterns.best(path)
            if hit is not None and (found is None or hit[0] > found[0]):
                found = hit
        return found


def _table(path: str) -> tuple[str, str]:
    """Which table a rule path lives in, and its key there (vault/policy.go parsePaths)."""
    if is_segment_pattern(path):
        return "segment", path
    if path.endswith("*"):
        return "prefix", path[:-1]
    return "exact", path


def _wrapping_refusal(grant: Grant, wrap_ttl: int | None) -> str | None:
    # vault/acl.go: each bound that is set requires a wrapped request within it; a merged
    # entry whose max fell below its min refuses everything.
    if grant.max_ttl and (wrap_ttl is None or wrap_ttl > grant.max_ttl):
        return "wrapping TTL above max_wrapping_ttl or not wrapped"
    if grant.min_ttl and (wrap_ttl is None or wrap_ttl < grant.min_ttl):
        return "wrapping TTL below min_wrapping_ttl or not wrapped"
    if grant.min_ttl and grant.max_ttl and grant.max_ttl < grant.min_ttl:
        return "merged max_wrapping_ttl below min_wrapping_ttl"
    return None
