"""Policy values: what `parse_policy` returns, `render_policy` writes and `ACL.compile` reads.

The fields mirror Vault's `PathRules` / `ACLPermissions` (vault/policy.go): one `PathRule` per
`path "…" { … }` block, in document order, duplicates kept (they merge when compiled, as
`NewACL` in vault/acl.go merges them). Everything is frozen; parameter maps are read-only views.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["CAPABILITIES", "CAPABILITY_ORDER", "Decision", "PathRule", "Policy"]

# vault/policy.go `cap2Int`: the capabilities an ACL policy may grant. Vault Enterprise's
# `subscribe` and `recover` are not part of Strongroom.
CAPABILITIES = frozenset({"create", "read", "update", "patch", "delete", "list", "sudo", "deny"})

# The order Vault's documentation and `vault policy` output list them in; used when rendering.
CAPABILITY_ORDER = ("create", "read", "update", "patch", "delete", "list", "sudo", "deny")

Parameters = Mapping[str, tuple[Any, ...]]


def _empty() -> Parameters:
    return MappingProxyType({})


def _freeze(params: Mapping[str, Any]) -> Parameters:
    # vault/policy.go lower-cases parameter names when parsing (`strings.ToLower(key)`).
    return MappingProxyType({str(key).lower(): tuple(values) for key, values in params.items()})


@dataclass(frozen=True, slots=True)
class PathRule:
    """One `path` block. TTLs are whole seconds, 0 meaning unset (as Vault's zero Duration).

    Raises ValueError if `capabilities` holds a name outside CAPABILITIES.
    """

    path: str
    capabilities: frozenset[str]
    allowed_parameters: Parameters = field(default_factory=_empty)
    denied_parameters: Parameters = field(default_factory=_empty)
    required_parameters: tuple[str, ...] = ()
    min_wrapping_ttl: int = 0
    max_wrapping_ttl: int = 0

    def __post_init__(self) -> None:
        capabilities = frozenset(self.capabilities)
        if not capabilities <= CAPABILITIES:
            raise ValueError("unknown capability")
        object.__setattr__(self, "capabilities", capabilities)
        object.__setattr__(self, "allowed_parameters", _freeze(self.allowed_parameters))
        object.__setattr__(self, "denied_parameters", _freeze(self.denied_parameters))
        object.__setattr__(self, "required_parameters", tuple(self.required_parameters))

    def __hash__(self) -> int:
        # The parameter maps stay out of the hash (their values may be lists); equal rules
        # still hash equal, which is all the hash contract asks.
        return hash(
            (
                self.path,
                self.capabilities,
                self.required_parameters,
                self.min_wrapping_ttl,
                self.max_wrapping_ttl,
            )
        )


@dataclass(frozen=True, slots=True)
class Policy:
    """A named policy. `text` is the document as submitted (what `sys/policy` reads back); it
    takes no part in equality, so `parse_policy(name, render_policy(p)) == p`."""

    name: str
    rules: tuple[PathRule, ...]
    text: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Decision:
    """An ACL answer. `sudo`: the matching rule grants sudo (Vault's `RootPrivs`), whether or
    not the operation itself is allowed. `reason` is for the operator log only."""

    allowed: bool
    sudo: bool
    reason: str
