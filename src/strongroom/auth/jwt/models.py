"""What the JWT/OIDC method stores behind the barrier: its config, its roles, and the pending
OIDC log-ins (api-docs/auth/jwt "Configure", "Create/Update Role", "OIDC Authorization URL
Request").

Field names are Vault's. TTLs and leeways are whole seconds; a leeway of 0 means Vault's default
and -1 means none. `oidc_client_secret` is stored (the token endpoint needs it) but never
rendered; a pending log-in keeps its PKCE verifier and nonce until the callback spends it.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from strongroom.logical.token_fields import TokenSettings
from strongroom.secret import masked_repr

RoleType = Literal["jwt", "oidc"]
ClaimsType = Literal["string", "glob"]


class Config(msgspec.Struct, frozen=True, kw_only=True):
    oidc_discovery_url: str = ""
    oidc_discovery_ca_pem: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_response_mode: str = ""
    oidc_response_types: tuple[str, ...] = ()
    jwks_url: str = ""
    jwks_ca_pem: str = ""
    jwt_validation_pubkeys: tuple[str, ...] = ()
    jwt_supported_algs: tuple[str, ...] = ()
    bound_issuer: str = ""
    default_role: str = ""
    namespace_in_state: bool = True

    def __repr__(self) -> str:
        return masked_repr(self, ("oidc_client_secret",))

    def oidc_ready(self) -> bool:
        """Whether the authorization-code flow can run: a provider and a client."""
        return bool(self.oidc_discovery_url and self.oidc_client_id)


class Role(TokenSettings, frozen=True, kw_only=True):
    role_type: RoleType = "oidc"
    bound_audiences: tuple[str, ...] = ()
    user_claim: str = ""
    user_claim_json_pointer: bool = False
    bound_subject: str = ""
    bound_claims: dict[str, Any] | None = None
    bound_claims_type: ClaimsType = "string"
    claim_mappings: dict[str, str] | None = None
    groups_claim: str = ""
    clock_skew_leeway: int = 0
    expiration_leeway: int = 0
    not_before_leeway: int = 0
    allowed_redirect_uris: tuple[str, ...] = ()
    oidc_scopes: tuple[str, ...] = ()
    max_age: int = 0
    verbose_oidc_logging: bool = False


class PendingLogin(msgspec.Struct, frozen=True, kw_only=True):
    """`state/<HMAC(state)>`: one authorization-code flow begun by `oidc/auth_url`."""

    role: str
    redirect_uri: str
    nonce: str
    code_verifier: str
    client_nonce: str = ""
    expires: float

    def __repr__(self) -> str:
        return masked_repr(self, ("nonce", "code_verifier", "client_nonce"))


CONFIG = msgspec.json.Decoder(Config)
ROLE = msgspec.json.Decoder(Role)
PENDING = msgspec.json.Decoder(PendingLogin)
encode = msgspec.json.Encoder().encode
