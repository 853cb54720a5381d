"""The OIDC records as Vault renders them (api-docs/secret/identity/tokens)."""

from __future__ import annotations

from typing import Any

from strongroom.engines.identity.oidc.models import (
    Assignment,
    Client,
    NamedKey,
    Provider,
    PublicKey,
    Role,
    Scope,
)
from strongroom.engines.identity.oidc.signing import ALGORITHMS


def key(found: NamedKey) -> dict[str, Any]:
    return {
        "algorithm": found.algorithm,
        "allowed_client_ids": list(found.allowed_client_ids),
        "rotation_period": found.rotation_period,
        "verification_ttl": found.verification_ttl,
    }


def role(found: Role) -> dict[str, Any]:
    return {
        "client_id": found.client_id,
        "key": found.key,
        "template": found.template,
        "ttl": found.ttl,
    }


def jwks(keys: list[PublicKey]) -> dict[str, Any]:
    return {"keys": [k.jwk for k in keys]}


def discovery(issuer: str) -> dict[str, Any]:
    """`.well-known/openid-configuration` of the signed-token issuer."""
    return {
        "issuer": issuer,
        "jwks_uri": f"{issuer}/.well-known/keys",
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": list(ALGORITHMS),
    }


def scope(found: Scope) -> dict[str, Any]:
    return {"description": found.description, "template": found.template}


def assignment(found: Assignment) -> dict[str, Any]:
    return {"entity_ids": list(found.entity_ids), "group_ids": list(found.group_ids)}


def client(found: Client) -> dict[str, Any]:
    shown = {
        "access_token_ttl": found.access_token_ttl,
        "assignments": list(found.assignments),
        "authorization_code": found.authorization_code,
        "client_credentials": found.client_credentials,
        "client_id": found.client_id,
        "client_type": found.client_type,
        "id_token_ttl": found.id_token_ttl,
        "key": found.key,
        "redirect_uris": list(found.redirect_uris),
    }
    if found.client_secret:  # confidential clients only, as Vault shows it
        shown["client_secret"] = found.client_secret
    return shown


def provider(found: Provider, issuer: str) -> dict[str, Any]:
    return {
        "allowed_client_ids": list(found.allowed_client_ids),
        "issuer": issuer,
        "scopes_supported": list(found.scopes_supported),
    }


def provider_discovery(issuer: str, ui_base: str, scopes: list[str]) -> dict[str, Any]:
    """A provider's `.well-known/openid-configuration` (Vault's member order)."""
    return {
        "issuer": issuer,
        "jwks_uri": f"{issuer}/.well-known/keys",
        "authorization_endpoint": ui_base + "/authorize",
        "token_endpoint": f"{issuer}/token",
        "userinfo_endpoint": f"{issuer}/userinfo",
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
        "id_token_signing_alg_values_supported": list(ALGORITHMS),
        "response_types_supported": ["code"],
        "scopes_supported": [*scopes, "openid"],
        "claims_supported": [],
        "subject_types_supported": ["public"],
        "grant_types_supported": ["authorization_code"],
        "token_endpoint_auth_methods_supported": [
            "none",
            "client_secret_basic",
            "client_secret_post",
        ],
    }
