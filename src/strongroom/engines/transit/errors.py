"""The transit engine's client-facing failures, all inside the one error tree (`errors.py`).

Crypto failures say nothing about *why* (STYLE.md habit 5): a wrong tag, a truncated blob, bad
base64, an unknown version prefix and a ciphertext for another key all read "invalid
ciphertext", so the answer is never an oracle.
"""

from __future__ import annotations

from strongroom.errors import BadRequest


class InvalidCiphertext(BadRequest):
    """Any ciphertext that does not open: one message for every way it can be bad."""

    default_message = "invalid ciphertext"


class InvalidKeyMaterial(BadRequest):
    """Imported or restored key material that does not fit the key type."""

    default_message = "invalid key material"
