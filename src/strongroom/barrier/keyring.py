"""Layer 2's key material: the barrier keyring, one AES-256 key per term.

Vault's barrier keeps every term it ever installed, so a value written years ago still opens
after any number of rotations (Vault docs, "Key rotation"); new writes use the highest term.
The keyring is only ever stored sealed by the root key (`barrier.py`), so `encode()` output is
key material and must go straight into `aead.encrypt`.

Wire form (JSON, via msgspec): `{"terms": [{"number": 1, "key": "<base64>", "installed": 1.0}]}`.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from itertools import pairwise

import msgspec

from strongroom.barrier.aead import KEY_SIZE
from strongroom.barrier.errors import InvalidCiphertext
from strongroom.secret import SecretBytes

MAX_TERM = 2**32 - 1  # the blob header stores the term in 4 bytes


@dataclass(frozen=True, slots=True)
class Term:
    """One barrier key; `installed` is seconds since the epoch (sys/key-status install_time)."""

    number: int
    key: SecretBytes
    installed: float

    def __post_init__(self) -> None:
        if not 1 <= self.number <= MAX_TERM:
            raise ValueError("term number out of range")
        if len(self.key) != KEY_SIZE:
            raise ValueError("term key must be 32 bytes")
        if not math.isfinite(self.installed):
            raise ValueError("term install time must be finite")


@dataclass(frozen=True, slots=True)
class Keyring:
    """Every term, in strictly increasing order; the last one is active."""

    terms: tuple[Term, ...]

    def __post_init__(self) -> None:
        if not self.terms:
            raise ValueError("a keyring needs at least one term")
        numbers = [t.number for t in self.terms]
        if any(a >= b for a, b in pairwise(numbers)):
            raise ValueError("keyring terms must be strictly increasing")

    @property
    def active(self) -> Term:
        return self.terms[-1]

    def term(self, number: int) -> Term | None:
        """The term with that number, or None if this keyring does not (yet) know it."""
        i = bisect_left(self.terms, number, key=lambda t: t.number)
        if i < len(self.terms) and self.terms[i].number == number:
            return self.terms[i]
        return None

    def with_new_term(self, key: SecretBytes, now: float) -> Keyring:
        """A keyring with one more term, active from now. Raises ValueError past term 2**32-1."""
        return Keyring((*self.terms, Term(self.active.number + 1, key, now)))

    def encode(self) -> bytes:
        wire = _KeyringWire([_TermWire(t.number, t.key.reveal(), t.installed) for t in self.terms])
        return msgspec.json.encode(wire)

    @classmethod
    def decode(cls, data: bytes) -> Keyring:
        """Parse and validate; raises InvalidCiphertext for anything malformed."""
        try:
            wire = msgspec.json.decode(data, type=_KeyringWire)
            terms = tuple(Term(t.number, SecretBytes(t.key), t.installed) for t in wire.terms)
            return cls(terms)
        except (msgspec.DecodeError, ValueError):
            raise InvalidCiphertext from None


class _TermWire(msgspec.Struct, forbid_unknown_fields=True):
    number: int
    key: bytes  # msgspec encodes bytes as standard base64
    installed: float


class _KeyringWire(msgspec.Struct, forbid_unknown_fields=True):
    terms: list[_TermWire]
