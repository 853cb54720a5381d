"""Layer 2, the encryption barrier: AES-256-GCM over every value on its way to storage.

    core/, engines/  ──plaintext──▶  Barrier  ──sealed blobs──▶  storage.Backend

`Barrier` is the only path from the logical layers to storage; `Keyring`/`Term` hold its keys;
`InvalidCiphertext` is its one failure. `aead` is the sharp tool underneath, kept separate as
`cryptography` keeps `hazmat` apart from `fernet`.
"""

from strongroom.barrier.barrier import Barrier
from strongroom.barrier.errors import InvalidCiphertext
from strongroom.barrier.keyring import Keyring, Term
from strongroom.barrier.reserved import KEYRING_PATH, ROOT_KEY_PATH, SEAL_CONFIG_PATH

__all__ = [
    "KEYRING_PATH",
    "ROOT_KEY_PATH",
    "SEAL_CONFIG_PATH",
    "Barrier",
    "InvalidCiphertext",
    "Keyring",
    "Term",
]
