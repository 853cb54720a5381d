"""Signatures and RSA-OAEP for asymmetric transit keys, with Vault's options.

As `keysutil.Policy.SignWithOptions`: ECDSA and RSA sign a digest of the input (hashed here unless
`prehashed`), Ed25519 signs the input itself. ECDSA signatures marshal as ASN.1 DER or JWS
(`r ‖ s`, fixed width); RSA uses PSS (default) or PKCS#1 v1.5, and `hash_algorithm=none` gives
PKCS#1 v1.5 without DigestInfo. Salt lengths use Go's constants: 0 is "auto" (the maximum when
signing, detected when verifying), -1 is "hash" (the digest length), n > 0 is exact.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils

from strongroom.engines.transit.crypto import digest
from strongroom.engines.transit.crypto.asymmetric import PrivateKey, PublicKey
from strongroom.engines.transit.errors import InvalidCiphertext

SALT_AUTO = 0
SALT_HASH = -1
_BY_LENGTH = {20: "sha1", 28: "sha2-224", 32: "sha2-256", 48: "sha2-384", 64: "sha2-512"}
_OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


@dataclass(frozen=True, slots=True)
class SignOptions:
    hash_name: str = "sha2-256"
    prehashed: bool = False
    signature_algorithm: str = "pss"
    salt_length: int = SALT_AUTO
    marshaling: str = "asn1"


def max_salt_length(key_bits: int, hash_name: str) -> int:
    """Go's `(bits-1+7)/8 - 2 - hashSize`: the longest PSS salt the key size allows."""
    return (key_bits - 1 + 7) // 8 - 2 - digest.algorithm(hash_name).digest_size


def _digest(opts: SignOptions, message: bytes) -> bytes:
    return message if opts.prehashed else digest.digest(opts.hash_name, message)


def _prehashed(opts: SignOptions, hashed: bytes, *, any_length: bool) -> utils.Prehashed:
    """The Prehashed marker; ECDSA takes any standard digest length, as Go's ecdsa.Sign does."""
    algorithm = digest.algorithm(opts.hash_name)
    if algorithm.digest_size != len(hashed) and any_length and len(hashed) in _BY_LENGTH:
        algorithm = digest.algorithm(_BY_LENGTH[len(hashed)])
    if algorithm.digest_size != len(hashed):
        raise ValueError("input is not a digest of the hash algorithm")
    return utils.Prehashed(algorithm)


def _pss(key_bits: int, opts: SignOptions, *, verifying: bool) -> padding.PSS:
    algorithm = digest.algorithm(opts.hash_name)
    salt: int | padding._MaxLength | padding._Auto | padding._DigestLength
    if opts.salt_length == SALT_AUTO:
        salt = padding.PSS.AUTO if verifying else padding.PSS.MAX_LENGTH
    elif opts.salt_length == SALT_HASH:
        salt = padding.PSS.DIGEST_LENGTH
    elif 0 < opts.salt_length <= max_salt_length(key_bits, opts.hash_name):
        salt = opts.salt_length
    else:
        raise ValueError("requested salt length is invalid")
    return padding.PSS(mgf=padding.MGF1(algorithm), salt_length=salt)


def _rsa_args(
    key_bits: int, opts: SignOptions, hashed: bytes, *, verifying: bool
) -> tuple[padding.AsymmetricPadding, utils.Prehashed]:
    pre = _prehashed(opts, hashed, any_length=False)
    if opts.signature_algorithm == "pkcs1v15":
        return padding.PKCS1v15(), pre
    return _pss(key_bits, opts, verifying=verifying), pre


def _width(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> int:
    return (key.curve.key_size + 7) // 8


def sign(key: PrivateKey, message: bytes, opts: SignOptions) -> bytes:
    """The raw signature bytes. Raises ValueError for options that do not fit the key."""
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(message)
    hashed = _digest(opts, message)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        der = key.sign(hashed, ec.ECDSA(_prehashed(opts, hashed, any_length=True)))
        if opts.marshaling != "jws":
            return der
        r, s = utils.decode_dss_signature(der)
        width = _width(key)
        return r.to_bytes(width, "big") + s.to_bytes(width, "big")
    if opts.hash_name == "none":
        return key.sign(hashed, padding.PKCS1v15(), utils.NoDigestInfo())
    pad, algorithm = _rsa_args(key.key_size, opts, hashed, verifying=False)
    return key.sign(hashed, pad, algorithm)


def verify(key: PublicKey, message: bytes, signature: bytes, opts: SignOptions) -> bool:
    """Whether `signature` is valid. Raises ValueError for options that do not fit the key."""
    try:
        if isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, message)
            return True
        hashed = _digest(opts, message)
        if isinstance(key, ec.EllipticCurvePublicKey):
            pre = _prehashed(opts, hashed, any_length=True)
            key.verify(_ecdsa_der(key, signature, opts), hashed, ec.ECDSA(pre))
            return True
        if opts.hash_name == "none":
            # PKCS#1 v1.5 without DigestInfo: recover the signed bytes and compare them.
            recovered = key.recover_data_from_signature(signature, padding.PKCS1v15(), None)
            return hmac.compare_digest(recovered, hashed)
        pad, algorithm = _rsa_args(key.key_size, opts, hashed, verifying=True)
        key.verify(signature, hashed, pad, algorithm)
    except InvalidSignature:
        return False
    return True


def _ecdsa_der(key: ec.EllipticCurvePublicKey, signature: bytes, opts: SignOptions) -> bytes:
    if opts.marshaling != "jws":
        return signature
    width = _width(key)
    if len(signature) != 2 * width:
        raise InvalidSignature
    r, s = signature[:width], signature[width:]
    return utils.encode_dss_signature(int.from_bytes(r, "big"), int.from_bytes(s, "big"))


def rsa_encrypt(key: rsa.RSAPublicKey, plaintext: bytes) -> bytes:
    """RSA-OAEP with SHA-256 and no label, as Vault's RSA transit keys encrypt."""
    return key.encrypt(plaintext, _OAEP)


def rsa_decrypt(key: rsa.RSAPrivateKey, ciphertext: bytes) -> bytes:
    """Raises InvalidCiphertext for anything that does not decrypt."""
    try:
        return key.decrypt(ciphertext, _OAEP)
    except ValueError:
        raise InvalidCiphertext from None
