"""OpenPGP key pairs for tests (made by pysequoia, Curve25519: milliseconds each)."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pysequoia


@dataclass(frozen=True)
class Operator:
    """One key holder: the base64 public key Vault's API takes, and a way to decrypt."""

    tsk: pysequoia.Tsk

    @property
    def public(self) -> str:
        return base64.b64encode(bytes(self.tsk.extract_certificate())).decode()

    @property
    def fingerprint(self) -> str:
        return self.tsk.extract_certificate().fingerprint

    def decrypt(self, encoded: str) -> str:
        """The plaintext of a base64 OpenPGP message (a share's hex, or a root token)."""
        plain = pysequoia.decrypt(base64.b64decode(encoded), decryptor=self.tsk.decryptor()).bytes
        assert plain is not None
        return plain.decode()


def operators(count: int) -> list[Operator]:
    return [Operator(pysequoia.Tsk.generate(f"op{i} <op{i}@example.com>")) for i in range(count)]
