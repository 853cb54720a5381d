"""The OIDC records as Vault renders them (api-docs/secret/identity/tokens)."""

from __future__ import annotations

from typing import Any

from strongroom.engines.identity.oidc.models import NamedKey, PublicKey, Role
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
