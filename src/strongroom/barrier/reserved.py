"""The storage paths that sit outside the barrier (DESIGN.md invariant 1's only exceptions).

The keyring is sealed by the root key, the root key is wrapped by the seal's unseal key, and the
seal configuration is plain JSON. They are written by the barrier and the seal directly to
physical storage, so the barrier's data operations refuse to touch them: a logical layer must
not be able to overwrite the keyring or the wrapped root key, even with ciphertext.
"""

from __future__ import annotations

KEYRING_PATH = "core/keyring"
SEAL_CONFIG_PATH = "core/seal-config"
ROOT_KEY_PATH = "core/root-key"

RESERVED_PATHS = (KEYRING_PATH, SEAL_CONFIG_PATH, ROOT_KEY_PATH)
_EXACT = frozenset(RESERVED_PATHS)
_BELOW = tuple(p + "/" for p in RESERVED_PATHS)  # one C-level startswith on the hot path


def is_reserved(path: str) -> bool:
    """True for a reserved path itself and anything below it."""
    return path in _EXACT or path.startswith(_BELOW)


def refuse_reserved(path: str) -> str:
    """`path`, or ValueError if it is reserved for the barrier and the seal."""
    if is_reserved(path):
        raise ValueError("path is reserved for the barrier and the seal")
    return path
