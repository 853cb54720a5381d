"""Derived keys: Vault's `hkdf_sha256` KDF (`keysutil.Policy.DeriveKey`).

The derived key is HKDF-SHA256 with the version's key as input key material, no salt and the
caller's context as `info` (RFC 5869). Ed25519 keys use the first 32 derived bytes as the seed
of a fresh key pair, exactly as Go's `ed25519.GenerateKey(hkdfReader)` does.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def derive(key: bytes, context: bytes, length: int) -> bytes:
    """`length` bytes of HKDF-SHA256(ikm=key, salt=none, info=context)."""
    if not context:
        raise ValueError("derivation needs a context")
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=context).derive(key)


def derive_ed25519(key: bytes, context: bytes) -> Ed25519PrivateKey:
    """The Ed25519 key a derived `ed25519` transit key uses for `context`."""
    return Ed25519PrivateKey.from_private_bytes(derive(key, context, 32))
