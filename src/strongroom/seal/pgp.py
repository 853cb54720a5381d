"""Layer 2's hand-off of secrets to operators' OpenPGP keys (Vault's helper/pgpkeys).

`pgp_keys` on sys/init and sys/rekey/init, `root_token_pgp_key` on sys/init and `pgp_key` on
sys/generate-root/attempt are standard base64 of binary OpenPGP public keys. Each unseal key share
is encrypted, as its hex text, to the key in the same position; a root token is encrypted as its
own text. The caller returns the binary messages hex- and base64-encoded, so
`echo $share | base64 -d | gpg -dq` gives what the operator types into `sys/unseal`.

Encryption is Sequoia-PGP's (pysequoia); it picks the packet formats the recipient's key
advertises, so GnuPG 2.2 (SEIPDv1) and RFC 9580 keys both decrypt what we send.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass

import pysequoia

from strongroom.errors import BadRequest

__all__ = ["PgpKey", "encrypt_shares", "parse_keys"]


@dataclass(frozen=True, slots=True)
class PgpKey:
    """A recipient: the parsed certificate and its primary key's fingerprint (lowercase hex)."""

    cert: pysequoia.Cert
    fingerprint: str

    def encrypt(self, plaintext: bytes) -> bytes:
        """A binary OpenPGP message to this key. Raises BadRequest if the key cannot encrypt."""
        try:
            return pysequoia.encrypt(plaintext, [self.cert], armor=False)
        except (RuntimeError, ValueError):  # no valid encryption subkey: expired, revoked, …
            raise BadRequest("error setting up encryption for PGP message") from None


def parse_keys(encoded: Sequence[str]) -> list[PgpKey]:
    """Parse and probe each key, before anything irreversible (Vault's SealConfig.Validate).

    Raises BadRequest with Vault's wording, but never the key text nor the parser's detail.
    """
    keys = [_parse(text) for text in encoded]
    for key in keys:
        key.encrypt(b"")  # fails now, not after the seal holds shares nobody can read
    return keys


def encrypt_shares(shares: Sequence[bytes], keys: Sequence[PgpKey]) -> list[bytes]:
    """Each share's hex text encrypted to the key in its position (Vault's generateShares)."""
    return [key.encrypt(share.hex().encode()) for share, key in zip(shares, keys, strict=True)]


def _parse(text: str) -> PgpKey:
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest("error decoding given PGP key") from None
    try:
        cert = pysequoia.Cert.from_bytes(data)
    except (RuntimeError, ValueError):
        raise BadRequest("error parsing given PGP key") from None
    return PgpKey(cert, cert.fingerprint.lower())
