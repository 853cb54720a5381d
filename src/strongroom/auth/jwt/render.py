"""How JWT/OIDC records look on the wire: Vault's config and role read bodies
(api-docs/auth/jwt "Read Config", "Read Role"). The client secret is never shown."""

from __future__ import annotations

from typing import Any

from strongroom.auth.jwt.models import Config, Role
from strongroom.logical.token_fields import render_token_fields


def config(entry: Config) -> dict[str, Any]:
    return {
        "bound_issuer": entry.bound_issuer,
        "default_role": entry.default_role,
        "jwks_ca_pem": entry.jwks_ca_pem,
        "jwks_url": entry.jwks_url,
        "jwt_supported_algs": list(entry.jwt_supported_algs),
        "jwt_validation_pubkeys": list(entry.jwt_validation_pubkeys),
        "namespace_in_state": entry.namespace_in_state,
        "oidc_client_id": entry.oidc_client_id,
        "oidc_discovery_ca_pem": entry.oidc_discovery_ca_pem,
        "oidc_discovery_url": entry.oidc_discovery_url,
        "oidc_response_mode": entry.oidc_response_mode,
        "oidc_response_types": list(entry.oidc_response_types),
        "override_allowed_server_names": [],
        "provider_config": {},
        "status": "valid",
    }


def role(entry: Role) -> dict[str, Any]:
    return {
        "allowed_redirect_uris": list(entry.allowed_redirect_uris) or None,
        "bound_audiences": list(entry.bound_audiences) or None,
        "bound_claims": entry.bound_claims,
        "bound_claims_type": entry.bound_claims_type,
        "bound_subject": entry.bound_subject,
        "callback_mode": "client",
        "claim_mappings": entry.claim_mappings,
        "clock_skew_leeway": entry.clock_skew_leeway,
        "expiration_leeway": entry.expiration_leeway,
        "groups_claim": entry.groups_claim,
        "max_age": entry.max_age,
        "not_before_leeway": entry.not_before_leeway,
        "oidc_scopes": list(entry.oidc_scopes) or None,
        "role_type": entry.role_type,
        "user_claim": entry.user_claim,
        "user_claim_json_pointer": entry.user_claim_json_pointer,
        "verbose_oidc_logging": entry.verbose_oidc_logging,
        **render_token_fields(entry),
    }
