"""SSH key material: the CA's key pair (generated or imported), the public keys callers send,
and the OpenSSH certificate a role's decision turns into (PROTOCOL.certkeys).

`cryptography` builds and signs certificates; it signs with an RSA CA key by rsa-sha2-512
only, so for Vault's other RSA signers (`rsa-sha2-256`, the default, and SHA-1 `ssh-rsa`) the
signature over the same to-be-signed bytes is replaced.
"""

from __future__ import annotations

import binascii
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import ssh

from strongroom.errors import BadRequest

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
_CURVES: dict[int, ec.EllipticCurve] = {
    256: ec.SECP256R1(),
    384: ec.SECP384R1(),
    521: ec.SECP521R1(),
}
# Vault's key_type names for a CA key, and the ones `issue` takes, to one family each.
_FAMILIES = {
    "ssh-rsa": "rsa",
    "rsa": "rsa",
    "ecdsa-sha2-nistp256": "ec",
    "ecdsa-sha2-nistp384": "ec",
    "ecdsa-sha2-nistp521": "ec",
    "ec": "ec",
    "ecdsa": "ec",
    "ssh-ed25519": "ed25519",
    "ed25519": "ed25519",
}
_NAMED_BITS = {"ecdsa-sha2-nistp256": 256, "ecdsa-sha2-nistp384": 384, "ecdsa-sha2-nistp521": 521}
# The RSA signature algorithms a role's `algorithm_signer` may name, by their hash.
RSA_SIGNERS: dict[str, hashes.HashAlgorithm] = {
    "rsa-sha2-256": hashes.SHA256(),
    "rsa-sha2-512": hashes.SHA512(),
    "ssh-rsa": hashes.SHA1(),  # noqa: S303 - what OpenSSH calls it; a role must ask for it
}


def generate(key_type: str, key_bits: int, *, default_rsa_bits: int) -> PrivateKey:
    """A new key of Vault's `key_type`/`key_bits` (0: the family's default). Raises BadRequest."""
    family = _FAMILIES.get(key_type.lower())
    if family == "rsa":
        bits = key_bits or default_rsa_bits
        if bits not in (2048, 3072, 4096, 8192):
            raise BadRequest("invalid key_bits for an RSA key: 2048, 3072, 4096 or 8192")
        return rsa.generate_private_key(public_exponent=65537, key_size=bits)
    if family == "ec":
        curve = _CURVES.get(key_bits or _NAMED_BITS.get(key_type.lower(), 256))
        if curve is None:
            raise BadRequest("invalid key_bits for an ECDSA key: 256, 384 or 521")
        return ec.generate_private_key(curve)
    if family == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    raise BadRequest("unknown key_type: ssh-rsa, ecdsa-sha2-nistp256 (ec) or ssh-ed25519")


def load_private(text: str) -> PrivateKey:
    """A CA private key in PEM (PKCS#1, SEC1, PKCS#8) or OpenSSH form. Raises BadRequest."""
    data = text.strip().encode()
    try:
        if data.startswith(b"-----BEGIN OPENSSH PRIVATE KEY-----"):
            key: object = ssh.load_ssh_private_key(data, password=None)
        else:
            key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise BadRequest(
            "failed to parse private_key: not an unencrypted PEM or OpenSSH key"
        ) from None
    if not isinstance(key, PrivateKey):
        raise BadRequest("failed to parse private_key: an RSA, ECDSA or Ed25519 key is needed")
    return key


def load_public(text: str, field: str = "public_key") -> ssh.SSHCertPublicKeyTypes:
    """One OpenSSH public key line. Raises BadRequest without echoing it."""
    try:
        key = ssh.load_ssh_public_key(text.strip().encode())
    except (ValueError, UnsupportedAlgorithm):
        raise BadRequest(f"failed to parse {field} as SSH key") from None
    if not isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey):
        raise BadRequest(f"failed to parse {field} as SSH key: DSA keys are not accepted")
    return key


