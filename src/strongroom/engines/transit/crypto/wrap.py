"""BYOK key transport, as Vault's `keys/:name/import` expects it (`path_import.go`).

The caller generates an ephemeral AES-256 key, encrypts it to the mount's RSA-4096 wrapping key
with RSA-OAEP (MGF1 and label-less, hash chosen by `hash_function`, SHA-256 by default), wraps
the target key with AES-KWP (RFC 5649) under the ephemeral key, and sends
`base64(oaep_blob ‖ kwp_blob)`. `wrap_for_import` is the client half, used by tests and tools.
"""

from __future__ import annotations

import secrets

from cryptography.hazmat.primitives import hashes, keywrap
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from strongroom.engines.transit.errors import InvalidKeyMaterial

WRAPPING_KEY_BITS = 4096
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "SHA1": hashes.SHA1,
    "SHA224": hashes.SHA224,
    "SHA256": hashes.SHA256,
    "SHA384": hashes.SHA384,
    "SHA512": hashes.SHA512,
}
HASH_FUNCTIONS = frozenset(_HASHES)


def _oaep(hash_function: str) -> padding.OAEP:
    algorithm = _HASHES[hash_function.upper()]()
    return padding.OAEP(mgf=padding.MGF1(algorithm), algorithm=algorithm, label=None)


def oaep_decrypt(key: rsa.RSAPrivateKey, blob: bytes, hash_function: str) -> bytes:
    """RSA-OAEP decryption. Raises InvalidKeyMaterial on any failure."""
    try:
        return key.decrypt(blob, _oaep(hash_function))
    except ValueError:
        raise InvalidKeyMaterial from None


def unwrap(key: rsa.RSAPrivateKey, blob: bytes, hash_function: str = "SHA256") -> bytes:
    """The target key material inside an import blob. Raises InvalidKeyMaterial."""
    size = key.key_size // 8
    if len(blob) <= size:
        raise InvalidKeyMaterial("provided ciphertext is too short")
    ephemeral = oaep_decrypt(key, blob[:size], hash_function)
    if len(ephemeral) != 32:
        raise InvalidKeyMaterial("expected ephemeral AES key to be 256-bit")
    try:
        return keywrap.aes_key_unwrap_with_padding(ephemeral, blob[size:])
    except keywrap.InvalidUnwrap:
        raise InvalidKeyMaterial from None


def wrap_for_import(
    wrapping_key: rsa.RSAPublicKey, target: bytes, hash_function: str = "SHA256"
) -> bytes:
    """The client side: what a caller sends as `ciphertext` (before base64)."""
    ephemeral = secrets.token_bytes(32)
    head = wrapping_key.encrypt(ephemeral, _oaep(hash_function))
    return head + keywrap.aes_key_wrap_with_padding(ephemeral, target)
