"""Compiled permissions for one policy path string, merged across every rule that names it.

Implements the merge in `NewACL` (vault/acl.go) for identical path strings, across policies
and within one: a `deny` already there keeps the entry deny; a new `deny` makes it deny;
otherwise capabilities are OR-ed, the lesser non-zero min and max wrapping TTLs are kept (the
docs: "the lowest value specified for each is the value that will result"), required
parameters are unioned, and allowed/denied parameter lists are concatenated per name, an empty
list (any value) absorbing the other. Capability bits are Vault's (`cap2Int`, vault/policy.go).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strongroom.policy._model import Decision, PathRule

__all__ = ["CAPABILITY_BITS", "DENY", "SUDO", "Grant"]

DENY, CREATE, READ, UPDATE, DELETE, LIST, SUDO, PATCH = (1 << n for n in range(8))
CAPABILITY_BITS = {
    "deny": DENY,
    "create": CREATE,
    "read": READ,
    "update": UPDATE,
    "delete": DELETE,
    "list": LIST,
    "sudo": SUDO,
    "patch": PATCH,
}


class Grant:
    """The merged permissions of one pattern; mutable while compiling, then `seal()`ed, after
    which `ACL.check` only reads it (the ready-made Decisions keep the hot path allocation-free).
    """

    __slots__ = (
        "allowed",
        "bits",
        "checks_parameters",
        "denied",
        "granted",
        "max_ttl",
        "min_ttl",
        "pattern",
        "policies",
        "refused",
        "required",
        "sudo",
    )

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.bits = 0
        self.allowed: dict[str, tuple[Any, ...]] = {}
        self.denied: dict[str, tuple[Any, ...]] = {}
        self.required: tuple[str, ...] = ()
        self.min_ttl = 0
        self.max_ttl = 0
        self.policies: list[str] = []
        self.sudo = False
        self.checks_parameters = False
        self.granted = self.refused = Decision(allowed=False, sudo=False, reason="")

    def merge(self, rule: PathRule, policy: str) -> None:
        """Fold `rule` (from the policy named `policy`) into this entry, as NewACL does."""
        if policy not in self.policies:
            self.policies.append(policy)
        bits = _bits(rule)
        if self.bits & DENY:
            return
        if bits & DENY:
            self.bits = DENY
            self.allowed, self.denied = {}, {}
            return
        self.bits |= bits
        if rule.max_wrapping_ttl and (not self.max_ttl or rule.max_wrapping_ttl < self.max_ttl):
            self.max_ttl = rule.max_wrapping_ttl
        if rule.min_wrapping_ttl and (not self.min_ttl or rule.min_wrapping_ttl < self.min_ttl):
            self.min_ttl = rule.min_wrapping_ttl
        _merge_parameters(self.allowed, rule.allowed_parameters)
        _merge_parameters(self.denied, rule.denied_parameters)
        self.required += tuple(p for p in rule.required_parameters if p not in self.required)

    def seal(self) -> Grant:
        """Precompute what `check` needs; returns self."""
        # vault/acl.go looks required names up lower-cased: `req.Data[strings.ToLower(p)]`.
        self.required = tuple(dict.fromkeys(name.lower() for name in self.required))
        self.sudo = bool(self.bits & SUDO) and not self.bits & DENY
        self.checks_parameters = bool(self.required or self.allowed or self.denied)
        where = f"path {self.pattern!r} of policies {', '.join(self.policies)}"
        self.granted = Decision(allowed=True, sudo=self.sudo, reason=f"granted by {where}")
        verb = "explicitly denied" if self.bits & DENY else "capability not granted"
        self.refused = Decision(allowed=False, sudo=self.sudo, reason=f"{verb} by {where}")
        return self

    def refusal(self, reason: str) -> Decision:
        return Decision(allowed=False, sudo=self.sudo, reason=f"{reason} ({self.pattern!r})")

    def capability_names(self) -> frozenset[str]:
        """What sys/capabilities reports: `deny` for a deny entry or one with no bits."""
        if self.bits & DENY or not self.bits:
            return frozenset({"deny"})
        return frozenset(name for name, bit in CAPABILITY_BITS.items() if self.bits & bit)


def _bits(rule: PathRule) -> int:
    if "deny" in rule.capabilities:  # vault/policy.go: deny stands alone
        return DENY
    bits = 0
    for name in rule.capabilities:
        bits |= CAPABILITY_BITS[name]
    return bits


def _merge_parameters(into: dict[str, tuple[Any, ...]], new: Mapping[str, tuple[Any, ...]]) -> None:
    for name, values in new.items():
        if not values or (name in into and not into[name]):
            into[name] = ()
        else:
            into[name] = tuple(values) + into.get(name, ())
