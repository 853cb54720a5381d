"""Verifying JWTs with public keys only (RFC 7515/7519, through joserfc), for the auth methods
that accept signed tokens (JWT/OIDC, Kubernetes service-account tokens).

Only asymmetric algorithms exist here: `none` and the HMAC family are never accepted, so no
token can be "signed" with a public key used as an HMAC secret.
"""

from __future__ import annotations

from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, OKPKey, RSAKey

__all__ = ["ASYMMETRIC_ALGS", "PublicKey", "claims_of", "public_key"]

ASYMMETRIC_ALGS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
)
PublicKey = RSAKey | ECKey | OKPKey


def public_key(pem: str) -> PublicKey:
    """The public key of a PEM block. Raises ValueError if it holds none."""
    for kind in (RSAKey, ECKey, OKPKey):
        try:
            return kind.import_key(pem)
        except (JoseError, ValueError, TypeError):
            continue
    raise ValueError("no public key")


def claims_of(
    token: str, key: PublicKey | KeySet, algs: tuple[str, ...] = ASYMMETRIC_ALGS
) -> dict[str, Any]:
    """The claims of `token` once its signature verifies under `key` with one of `algs`.
    Raises JoseError, ValueError or TypeError (a bad signature, algorithm, key id, encoding)."""
    claims = jwt.decode(token, key, algorithms=[a for a in algs if a in ASYMMETRIC_ALGS]).claims
    if not isinstance(claims, dict):
        raise TypeError("claims are not a JSON object")
    return claims
