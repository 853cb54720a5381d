"""What `auth/token/roles/:name` keeps (Vault's tsRoleEntry, with its field names)."""

from __future__ import annotations

import msgspec


class TokenRole(msgspec.Struct, frozen=True, kw_only=True):
    """A token role, stored as JSON below the namespace's `sys/token/roles/`."""

    name: str
    allowed_policies: tuple[str, ...] = ()
    disallowed_policies: tuple[str, ...] = ()
    allowed_policies_glob: tuple[str, ...] = ()
    disallowed_policies_glob: tuple[str, ...] = ()
    orphan: bool = False
    renewable: bool = True
    path_suffix: str = ""
    allowed_entity_aliases: tuple[str, ...] = ()
    token_explicit_max_ttl: int = 0
    token_period: int = 0
    token_type: str = "default-service"  # noqa: S105 - a token type, not a secret
    token_bound_cidrs: tuple[str, ...] = ()
    token_no_default_policy: bool = False
    token_num_uses: int = 0

    @property
    def bounds_policies(self) -> bool:
        """Whether the role's allowed or disallowed policies bound a child's policies."""
        return bool(
            self.allowed_policies
            or self.disallowed_policies
            or self.allowed_policies_glob
            or self.disallowed_policies_glob
        )


ROLE_CODEC = msgspec.json.Decoder(TokenRole)
