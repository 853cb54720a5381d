"""Key material: generation, parsing and Vault's output forms (api-docs/secret/pki, "key_type",
"key_bits", "private_key_format").

Vault's key types are `rsa` (2048, 3072, 4096 and 8192 bits), `ec` (P-224, P-256, P-384, P-521)
and `ed25519`; `key_bits` 0 picks each type's default. A private key is returned as Vault does:
PKCS#1 for RSA, SEC 1 for EC, PKCS#8 for Ed25519, or PKCS#8 for all with
`private_key_format=pkcs8`; `format=der` gives the DER in base64.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import TypeAlias

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes

from strongroom.errors import BadRequest

PrivateKey: TypeAlias = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
PublicKey: TypeAlias = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey
SignatureHash: TypeAlias = hashes.SHA256 | hashes.SHA384 | hashes.SHA512

RSA_BITS = frozenset({2048, 3072, 4096, 8192})
CURVES: Mapping[int, ec.EllipticCurve] = {
    224: ec.SECP224R1(),
    256: ec.SECP256R1(),
    384: ec.SECP384R1(),
    521: ec.SECP521R1(),
}
DEFAULT_BITS = {"rsa": 2048, "ec": 256, "ed25519": 0}
# Vault's default signature hash per EC curve size (certutil's signature-bits selection).
_EC_HASH = {224: 256, 256: 256, 384: 384, 521: 512}
_HASHES: Mapping[int, SignatureHash] = {
    256: hashes.SHA256(),
    384: hashes.SHA384(),
    512: hashes.SHA512(),
}


def checked_bits(key_type: str, key_bits: int) -> int:
    """The key size Vault would use for `key_type`/`key_bits` (0 = the default).
    Raises BadRequest for an unknown type or a size the type does not have."""
    if key_type not in DEFAULT_BITS:
        raise BadRequest("unknown key_type; must be one of rsa, ec or ed25519")
    bits = key_bits or DEFAULT_BITS[key_type]
    if key_type == "rsa" and bits not in RSA_BITS:
        raise BadRequest("RSA keys must be 2048, 3072, 4096 or 8192 bits")
    if key_type == "ec" and bits not in CURVES:
        raise BadRequest("unsupported bit length for EC key: must be 224, 256, 384 or 521")
    if key_type == "ed25519":
        bits = 0
    return bits


def generate(key_type: str, key_bits: int) -> PrivateKey:
    """A new key. Raises BadRequest as `checked_bits` does."""
    bits = checked_bits(key_type, key_bits)
    if key_type == "rsa":
        return rsa.generate_private_key(65537, bits)
    if key_type == "ec":
        return ec.generate_private_key(CURVES[bits])
    return ed25519.Ed25519PrivateKey.generate()


def type_of(key: PrivateKey | PublicKey) -> str:
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return "rsa"
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        return "ec"
    return "ed25519"


def bits_of(key: PrivateKey | PublicKey) -> int:
    if isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey):
        return 0
    return key.key_size


def signature_hash(key: PrivateKey, signature_bits: int) -> SignatureHash | None:
    """The hash certificates signed by `key` use: `signature_bits` if set, else Vault's default
    (SHA-256 for RSA, by curve size for EC); None for Ed25519. Raises BadRequest for a size
    other than 256, 384 or 512."""
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return None
    bits = signature_bits
    if not bits:
        bits = _EC_HASH[key.key_size] if isinstance(key, ec.EllipticCurvePrivateKey) else 256
    if bits not in _HASHES:
        raise BadRequest("unsupported signature_bits; must be 256, 384 or 512")
    return _HASHES[bits]


def to_pkcs8(key: PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def load(pem: str) -> PrivateKey:
    """The private key in `pem` (PKCS#1, SEC 1 or PKCS#8, unencrypted). Raises BadRequest
    for anything else, without repeating the input."""
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        raise BadRequest("unable to parse the private key") from None
    if not isinstance(
        key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
    ):
        raise BadRequest("unsupported private key type; must be rsa, ec or ed25519")
    return key


def render(key: PrivateKey, fmt: str, private_key_format: str) -> str:
    """The private key as Vault returns it for `format` (pem, pem_bundle, der) and
    `private_key_format` (der = the type's own form, pkcs8)."""
    if private_key_format == "pkcs8" or isinstance(key, ed25519.Ed25519PrivateKey):
        form = serialization.PrivateFormat.PKCS8
    else:
        form = serialization.PrivateFormat.TraditionalOpenSSL
    encoding = serialization.Encoding.DER if fmt == "der" else serialization.Encoding.PEM
    raw = key.private_bytes(encoding, form, serialization.NoEncryption())
    return base64.b64encode(raw).decode() if fmt == "der" else raw.decode()


def supported(public: CertificatePublicKeyTypes) -> PublicKey:
    """`public` if it is of a type Vault issues for (RSA, EC, Ed25519). Raises BadRequest."""
    if isinstance(public, rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey):
        return public
    raise BadRequest("unsupported key type; must be rsa, ec or ed25519")


def same_public(a: CertificatePublicKeyTypes, b: CertificatePublicKeyTypes) -> bool:
    """Whether two public keys are the same key (their SubjectPublicKeyInfo bytes)."""
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    return a.public_bytes(*spki) == b.public_bytes(*spki)
