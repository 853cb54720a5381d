"""AEAD for symmetric transit keys: Vault's `nonce ‖ ciphertext ‖ tag` blob layout.

Vault (`sdk/helper/keysutil/policy.go`, `SymmetricEncryptRaw`) prepends the 96-bit nonce to the
AEAD output for every key type we support; convergent keys derive that nonce as
HMAC-SHA256(hmac_key, plaintext)[:12] (convergent version 3), so equal plaintexts under equal
contexts give equal ciphertexts. Every failure to open raises one `InvalidCiphertext`.
"""

from __future__ import annotations

import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305

from strongroom.engines.transit.errors import InvalidCiphertext

NONCE_SIZE = 12
TAG_SIZE = 16
KEY_SIZES = {"aes128-gcm96": 16, "aes256-gcm96": 32, "chacha20-poly1305": 32}


def _cipher(key_type: str, key: bytes) -> AESGCM | ChaCha20Poly1305:
    if KEY_SIZES.get(key_type) != len(key):
        raise ValueError("key does not fit the key type")
    return ChaCha20Poly1305(key) if key_type == "chacha20-poly1305" else AESGCM(key)


def convergent_nonce(hmac_key: bytes, plaintext: bytes) -> bytes:
    """Vault's convergent version 3 nonce: HMAC-SHA256 of the plaintext, first 96 bits."""
    mac = hmac.HMAC(hmac_key, hashes.SHA256())
    mac.update(plaintext)
    return mac.finalize()[:NONCE_SIZE]


def seal(
    key_type: str, key: bytes, plaintext: bytes, aad: bytes = b"", nonce: bytes | None = None
) -> bytes:
    """`nonce ‖ ct ‖ tag`; a fresh random nonce unless one is given (convergent, or a KAT)."""
    nonce = secrets.token_bytes(NONCE_SIZE) if nonce is None else nonce
    if len(nonce) != NONCE_SIZE:
        raise ValueError("nonce must be 96 bits")
    return nonce + _cipher(key_type, key).encrypt(nonce, plaintext, aad or None)


def open_blob(key_type: str, key: bytes, blob: bytes, aad: bytes = b"") -> bytes:
    """The plaintext of a `seal` blob. Raises InvalidCiphertext, whatever is wrong with it."""
    if len(blob) < NONCE_SIZE + TAG_SIZE:
        raise InvalidCiphertext
    try:
        return _cipher(key_type, key).decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:], aad or None)
    except InvalidTag:
        raise InvalidCiphertext from None
