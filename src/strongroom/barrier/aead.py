"""Layer 2's sharp tool: AES-256-GCM with a caller-supplied 96-bit nonce and associated data.

Kept tiny on purpose (STYLE.md habit 7); the barrier and the seal build their envelopes on top.
Only a 256-bit key and a 96-bit nonce are accepted: GCM with other IV lengths runs the IV
through GHASH, which is where most GCM implementation bugs live (NIST SP 800-38D §8.2, and the
Wycheproof `LongIv`/`SmallIv` notes).
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from strongroom.barrier.errors import InvalidCiphertext

KEY_SIZE = 32
NONCE_SIZE = 12
TAG_SIZE = 16


def _check(key: bytes, nonce: bytes) -> None:
    if len(key) != KEY_SIZE:
        raise ValueError("AES-256-GCM needs a 32-byte key")
    if len(nonce) != NONCE_SIZE:
        raise ValueError("AES-256-GCM needs a 12-byte nonce")


class Cipher:
    """AES-256-GCM under one key, with the key schedule done once (the hot path reuses it).

    Holds key material: owners drop their Cipher objects when they seal.
    """

    __slots__ = ("_aesgcm",)

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_SIZE:
            raise ValueError("AES-256-GCM needs a 32-byte key")
        self._aesgcm = AESGCM(key)

    def __repr__(self) -> str:
        return "Cipher(***)"

    def encrypt(self, plaintext: bytes, aad: bytes, nonce: bytes) -> bytes:
        """`ciphertext ‖ tag`. The caller owns nonce uniqueness: a repeat leaks the GHASH key."""
        if len(nonce) != NONCE_SIZE:
            raise ValueError("AES-256-GCM needs a 12-byte nonce")
        return self._aesgcm.encrypt(nonce, plaintext, aad)

    def decrypt(self, ciphertext: bytes, aad: bytes, nonce: bytes) -> bytes:
        """The plaintext. Raises InvalidCiphertext if it does not authenticate."""
        if len(nonce) != NONCE_SIZE:
            raise ValueError("AES-256-GCM needs a 12-byte nonce")
        try:  # a ciphertext shorter than a tag also ends here, as InvalidTag
            return self._aesgcm.decrypt(nonce, ciphertext, aad)
        except InvalidTag:
            raise InvalidCiphertext from None


def encrypt(key: bytes, plaintext: bytes, aad: bytes, nonce: bytes) -> bytes:
    """`ciphertext ‖ tag` of `plaintext` bound to `aad`. Raises ValueError on a bad key/nonce size.

    The caller owns nonce uniqueness: a repeated (key, nonce) pair leaks the GHASH key.
    """
    _check(key, nonce)
    return Cipher(key).encrypt(plaintext, aad, nonce)


def decrypt(key: bytes, ciphertext: bytes, aad: bytes, nonce: bytes) -> bytes:
    """The plaintext of `ciphertext ‖ tag`. Raises InvalidCiphertext if it does not authenticate.

    Raises ValueError on a bad key or nonce size (a programming error, not a bad blob).
    """
    _check(key, nonce)
    return Cipher(key).decrypt(ciphertext, aad, nonce)


def derive_key(key: bytes, purpose: bytes) -> bytes:
    """HKDF-SHA256 (RFC 5869) of `key`, no salt, `purpose` as info: a 32-byte subkey."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=None, info=purpose).derive(key)
