"""The transit engine's stored records (msgspec Structs, frozen) and key-type capabilities.

A key is one record, `policy/<name>` (`KeyPolicy`), holding every live version's material
(`KeyVersion`); the barrier seals it, so nothing here is ever in plaintext at rest. Versions below
`min_available_version` are gone for good (`trim`). Field names follow Vault's `keysutil.Policy`
where Vault has the concept.
"""

from __future__ import annotations

from typing import Any

import msgspec

from strongroom.engines.transit.crypto.asymmetric import CURVES, RSA_BITS

SYMMETRIC = frozenset({"aes128-gcm96", "aes256-gcm96", "chacha20-poly1305"})
RSA = frozenset(RSA_BITS)
ECDSA = frozenset(CURVES)
SIGNING = frozenset({"ed25519", *ECDSA, *RSA})
ENCRYPTION = SYMMETRIC | RSA
DERIVATION = SYMMETRIC | {"ed25519"}
KEY_TYPES = SYMMETRIC | SIGNING | {"hmac"}
# AES-GCM with random 96-bit nonces must change keys before 2^32 messages (NIST SP 800-38D
# §8.3); ChaCha20-Poly1305's nonce has the same size but no such NIST limit is mandated here.
NONCE_BUDGETED = frozenset({"aes128-gcm96", "aes256-gcm96"})
HMAC_MIN_KEY_SIZE = 32
HMAC_MAX_KEY_SIZE = 512
# Vault's current convergent scheme: nonce = HMAC(derived hmac key, plaintext).
CONVERGENT_VERSION = 3

KEY_STATES = ("enabled", "disabled", "pending_deletion", "destroyed")
VERSION_STATES = ("enabled", "disabled", "destroyed")


class KeyVersion(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One version of a key: its material, erased (empty) once destroyed."""

    created: float
    key: bytes = b""  # symmetric or HMAC key, or the asymmetric private key's stored form
    hmac_key: bytes = b""  # Vault's per-version key for `hmac/:name` on non-HMAC key types
    public_key: str = ""  # asymmetric only, formatted as Vault shows it
    convergent_version: int = 0
    state: str = "enabled"


class Stamp(msgspec.Struct, frozen=True):
    """When a backup or restore happened and at which latest version."""

    time: float
    version: int


class KeyPolicy(msgspec.Struct, frozen=True, kw_only=True):
    id: str  # random; tells a re-created key of the same name apart (nonce-budget blocks)
    name: str
    type: str
    derived: bool = False
    kdf: str = "hkdf_sha256"
    convergent_encryption: bool = False
    convergent_version: int = 0
    exportable: bool = False
    allow_plaintext_backup: bool = False
    deletion_allowed: bool = False
    min_decryption_version: int = 1
    min_encryption_version: int = 0
    min_available_version: int = 0
    latest_version: int = 0
    auto_rotate_period: int = 0
    key_size: int = 0
    imported: bool = False
    allow_rotation: bool = False  # imported keys only: may the engine rotate it
    backup_info: Stamp | None = None
    restore_info: Stamp | None = None
    state: str = "enabled"
    deletion_date: float = 0.0
    versions: dict[int, KeyVersion] = msgspec.field(default_factory=dict)

    def latest(self) -> KeyVersion:
        return self.versions[self.latest_version]


class Backup(msgspec.Struct, frozen=True):
    """What `backup/:name` hands out (base64 of its JSON) and `restore` takes back."""

    format: int
    policy: KeyPolicy


class KeysConfig(msgspec.Struct, frozen=True):
    """`config/keys`: whether `encrypt/:name` may create a missing key (Vault's upsert)."""

    disable_upsert: bool = False


class CacheConfig(msgspec.Struct, frozen=True):
    """`cache-config`: how many parsed keys a worker keeps (0 = no limit)."""

    size: int = 0


POLICY_DECODER = msgspec.json.Decoder(KeyPolicy)
BACKUP_DECODER = msgspec.json.Decoder(Backup)
KEYS_CONFIG_DECODER = msgspec.json.Decoder(KeysConfig)
CACHE_CONFIG_DECODER = msgspec.json.Decoder(CacheConfig)


def encode(value: Any) -> bytes:  # noqa: ANN401 - any Struct
    return msgspec.json.encode(value)
