"""What the token store keeps about a token. Never the token itself (DESIGN.md invariant 3):
`key` is the salted HMAC under which the entry is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import msgspec

TOKEN_PREFIX = "hvs."  # noqa: S105 - a prefix, not a secret
BATCH_PREFIX = "hvb."


class TokenEntry(msgspec.Struct, frozen=True, kw_only=True):
    key: str = ""  # salted HMAC of the token; empty for batch tokens
    accessor: str = ""  # empty for batch tokens
    policies: tuple[str, ...] = ()
    namespace: str = ""
    display_name: str = "token"
    meta: dict[str, str] | None = None
    creation_time: float = 0.0
    creation_ttl: int = 0
    expire_time: float | None = None  # None: never expires (root tokens)
    max_expire: float | None = None  # renewals never go past this
    explicit_max_ttl: int = 0
    period: int = 0
    num_uses: int = 0  # uses left; 0 = unlimited
    parent: str = ""  # the parent's key; "" for orphans
    type: Literal["service", "batch"] = "service"
    path: str = "auth/token/create"
    renewable: bool = True
    bound_cidrs: tuple[str, ...] = ()
    role: str = ""
    entity_id: str = ""
    last_renewal: float | None = None
    internal: dict[str, str] = msgspec.field(default_factory=dict)

    @property
    def is_root(self) -> bool:
        return "root" in self.policies

    @property
    def orphan(self) -> bool:
        return not self.parent

    def ttl_left(self, now: float) -> int:
        return 0 if self.expire_time is None else max(0, int(self.expire_time - now))

    def granted_ttl(self) -> int:
        """The TTL granted at issue or at the last renewal, measured from that same clock
        reading (Vault's `auth.lease_duration`): a `ttl=30m` token reports 1800, however
        late the answer is rendered."""
        return self.ttl_left(self.creation_time if self.last_renewal is None else self.last_renewal)

    def expired(self, now: float) -> bool:
        return self.expire_time is not None and self.expire_time <= now


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A freshly minted token: the one moment its value exists in the clear."""

    token: str = field(repr=False)
    entry: TokenEntry
    warnings: tuple[str, ...] = ()  # Vault's, e.g. when a max TTL cut the asked TTL short
