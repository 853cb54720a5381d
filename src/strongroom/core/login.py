"""What an auth method's log-in handler hands the core (Vault's `logical.Auth`).

An auth method never mints tokens itself: its `login` handler answers a `Response` whose
`login` is one of these, and the core issues the token (TTLs clamped by the mount and the
system), renders Vault's `auth` block and audits it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

TokenType = Literal["service", "batch", "default", "default-service", "default-batch"]


@dataclass(frozen=True, slots=True)
class Login:
    policies: tuple[str, ...]
    display_name: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)
    ttl: int = 0  # seconds; 0 = the mount's default (then the system's)
    max_ttl: int = 0  # 0 = the mount's max (then the system's)
    explicit_max_ttl: int = 0  # a hard cap that survives renewals; 0 = none
    period: int = 0  # > 0 makes a periodic token
    num_uses: int = 0  # 0 = unlimited
    token_type: TokenType = "default"  # noqa: S105 - a token type, not a secret
    bound_cidrs: tuple[str, ...] = ()
    renewable: bool = True
    no_default_policy: bool = False
    alias_name: str = ""  # the identity the method saw (AppRole: the role_id)
    # The entity alias's metadata (Vault: JWT claim_mappings, Kubernetes service-account name).
    alias_metadata: Mapping[str, str] = field(default_factory=dict)
    # Names of external groups the method vouches for (JWT groups_claim, LDAP groups): the
    # identity engine matches them to group aliases on this mount.
    group_aliases: tuple[str, ...] = ()
    internal: Mapping[str, str] = field(default_factory=dict)  # e.g. {"role_name": ...}
