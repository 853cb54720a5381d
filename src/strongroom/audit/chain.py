"""Audit layer, tamper evidence (beyond Vault): the hash chain and its signed checkpoints.

Every line a device writes is one entry encoded by msgspec (compact JSON, keys in the order
given) with two fields appended: `seq`, counting from 1, and `prev_hash`, the hex SHA-256 of
the exact bytes of the previous line (without its newline; `"0" * 64` before the first). An
edit, deletion, insertion or reordering of a line breaks `seq` or `prev_hash` at or right after
it. The chain needs no key, so anyone could rewrite a whole tail consistently; what they cannot
forge is a checkpoint: an entry signed with the Ed25519 audit-signing key over
`f"{seq}:{hash}"` of the line just before it, which fixes every line up to there.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import Any

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from strongroom.audit.format import rfc3339

__all__ = [
    "ZERO_HASH",
    "ChainState",
    "Signer",
    "checkpoint_entry",
    "checkpoint_message",
    "line_hash",
    "link",
]

ZERO_HASH = "0" * 64
_encode = msgspec.json.Encoder().encode


@dataclass
class ChainState:
    """Where a chain stands: the last `seq` written and the hash of that line."""

    seq: int = 0
    prev: str = ZERO_HASH


def line_hash(line: bytes) -> str:
    """The chain's hash of one line: hex SHA-256 of its bytes, newline and prefix excluded."""
    return hashlib.sha256(line).hexdigest()


def link(entry: dict[str, Any], state: ChainState) -> bytes:
    """Append `seq` and `prev_hash` to `entry` (in place), encode it, advance `state`, and return
    the line without its newline. Raises TypeError for a value msgspec cannot encode (and then
    leaves `state` as it was)."""
    entry["seq"] = state.seq + 1
    entry["prev_hash"] = state.prev
    line = _encode(entry)
    state.seq += 1
    state.prev = line_hash(line)
    return line


@dataclass(frozen=True)
class Signer:
    """The audit-signing key (it lives behind the barrier) and the id checkpoints name it by."""

    key_id: str
    private_key: Ed25519PrivateKey = field(repr=False, compare=False)

    def __repr__(self) -> str:
        return f"Signer(key_id={self.key_id!r}, private_key=***)"

    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()


def checkpoint_message(seq: int, hash_: str) -> bytes:
    """The bytes a checkpoint signs: `f"{seq}:{hash}"` (what external anchors verify)."""
    return f"{seq}:{hash_}".encode()


def checkpoint_entry(state: ChainState, signer: Signer, now: float) -> dict[str, Any]:
    """A checkpoint over the chain as it stands (`seq` and hash of its last line); link it like
    any other entry. Its own `time` is covered by the chain, hence only by a later checkpoint."""
    signature = signer.private_key.sign(checkpoint_message(state.seq, state.prev))
    return {
        "time": rfc3339(now),  # first, as in Vault's entries (audit/types.go)
        "type": "checkpoint",
        "checkpoint": {
            "seq": state.seq,
            "hash": state.prev,
            "key_id": signer.key_id,
            "signature": base64.b64encode(signature).decode("ascii"),
        },
    }
