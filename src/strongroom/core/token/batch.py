"""Batch tokens: nothing stored; the token *is* the entry, sealed under a barrier-derived key.

    hvb. ‖ base64url( term:4 ‖ nonce:12 ‖ AES-256-GCM(key_term, entry, aad) )

The key is HKDF-derived from a barrier keyring term (`Barrier.derive`), so a batch token dies
with the term that made it; AES-GCM authenticates it, so any tampering reads as an invalid token.
They cannot be renewed, cannot have children, and expire on their TTL.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import struct

import msgspec

from strongroom.barrier import Barrier, InvalidCiphertext, aead
from strongroom.core.token.entry import BATCH_PREFIX, TokenEntry

_PURPOSE = b"strongroom batch tokens v1"
_AAD = b"strongroom batch token"
_DECODER = msgspec.json.Decoder(TokenEntry)
_HEADER = struct.Struct(">I12s")


async def seal(barrier: Barrier, entry: TokenEntry) -> str:
    term, key = await barrier.derive(_PURPOSE)
    nonce = secrets.token_bytes(12)
    sealed = aead.encrypt(key, msgspec.json.encode(entry), _AAD, nonce)
    raw = _HEADER.pack(term, nonce) + sealed
    return BATCH_PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def open_token(barrier: Barrier, token: str) -> TokenEntry | None:
    """The entry carried by a batch token, or None if it is not one of ours (any reason)."""
    body = token[len(BATCH_PREFIX) :]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        term, nonce = _HEADER.unpack_from(raw)
        _, key = await barrier.derive(_PURPOSE, term)
        return _DECODER.decode(aead.decrypt(key, raw[_HEADER.size :], _AAD, nonce))
    except (binascii.Error, ValueError, struct.error, InvalidCiphertext, msgspec.DecodeError):
        return None
