"""Encrypt and decrypt one item with a key, as Vault's `EncryptWithFactory`/`DecryptWithFactory`.

Symmetric keys seal with AEAD (`crypto/aead.py`) under the version's key, or under the key
derived for the context; convergent keys derive 32 more bytes as the nonce's HMAC key (Vault's
convergent version 3). RSA keys use OAEP. Ciphertexts are `vault:v<N>:<base64>`. Every way a
ciphertext can be wrong answers the one `InvalidCiphertext`.

An `Encryptor` follows one request: AES-GCM encryptions draw on the version's nonce budget, and
when it is spent the key rotates and the request carries on with the new version. It counts each
encryption as a use of its version (`events.py`); callers of `decrypt` count theirs.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import rsa

from strongroom.engines.transit import encoding
from strongroom.engines.transit.context import TransitContext
from strongroom.engines.transit.crypto import aead, signing
from strongroom.engines.transit.errors import InvalidCiphertext
from strongroom.engines.transit.keyring import Keyring
from strongroom.engines.transit.models import ENCRYPTION, NONCE_BUDGETED, SYMMETRIC
from strongroom.errors import BadRequest

_RETRIES = 100


def _sealed(ring: Keyring, version: int, plaintext: bytes, context: bytes, aad: bytes) -> bytes:
    if ring.type in SYMMETRIC:
        if not ring.policy.convergent_encryption:
            return aead.seal(ring.type, ring.symmetric(version, context), plaintext, aad)
        material = ring.symmetric(version, context, extra=32)
        size = aead.KEY_SIZES[ring.type]
        nonce = aead.convergent_nonce(material[size:], plaintext)
        return aead.seal(ring.type, material[:size], plaintext, aad, nonce)
    if aad:
        raise BadRequest(f"associated_data provided for non-AEAD cipher suite {ring.type}")
    public = ring.public_key(version, b"")
    if not isinstance(public, rsa.RSAPublicKey):
        raise BadRequest(f"message encryption not supported for key type {ring.type}")
    return signing.rsa_encrypt(public, plaintext)


class Encryptor:
    """Encrypts the items of one request, rotating the key if its nonce budget runs out."""

    def __init__(self, transit: TransitContext, ring: Keyring) -> None:
        if ring.type not in ENCRYPTION:
            raise BadRequest(f"message encryption not supported for key type {ring.type}")
        self.transit = transit
        self.ring = ring

    async def encrypt(
        self, plaintext: bytes, context: bytes, aad: bytes, requested: int = 0
    ) -> tuple[str, int]:
        """(ciphertext, version used). Raises BadRequest for a version or context problem."""
        self.ring.require_enabled()
        version = self.ring.encryption_version(requested)
        self.ring.entry(version)  # disabled or destroyed versions refuse before any counting
        if self.ring.type in NONCE_BUDGETED:
            version = await self._reserve(version, explicit=requested != 0)
        blob = _sealed(self.ring, version, plaintext, context, aad)
        self.transit.events.used(self.ring.name, version, "encrypt")
        return encoding.versioned(version, encoding.b64encode(blob)), version

    async def _reserve(self, version: int, *, explicit: bool) -> int:
        for _ in range(_RETRIES):
            if await self.transit.budget.take(self.ring, version, 1):
                return version
            if explicit:
                raise BadRequest(f"key version {version} has reached its encryption limit")
            self.ring = await self.transit.rotate_exhausted(self.ring.name, version)
            version = self.ring.policy.latest_version
        raise BadRequest("the key kept reaching its encryption limit")


def decrypt(ring: Keyring, ciphertext: str, context: bytes, aad: bytes) -> tuple[bytes, int]:
    """(plaintext, version). Raises InvalidCiphertext, or BadRequest for policy refusals."""
    if ring.type not in ENCRYPTION:
        raise BadRequest(f"message decryption not supported for key type {ring.type}")
    ring.require_enabled()
    parsed = encoding.split_versioned(ciphertext)
    if parsed is None:
        raise InvalidCiphertext
    version = ring.decryption_version(parsed[0], InvalidCiphertext)
    try:
        blob = encoding.b64decode(parsed[1], "ciphertext")
    except BadRequest:
        raise InvalidCiphertext from None
    if ring.type in SYMMETRIC:
        return aead.open_blob(ring.type, ring.symmetric(version, context), blob, aad), version
    if aad:
        raise BadRequest(f"associated_data provided for non-AEAD cipher suite {ring.type}")
    private = ring.private_key(version, b"")
    if not isinstance(private, rsa.RSAPrivateKey):
        raise InvalidCiphertext
    return signing.rsa_decrypt(private, blob), version
