"""Signing keys and compact JWS (RFC 7515) through joserfc, for Vault's seven algorithms.

Vault generates RSA-2048 for RS*, the NIST curve matching the hash for ES*, Ed25519 for EdDSA
(vault/identity_store_oidc.go `generateKeys`), and names each key with a random UUID.
"""

from __future__ import annotations

import asyncio
import secrets
import uuid
import warnings
from collections import OrderedDict

from joserfc import jws
from joserfc.errors import JoseError, SecurityWarning
from joserfc.jwk import ECKey, Key, OKPKey, RSAKey, import_key

from strongroom.engines.identity.oidc.models import PublicKey, SigningKey

ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "EdDSA")
_CURVES = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}
RSA_BITS = 2048


class InvalidSignature(Exception):
    """A token that no published key verifies (one error for every way, so no oracle)."""


def _generated(algorithm: str) -> Key:
    if algorithm.startswith("RS"):
        return RSAKey.generate_key(RSA_BITS, private=True)
    if algorithm in _CURVES:
        return ECKey.generate_key(_CURVES[algorithm], private=True)
    return OKPKey.generate_key("Ed25519", private=True)


def _loaded(jwk: dict[str, str]) -> Key:
    members: dict[str, str | list[str]] = dict(jwk)
    return import_key(members)


def generate(algorithm: str) -> SigningKey:
    """A fresh private key for `algorithm` (one of ALGORITHMS)."""
    kid = str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))
    private = {k: str(v) for k, v in _generated(algorithm).as_dict(private=True).items()}
    return SigningKey(kid=kid, private_jwk=private)


def public(key: SigningKey, algorithm: str) -> PublicKey:
    """The public half of `key` as a JWKS entry (Vault's member order: use, kty, kid, alg)."""
    members = _loaded(key.private_jwk).as_dict(private=False)
    jwk = {"use": "sig", "kty": str(members.pop("kty")), "kid": key.kid, "alg": algorithm}
    jwk |= {k: str(v) for k, v in members.items()}
    return PublicKey(kid=key.kid, jwk=jwk)


class Supply:
    """Fresh signing keys made on a thread before a checked write needs them (an RSA key
    takes tens of milliseconds, seconds under load: never on the event loop). A write that
    finds none of its algorithm in stock (it lost a race, or the algorithm changed under it)
    makes one there and then."""

    def __init__(self) -> None:
        self._stock: dict[str, list[SigningKey]] = {}

    async def stock(self, algorithm: str, count: int) -> None:
        made = await asyncio.to_thread(lambda: [generate(algorithm) for _ in range(count)])
        self._stock.setdefault(algorithm, []).extend(made)

    def take(self, algorithm: str) -> SigningKey:
        stocked = self._stock.get(algorithm)
        return stocked.pop() if stocked else generate(algorithm)


class Loaded:
    """Private keys parsed from their JWKs, by kid: loading an RSA key checks it, which costs
    far more than signing. Held by one mount's context, so it goes when the mount does (a
    seal drops every backend instance and this with it)."""

    def __init__(self, size: int = 64) -> None:
        self._keys: OrderedDict[str, Key] = OrderedDict()
        self._size = size

    def get(self, key: SigningKey) -> Key:
        found = self._keys.get(key.kid)
        if found is None:
            found = self._keys[key.kid] = _loaded(key.private_jwk)
            if len(self._keys) > self._size:
                self._keys.popitem(last=False)
        return found


def sign(loaded: Key, kid: str, algorithm: str, payload: bytes) -> str:
    """A compact JWS of `payload` with header {"alg", "kid"}."""
    header = {"alg": algorithm, "kid": kid}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SecurityWarning)
        return jws.serialize_compact(header, payload, loaded, [algorithm])


def verify(token: str, keys: list[PublicKey]) -> bytes:
    """The payload of `token` if one of `keys` (by its `kid`) verifies it with that key's
    algorithm. Raises InvalidSignature otherwise."""
    try:
        header = jws.extract_compact(token.encode()).headers()
    except (JoseError, ValueError):
        raise InvalidSignature from None
    found = next((k for k in keys if k.kid == header.get("kid")), None)
    if found is None or header.get("alg") != found.jwk["alg"]:
        raise InvalidSignature
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SecurityWarning)
            verified = jws.deserialize_compact(token, _loaded(found.jwk), [found.jwk["alg"]])
    except (JoseError, ValueError):
        raise InvalidSignature from None
    return verified.payload
