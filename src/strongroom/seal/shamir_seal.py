"""Layer 2's seal: where the root key comes from (Vault's default "shamir" seal).

    unseal key shares ──combine──▶ unseal key ──AES-256-GCM──▶ root key ──▶ Barrier keyring

A random 32-byte unseal key wraps the random 32-byte root key, stored at `core/root-key` (AAD
binds it to that path); the unseal key is split into Shamir shares handed to the operators and
never stored. Rekeying makes a new unseal key and re-wraps the same root key, so the barrier and
everything behind it is untouched (Vault docs, "Rekeying & rotating").
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import msgspec

from strongroom.barrier import aead
from strongroom.barrier.errors import InvalidCiphertext
from strongroom.barrier.reserved import ROOT_KEY_PATH, SEAL_CONFIG_PATH
from strongroom.errors import BadRequest, NotInitialized, StorageConflict
from strongroom.seal import shamir
from strongroom.seal.config import SealConfig
from strongroom.secret import SecretBytes
from strongroom.storage.interface import Backend, Check, Op, Put

KEY_SIZE = aead.KEY_SIZE
_VERSION = b"\x01"  # wrapped root key: version ‖ nonce ‖ ciphertext ‖ tag


class PendingRekey(msgspec.Struct, frozen=True):
    """A prepared rekey: the new config, the root key wrapped by the new unseal key (which is
    not kept: only a quorum of the new shares opens `wrapped`), and the storage versions the
    rekey replaces. Not secret: it is what `core/root-key` and `core/seal-config` will hold."""

    config: SealConfig
    wrapped: bytes
    versions: tuple[int, int]

    def encode(self) -> str:
        return msgspec.json.encode(self).decode()

    @classmethod
    def decode(cls, text: str) -> PendingRekey:
        return msgspec.json.decode(text, type=cls)


class ShamirSeal:
    """Creates, opens and rekeys the seal over the physical backend (no barrier involved)."""

    def __init__(
        self, physical: Backend, token_bytes: Callable[[int], bytes] = secrets.token_bytes
    ) -> None:
        self._physical = physical
        self._token_bytes = token_bytes

    async def config(self) -> SealConfig | None:
        """The stored configuration, or None while uninitialised."""
        entry = await self._physical.get(SEAL_CONFIG_PATH)
        return None if entry is None else SealConfig.decode(entry.value)

    async def initialize(self, shares: int, threshold: int) -> tuple[list[bytes], SecretBytes]:
        """Create the seal: returns the unseal key shares and the new root key.

        Raises BadRequest for an invalid configuration or if the seal already exists.
        """
        SealConfig.validate(shares, threshold)
        config = SealConfig(secret_shares=shares, secret_threshold=threshold)
        unseal_key = self._token_bytes(KEY_SIZE)
        root_key = self._token_bytes(KEY_SIZE)
        ops: list[Op] = [
            Check(SEAL_CONFIG_PATH, 0),
            Check(ROOT_KEY_PATH, 0),
            Put(SEAL_CONFIG_PATH, config.encode()),
            Put(ROOT_KEY_PATH, self._wrap(unseal_key, root_key)),
        ]
        try:
            await self._physical.transact(ops)
        except StorageConflict:
            raise BadRequest("Vault is already initialized") from None
        return self._split(unseal_key, config), SecretBytes(root_key)

    async def open(self, unseal_key: bytes) -> SecretBytes:
        """The root key. Raises InvalidCiphertext for a wrong unseal key, NotInitialized if none."""
        entry = await self._physical.get(ROOT_KEY_PATH)
        if entry is None:
            raise NotInitialized
        return SecretBytes(_unwrap(unseal_key, entry.value))

    async def rekey(self, root_key: SecretBytes, shares: int, threshold: int) -> list[bytes]:
        """New unseal key shares for the same root key; the old shares stop working.

        `root_key` must be the one `open` returned for a quorum of the current shares: the seal
        cannot tell a wrong root key from a right one, and would wrap whatever it is given.
        Raises BadRequest for an invalid configuration or a concurrent rekey.
        """
        new_shares, pending = await self.prepare_rekey(root_key, shares, threshold)
        await self.commit_rekey(pending)
        return new_shares

    async def prepare_rekey(
        self, root_key: SecretBytes, shares: int, threshold: int
    ) -> tuple[list[bytes], PendingRekey]:
        """New shares and the root key wrapped for them, not yet stored (Vault's rekey
        verification: the old shares keep working until `commit_rekey`)."""
        SealConfig.validate(shares, threshold)
        if len(root_key) != KEY_SIZE:
            raise ValueError("the root key must be 32 bytes")
        wrapped = await self._physical.get(ROOT_KEY_PATH)
        stored = await self._physical.get(SEAL_CONFIG_PATH)
        if wrapped is None or stored is None:
            raise NotInitialized
        config = SealConfig(secret_shares=shares, secret_threshold=threshold)
        unseal_key = self._token_bytes(KEY_SIZE)
        pending = PendingRekey(
            config=config,
            wrapped=self._wrap(unseal_key, root_key.reveal()),
            versions=(wrapped.version, stored.version),
        )
        return self._split(unseal_key, config), pending

    async def commit_rekey(self, pending: PendingRekey) -> None:
        """Store a prepared rekey. Raises BadRequest if the seal changed since it was prepared."""
        root_version, config_version = pending.versions
        ops: list[Op] = [
            Check(ROOT_KEY_PATH, root_version),
            Check(SEAL_CONFIG_PATH, config_version),
            Put(SEAL_CONFIG_PATH, pending.config.encode()),
            Put(ROOT_KEY_PATH, pending.wrapped),
        ]
        try:
            await self._physical.transact(ops)
        except StorageConflict:
            raise BadRequest("the seal was rekeyed concurrently; start the rekey again") from None

    @staticmethod
    def verify_pending(unseal_key: bytes, pending: PendingRekey) -> None:
        """Raises InvalidCiphertext unless `unseal_key` opens the prepared rekey."""
        _unwrap(unseal_key, pending.wrapped)

    def _split(self, unseal_key: bytes, config: SealConfig) -> list[bytes]:
        # With one share Vault hands out the key itself (vault/init.go, generateShares).
        return shamir.split(
            unseal_key, config.secret_shares, config.secret_threshold, self._token_bytes
        )

    def _wrap(self, unseal_key: bytes, root_key: bytes) -> bytes:
        nonce = self._token_bytes(aead.NONCE_SIZE)
        return _VERSION + nonce + aead.encrypt(unseal_key, root_key, _aad(), nonce)


def _aad() -> bytes:
    return _VERSION + ROOT_KEY_PATH.encode()


def _unwrap(unseal_key: bytes, blob: bytes) -> bytes:
    """The root key inside `blob`; InvalidCiphertext for anything that does not open."""
    nonce_end = len(_VERSION) + aead.NONCE_SIZE
    if len(unseal_key) != KEY_SIZE or blob[:1] != _VERSION or len(blob) < nonce_end:
        raise InvalidCiphertext
    root_key = aead.decrypt(unseal_key, blob[nonce_end:], _aad(), blob[len(_VERSION) : nonce_end])
    if len(root_key) != KEY_SIZE:
        raise InvalidCiphertext
    return root_key
