"""A loaded key: the stored policy plus this worker's parsed-key cache, and Vault's version rules.

A `Keyring` wraps one immutable `KeyPolicy` read at one storage version, so parsed private keys
can be cached on it safely: any change to the key is a new storage version and a new Keyring.
The version checks mirror `keysutil.Policy` (EncryptWithFactory, DecryptWithFactory, SignWith-
Options); the state checks are the explicit lifecycle (README "Key lifecycle").
"""

from __future__ import annotations

from strongroom.engines.transit.crypto import asymmetric, kdf
from strongroom.engines.transit.crypto.aead import KEY_SIZES
from strongroom.engines.transit.models import DERIVATION, KeyPolicy, KeyVersion
from strongroom.errors import BadRequest

# Vault's wording (keysutil.ErrTooOld): the version is visible in the ciphertext, so this says
# nothing the caller did not already know.
TOO_OLD = "ciphertext or signature version is disallowed by policy (too old)"
MISSING_CONTEXT = (
    "missing 'context' for key derivation; the key was created using a derived key, which means "
    "additional, per-request information must be included in order to perform operations with "
    "the key"
)
ErrorClass = type[BadRequest]  # (named here: inside Keyring, `type` is the key-type property)
_KEY_STATE_ERRORS = {
    "disabled": "key is disabled",
    "pending_deletion": "key is pending deletion",
    "destroyed": "key destroyed",
}


class Keyring:
    """One key as loaded from storage at `storage_version`."""

    __slots__ = ("_private", "policy", "storage_version")

    def __init__(self, policy: KeyPolicy, storage_version: int) -> None:
        self.policy = policy
        self.storage_version = storage_version
        self._private: dict[int, asymmetric.PrivateKey] = {}

    @property
    def name(self) -> str:
        return self.policy.name

    @property
    def type(self) -> str:
        return self.policy.type

    def require_enabled(self) -> None:
        """Raises BadRequest unless the key may be used (README lifecycle table)."""
        message = _KEY_STATE_ERRORS.get(self.policy.state)
        if message is not None:
            raise BadRequest(message)

    def entry(self, version: int) -> KeyVersion:
        """The usable version. Raises BadRequest if trimmed, disabled or destroyed."""
        self.require_enabled()
        found = self.policy.versions.get(version)
        if found is None:
            raise BadRequest("no such key version")
        if found.state != "enabled":
            raise BadRequest(f"key version {version} is {found.state}")
        return found

    def encryption_version(self, requested: int, verb: str = "encryption") -> int:
        """The version an encrypt/sign/HMAC uses: 0 means latest; the rest as Vault checks."""
        policy = self.policy
        if requested == 0:
            return policy.latest_version
        if requested < 0:
            raise BadRequest(f"requested version for {verb} is negative")
        if requested > policy.latest_version:
            raise BadRequest(f"requested version for {verb} is higher than the latest key version")
        if requested < policy.min_encryption_version:
            raise BadRequest(
                f"requested version for {verb} is less than the minimum encryption key version"
            )
        return requested

    def decryption_version(self, version: int, invalid: ErrorClass) -> int:
        """Checks a version read from a ciphertext or signature; `invalid` if it is unknown."""
        if version == 0:
            version = 1  # Vault: compatibility with the first, zero-based implementation
        if version > self.policy.latest_version:
            raise invalid
        if version < self.policy.min_decryption_version:
            raise BadRequest(TOO_OLD)
        return version

    def symmetric(self, version: int, context: bytes, extra: int = 0) -> bytes:
        """The (derived) symmetric key of `version`, plus `extra` more derived bytes."""
        base = self.entry(version).key
        if not self.policy.derived:
            return base
        if not context:
            raise BadRequest(MISSING_CONTEXT)
        return kdf.derive(base, context, KEY_SIZES[self.type] + extra)

    def hmac_key(self, version: int) -> bytes:
        entry = self.entry(version)
        return entry.key if self.type == "hmac" else entry.hmac_key

    def private_key(self, version: int, context: bytes) -> asymmetric.PrivateKey:
        """The signing key; derived Ed25519 keys need the context. Raises BadRequest."""
        entry = self.entry(version)
        if not entry.key:
            raise BadRequest("requested version for signing does not contain a private part")
        if self.policy.derived and self.type in DERIVATION:
            if not context:
                raise BadRequest(MISSING_CONTEXT)
            return kdf.derive_ed25519(entry.key, context)
        cached = self._private.get(version)
        if cached is None:
            cached = self._private[version] = asymmetric.load_private(self.type, entry.key)
        return cached

    def public_key(self, version: int, context: bytes) -> asymmetric.PublicKey:
        entry = self.entry(version)
        if self.policy.derived and self.type in DERIVATION:
            return self.private_key(version, context).public_key()
        return asymmetric.parse_public(self.type, entry.public_key)