def openssh_public(key: PrivateKey | ssh.SSHCertPublicKeyTypes) -> str:
    """The authorized_keys line of a key (or of a private key's public half), with "\\n"."""
    public = key.public_key() if isinstance(key, PrivateKey) else key
    return ssh.serialize_ssh_public_key(public).decode() + "\n"


def private_pem(key: PrivateKey, *, openssh: bool = False) -> str:
    fmt = serialization.PrivateFormat.OpenSSH if openssh else serialization.PrivateFormat.PKCS8
    raw = key.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())
    return raw.decode()


def family_and_bits(key: ssh.SSHCertPublicKeyTypes) -> tuple[str, int]:
    """Vault's names for a key's type in `allowed_user_key_lengths`, and its size."""
    if isinstance(key, rsa.RSAPublicKey):
        return "rsa", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ec", key.curve.key_size
    return "ed25519", 256


def fingerprint_hex(key: ssh.SSHCertPublicKeyTypes) -> str:
    """Hex SHA-256 of the key's wire form: Vault's `{{public_key_hash}}`."""
    wire = binascii.a2b_base64(ssh.serialize_ssh_public_key(key).split()[1])
    return hashlib.sha256(wire).hexdigest()


@dataclass(frozen=True, slots=True)
class CertificateRequest:
    """What a role allowed: everything the certificate says."""

    public_key: ssh.SSHCertPublicKeyTypes
    serial: int
    host: bool
    key_id: str
    principals: tuple[str, ...]
    valid_after: int
    valid_before: int
    critical_options: dict[str, str]
    extensions: dict[str, str]


def sign(ca: PrivateKey, request: CertificateRequest, rsa_signer: str) -> str:
    """The certificate, as an authorized_keys-style line ending in "\\n"."""
    builder = (
        ssh.SSHCertificateBuilder()
        .public_key(request.public_key)
        .serial(request.serial)
        .type(ssh.SSHCertificateType.HOST if request.host else ssh.SSHCertificateType.USER)
        .key_id(request.key_id.encode())
        .valid_after(request.valid_after)
        .valid_before(request.valid_before)
    )
    if request.principals:
        builder = builder.valid_principals([p.encode() for p in request.principals])
    else:  # what a role's allow_empty_principals permits: OpenSSH reads it as any principal
        builder = builder.valid_for_all_principals()  # type: ignore[no-untyped-call]
    for name, value in sorted(request.critical_options.items()):
        builder = builder.add_critical_option(name.encode(), _option_value(value))
    for name, value in sorted(request.extensions.items()):
        builder = builder.add_extension(name.encode(), _option_value(value))
    blob = builder.sign(ca).public_bytes()
    kind, body = blob.split(b" ", 1)
    raw = binascii.a2b_base64(body)
    if isinstance(ca, rsa.RSAPrivateKey) and rsa_signer != "rsa-sha2-512":
        raw = _resign_rsa(ca, raw, rsa_signer)
    return f"{kind.decode()} {binascii.b2a_base64(raw, newline=False).decode()}\n"


def _option_value(value: str) -> bytes:
    """PROTOCOL.certkeys: an option's data is itself a string, empty for a flag."""
    return struct.pack(">I", len(value.encode())) + value.encode() if value else b""


def _resign_rsa(ca: rsa.RSAPrivateKey, certificate: bytes, signer: str) -> bytes:
    """The same certificate signed by `signer` instead. Its last field is the signature: a
    string of (string "rsa-sha2-512", string of one modulus-sized signature)."""
    library_name = _string(b"rsa-sha2-512")
    tail = 4 + len(library_name) + 4 + (ca.key_size + 7) // 8
    tbs, old = certificate[:-tail], certificate[-tail:]
    if old[4 : 4 + len(library_name)] != library_name:
        raise ValueError("the certificate's signature field is not where it should be")
    signature = ca.sign(tbs, padding.PKCS1v15(), RSA_SIGNERS[signer])
    return tbs + _string(_string(signer.encode()) + _string(signature))


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data
