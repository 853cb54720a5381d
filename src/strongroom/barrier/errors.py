"""Layer 2's one failure: a blob that does not open.

Like `cryptography.fernet.InvalidToken`, a single exception stands for every way a ciphertext can
be bad (wrong key, flipped bit, truncation, moved to another path, unknown term, malformed
keyring), and it carries no detail, so it can never become an oracle (STYLE.md habit 5).
"""

from __future__ import annotations


class InvalidCiphertext(Exception):
    """The blob could not be authenticated and decrypted; deliberately says nothing more."""

    def __init__(self) -> None:
        super().__init__("invalid ciphertext")
