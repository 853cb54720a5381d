"""Hash and HMAC functions under Vault's algorithm names (`keysutil.HashTypeMap`).

HMAC output is compared in constant time; the name tables are the single source of which
algorithms each endpoint accepts.
"""

from __future__ import annotations

import hmac as _compare

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as _hmac

HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1,
    "sha2-224": hashes.SHA224,
    "sha2-256": hashes.SHA256,
    "sha2-384": hashes.SHA384,
    "sha2-512": hashes.SHA512,
    "sha3-224": hashes.SHA3_224,
    "sha3-256": hashes.SHA3_256,
    "sha3-384": hashes.SHA3_384,
    "sha3-512": hashes.SHA3_512,
}
# The hash endpoint lists the SHA-2 and SHA-3 families only (Vault API docs, "Hash data").
HASH_ENDPOINT = frozenset(name for name in HASHES if name != "sha1")


def algorithm(name: str) -> hashes.HashAlgorithm:
    """The hash for a Vault algorithm name. Raises KeyError for an unknown one."""
    return HASHES[name]()


def digest(name: str, data: bytes) -> bytes:
    h = hashes.Hash(algorithm(name))
    h.update(data)
    return h.finalize()


def mac(name: str, key: bytes, data: bytes) -> bytes:
    h = _hmac.HMAC(key, algorithm(name))
    h.update(data)
    return h.finalize()


def mac_matches(name: str, key: bytes, data: bytes, expected: bytes) -> bool:
    return _compare.compare_digest(mac(name, key, data), expected)
