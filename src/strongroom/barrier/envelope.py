"""Layer 2's blob format: how a sealed value is laid out in physical storage.

    version (1 byte) ‖ term (4 bytes, big-endian) ‖ nonce (12 bytes) ‖ ciphertext ‖ tag (16)

The associated data is `version ‖ term ‖ UTF-8 path`, so the header cannot be edited and a blob
copied or swapped to another path fails to open (DESIGN.md invariant 1; the same binding as
Vault's AESGCMVersion2 barrier format, which added the path to the AAD). Term 0 is reserved for
the keyring itself, sealed by the root key rather than by a keyring term.
"""

from __future__ import annotations

import struct

from strongroom.barrier import aead
from strongroom.barrier.errors import InvalidCiphertext

VERSION = 1
ROOT_TERM = 0
_HEADER = struct.Struct(">BI")
OVERHEAD = _HEADER.size + aead.NONCE_SIZE + aead.TAG_SIZE


def _aad(term: int, path: str) -> bytes:
    return _HEADER.pack(VERSION, term) + path.encode("utf-8")


def seal_blob(cipher: aead.Cipher, term: int, path: str, plaintext: bytes, nonce: bytes) -> bytes:
    """The blob for `plaintext` stored at `path` under `term`'s key."""
    ciphertext = cipher.encrypt(plaintext, _aad(term, path), nonce)
    return _HEADER.pack(VERSION, term) + nonce + ciphertext


def blob_term(blob: bytes) -> int:
    """The term a blob claims to be sealed under. Raises InvalidCiphertext if it is malformed."""
    if len(blob) < OVERHEAD:
        raise InvalidCiphertext
    version, term = _HEADER.unpack_from(blob)
    if version != VERSION:
        raise InvalidCiphertext
    return int(term)


def open_blob(cipher: aead.Cipher, path: str, blob: bytes) -> bytes:
    """The plaintext of a blob read from `path`. Raises InvalidCiphertext if it does not open."""
    term = blob_term(blob)
    nonce = blob[_HEADER.size : _HEADER.size + aead.NONCE_SIZE]
    return cipher.decrypt(blob[_HEADER.size + aead.NONCE_SIZE :], _aad(term, path), nonce)
