"""Asymmetric transit keys: generation, stored form, public forms and export encodings.

Stored private forms follow Vault so derived keys and exports agree with it: Ed25519 keeps Go's
64-byte `seed ‖ public` (the HKDF input of derived Ed25519 keys is all 64 bytes,
`keysutil.Policy.DeriveKey`), ECDSA and RSA keep PKCS#8 DER. Public keys render as Vault does:
base64 raw bytes for Ed25519, PEM SubjectPublicKeyInfo for ECDSA and RSA.
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from strongroom.engines.transit.errors import InvalidKeyMaterial

PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey

CURVES: dict[str, tuple[type[ec.EllipticCurve], str]] = {
    "ecdsa-p256": (ec.SECP256R1, "P-256"),
    "ecdsa-p384": (ec.SECP384R1, "P-384"),
    "ecdsa-p521": (ec.SECP521R1, "P-521"),
}
RSA_BITS = {"rsa-2048": 2048, "rsa-3072": 3072, "rsa-4096": 4096}
TYPES = frozenset({"ed25519", *CURVES, *RSA_BITS})
_RAW = (ser.Encoding.Raw, ser.PublicFormat.Raw)


def curve_name(key_type: str) -> str:
    """The `name` Vault shows for a version: the curve, or the key type itself."""
    return CURVES[key_type][1] if key_type in CURVES else key_type


def generate(key_type: str) -> bytes:
    """A new private key in its stored form (slow for RSA: run it off the event loop)."""
    if key_type == "ed25519":
        return _ed25519_stored(ed25519.Ed25519PrivateKey.generate())
    if key_type in CURVES:
        return _pkcs8(ec.generate_private_key(CURVES[key_type][0]()))
    return _pkcs8(rsa.generate_private_key(65537, RSA_BITS[key_type]))


def _ed25519_stored(key: ed25519.Ed25519PrivateKey) -> bytes:
    seed = key.private_bytes(ser.Encoding.Raw, ser.PrivateFormat.Raw, ser.NoEncryption())
    return seed + key.public_key().public_bytes(*_RAW)


def _pkcs8(key: PrivateKey) -> bytes:
    return key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption())


def load_private(key_type: str, stored: bytes) -> PrivateKey:
    """The private key object for a stored form. Raises InvalidKeyMaterial if it does not fit."""
    if key_type == "ed25519":
        if len(stored) != 64:
            raise InvalidKeyMaterial
        return ed25519.Ed25519PrivateKey.from_private_bytes(stored[:32])
    try:
        key = ser.load_der_private_key(stored, password=None)
    except (ValueError, TypeError):
        raise InvalidKeyMaterial from None
    _check_fits(key_type, key)
    return key  # type: ignore[return-value]  # _check_fits narrowed it to our three families


def from_pkcs8(key_type: str, der: bytes) -> bytes:
    """The stored form of an imported PKCS#8 private key (BYOK). Raises InvalidKeyMaterial."""
    try:
        key = ser.load_der_private_key(der, password=None)
    except (ValueError, TypeError):
        raise InvalidKeyMaterial from None
    _check_fits(key_type, key)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return _ed25519_stored(key)
    return _pkcs8(key)  # type: ignore[arg-type]  # _check_fits narrowed it


def _check_fits(key_type: str, key: object) -> None:
    if key_type == "ed25519":
        ok = isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey)
    elif key_type in CURVES:
        ok = isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) and (
            key.curve.name == CURVES[key_type][0]().name
        )
    else:
        ok = isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey) and (
            key.key_size == RSA_BITS.get(key_type)
        )
    if not ok:
        raise InvalidKeyMaterial(f"key material does not fit key type {key_type}")


def format_public(key_type: str, key: PublicKey) -> str:
    """Vault's `public_key` field: base64 raw for Ed25519, PEM SPKI otherwise."""
    if key_type == "ed25519":
        return base64.b64encode(key.public_bytes(*_RAW)).decode()
    pem = key.public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo)
    return pem.decode()


def parse_public(key_type: str, formatted: str) -> PublicKey:
    """The inverse of `format_public`; also reads a caller's PEM (BYOK public-key import)."""
    try:
        if key_type == "ed25519" and not formatted.lstrip().startswith("-----"):
            return ed25519.Ed25519PublicKey.from_public_bytes(base64.b64decode(formatted))
        key = ser.load_pem_public_key(formatted.encode())
    except (ValueError, TypeError):
        raise InvalidKeyMaterial from None
    _check_fits(key_type, key)
    return key  # type: ignore[return-value]  # _check_fits narrowed it


def export_private(key_type: str, key: PrivateKey, stored: bytes, fmt: str) -> str:
    """Vault's `signing-key` export: default forms as `path_export.go`, or `der`/`pem` PKCS#8."""
    if key_type == "ed25519" and fmt in {"", "raw"}:
        return base64.b64encode(stored).decode()
    if fmt == "raw":
        raise ValueError("raw format only applies to symmetric and ed25519 keys")
    if fmt == "":
        legacy = ser.PrivateFormat.TraditionalOpenSSL  # "EC PRIVATE KEY" / "RSA PRIVATE KEY"
        pem = key.private_bytes(ser.Encoding.PEM, legacy, ser.NoEncryption()).decode()
        return pem if key_type in RSA_BITS else pem.strip()
    der = key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption())
    return _der_or_pem(der, "PRIVATE KEY", fmt, strip=key_type not in RSA_BITS)


def export_public(key_type: str, key: PublicKey, fmt: str) -> str:
    """Vault's `public-key` export."""
    if key_type == "ed25519" and fmt in {"", "raw"}:
        return format_public(key_type, key)
    if fmt == "raw":
        raise ValueError("raw format only applies to symmetric and ed25519 keys")
    der = key.public_bytes(ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo)
    return _der_or_pem(der, "PUBLIC KEY", fmt, strip=key_type not in RSA_BITS)


def _der_or_pem(der: bytes, label: str, fmt: str, *, strip: bool) -> str:
    body = base64.b64encode(der).decode()
    if fmt == "der":
        return body
    lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    pem = f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----\n"
    return pem.strip() if strip else pem
