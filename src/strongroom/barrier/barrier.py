"""Layer 2, the barrier: the only path from the logical layers (core, engines) to storage.

Every value is sealed with AES-256-GCM under the keyring's active term before it reaches the
physical backend, bound to its path (`envelope.py`, DESIGN.md invariant 1). The keyring itself is
stored at `core/keyring`, sealed by the root key; the root key comes from the seal and lives
only in memory while unsealed (invariant 2). This mirrors Vault's `AESGCMBarrier`.

Several workers and nodes share one storage: a rotation is a read-modify-write of the keyring
guarded by a storage Check, and a blob under a term this worker has not seen yet makes it re-read
the keyring once before giving up.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence

from strongroom.barrier import envelope
from strongroom.barrier.aead import KEY_SIZE, NONCE_SIZE, Cipher, derive_key
from strongroom.barrier.errors import InvalidCiphertext
from strongroom.barrier.keyring import Keyring, Term
from strongroom.barrier.reserved import KEYRING_PATH, RESERVED_PATHS, is_reserved, refuse_reserved
from strongroom.clock import Clock
from strongroom.errors import BadRequest, InternalError, NotInitialized, Sealed, StorageConflict
from strongroom.secret import SecretBytes
from strongroom.storage.interface import Backend, Check, Delete, Entry, Op, Put

_ROTATE_ATTEMPTS = 16
# A listing may hold up to two names per reserved path ("keyring" and "keyring/").
_LIST_SLACK = 2 * len(RESERVED_PATHS)


class Barrier:
    """Encrypts on the way down, authenticates and decrypts on the way up.

    Data operations raise Sealed while sealed, ValueError for a reserved path (the keyring and
    the seal's records), and InvalidCiphertext for a stored blob that does not open.
    """

    def __init__(
        self,
        physical: Backend,
        clock: Clock,
        token_bytes: Callable[[int], bytes] = secrets.token_bytes,
    ) -> None:
        self._physical = physical
        self._clock = clock
        self._token_bytes = token_bytes
        self._root_key: SecretBytes | None = None
        self._keyring: Keyring | None = None
        self._ciphers: dict[int, Cipher] = {}

    # -- seal state --------------------------------------------------------------------------------

    @property
    def sealed(self) -> bool:
        return self._keyring is None

    async def initialize(self, root_key: bytes) -> None:
        """Create term 1 and store the keyring sealed by `root_key`; the barrier stays sealed.

        Raises BadRequest if a keyring already exists, ValueError if `root_key` is not 32 bytes.
        """
        if len(root_key) != KEY_SIZE:
            raise ValueError("the root key must be 32 bytes")
        root = SecretBytes(root_key)
        keyring = Keyring((Term(1, self._new_key(), self._clock.now()),))
        blob = self._seal_keyring(root, keyring)
        try:
            await self._physical.transact(_replace_keyring(0, blob))
        except StorageConflict:
            raise BadRequest("Vault is already initialized") from None

    async def unseal(self, root_key: bytes) -> None:
        """Load the keyring with `root_key`.

        Raises InvalidCiphertext if it is the wrong key, NotInitialized if there is no keyring.
        """
        if len(root_key) != KEY_SIZE:
            raise InvalidCiphertext
        root = SecretBytes(root_key)
        keyring, _ = await self._read_keyring(root)
        self._root_key, self._keyring = root, keyring

    def seal(self) -> None:
        """Forget the root key and every barrier key (DESIGN.md invariant 2)."""
        self._keyring = None
        self._root_key = None
        self._ciphers.clear()

    # -- keyring -----------------------------------------------------------------------------------

    async def rotate(self) -> Term:
        """Install a new term for new writes and return it; older terms keep opening old blobs.

        Raises Sealed while sealed.
        """
        root = self._unsealed_root()
        for _ in range(_ROTATE_ATTEMPTS):
            keyring, version = await self._read_keyring(root)
            rotated = keyring.with_new_term(self._new_key(), self._clock.now())
            blob = self._seal_keyring(root, rotated)
            try:
                await self._physical.transact(_replace_keyring(version, blob))
            except StorageConflict:
                continue  # another worker rotated in between: build on its keyring
            self._install(rotated)
            return rotated.active
        raise InternalError(detail="barrier keyring rotation kept conflicting")

    def key_status(self) -> Term:
        """The active term (Vault's sys/key-status). Raises Sealed while sealed."""
        return self._unsealed_keyring().active

    @property
    def term_count(self) -> int:
        """How many terms the keyring holds. Raises Sealed while sealed."""
        return len(self._unsealed_keyring().terms)

    async def reload(self) -> None:
        """Re-read the keyring from storage (another worker or node rotated). Raises Sealed."""
        root = self._unsealed_root()
        keyring, _ = await self._read_keyring(root)
        self._install(keyring)

    async def derive(self, purpose: bytes, term: int | None = None) -> tuple[int, bytes]:
        """A 32-byte key for `purpose`, derived from a keyring term (the active one by default).

        HKDF-SHA256 (RFC 5869) with the term key as input keying material and `purpose` as info,
        so a derived key shares the term's lifetime: when the term is gone, so is the key.
        Raises InvalidCiphertext for a term this keyring does not hold, Sealed while sealed.
        """
        keyring = self._unsealed_keyring()
        if term is not None and term > keyring.active.number:
            await self.reload()
            keyring = self._unsealed_keyring()
        found = keyring.active if term is None else keyring.term(term)
        if found is None:
            raise InvalidCiphertext
        return found.number, derive_key(found.key.reveal(), purpose)

    # -- data operations ---------------------------------------------------------------------------

    async def get(self, path: str) -> bytes | None:
        entry = await self.get_entry(path)
        return None if entry is None else entry.value

    async def get_entry(self, path: str) -> Entry | None:
        """The plaintext at `path` with its storage version, or None."""
        refuse_reserved(path)
        self._unsealed_keyring()
        entry = await self._physical.get(path)
        if entry is None:
            return None
        return Entry(await self._open(path, entry.value), entry.version)

    async def version(self, path: str) -> int:
        """The storage version of `path` (0 if absent), without opening the value.

        Versions are metadata, not secrets: they say only that a value changed. Change
        detection on the hot path (the configuration epoch) needs no decryption.
        """
        refuse_reserved(path)
        self._unsealed_keyring()
        entry = await self._physical.get(path)
        return 0 if entry is None else entry.version

    async def put(self, path: str, value: bytes) -> int:
        return await self._physical.put(path, self._seal(path, value))

    async def delete(self, path: str) -> None:
        refuse_reserved(path)
        self._unsealed_keyring()
        await self._physical.delete(path)

    async def list(
        self, prefix: str, after: str | None = None, limit: int | None = None
    ) -> list[str]:
        """The storage listing below `prefix`, without the reserved records."""
        self._unsealed_keyring()
        if limit is not None and limit < 0:
            raise ValueError("storage list limit must be a non-negative int")
        fetch = None if limit is None else limit + _LIST_SLACK
        names = await self._physical.list(prefix, after, fetch)
        visible = [n for n in names if not is_reserved(prefix + n.removesuffix("/"))]
        return visible if limit is None else visible[:limit]

    async def transact(self, ops: Sequence[Op]) -> None:
        """Apply the ops atomically: Put values are sealed, Delete and Check pass through."""
        self._unsealed_keyring()
        await self._physical.transact([self._seal_op(op) for op in ops])

    # -- internals ---------------------------------------------------------------------------------

    def _unsealed_keyring(self) -> Keyring:
        if self._keyring is None:
            raise Sealed
        return self._keyring

    def _unsealed_root(self) -> SecretBytes:
        if self._root_key is None:
            raise Sealed
        return self._root_key

    def _install(self, keyring: Keyring) -> None:
        # Not if sealed while we awaited storage, and never go backwards when a slow reload
        # finishes after a rotation.
        current = self._keyring
        if current is not None and keyring.active.number >= current.active.number:
            self._keyring = keyring

    def _new_key(self) -> SecretBytes:
        return SecretBytes(self._token_bytes(KEY_SIZE))

    def _seal_keyring(self, root: SecretBytes, keyring: Keyring) -> bytes:
        nonce = self._token_bytes(NONCE_SIZE)
        plaintext = keyring.encode()
        cipher = Cipher(root.reveal())
        return envelope.seal_blob(cipher, envelope.ROOT_TERM, KEYRING_PATH, plaintext, nonce)

    async def _read_keyring(self, root: SecretBytes) -> tuple[Keyring, int]:
        entry = await self._physical.get(KEYRING_PATH)
        if entry is None:
            raise NotInitialized
        if envelope.blob_term(entry.value) != envelope.ROOT_TERM:
            raise InvalidCiphertext
        plaintext = envelope.open_blob(Cipher(root.reveal()), KEYRING_PATH, entry.value)
        return Keyring.decode(plaintext), entry.version

    def _seal(self, path: str, value: bytes) -> bytes:
        refuse_reserved(path)
        if not isinstance(value, bytes):
            raise TypeError("storage value must be bytes")
        term = self._unsealed_keyring().active
        nonce = self._token_bytes(NONCE_SIZE)
        return envelope.seal_blob(self._cipher(term), term.number, path, value, nonce)

    def _seal_op(self, op: Op) -> Op:
        if isinstance(op, Put):
            return Put(op.path, self._seal(op.path, op.value))
        if isinstance(op, Delete | Check):
            refuse_reserved(op.path)
            return op
        raise TypeError("storage transaction ops must be Put, Delete or Check")

    async def _open(self, path: str, blob: bytes) -> bytes:
        number = envelope.blob_term(blob)
        keyring = self._unsealed_keyring()
        if number > keyring.active.number:
            await self.reload()  # a newer term: another worker or node may have rotated
            keyring = self._unsealed_keyring()
        term = keyring.term(number)
        if term is None:
            raise InvalidCiphertext
        return envelope.open_blob(self._cipher(term), path, blob)

    def _cipher(self, term: Term) -> Cipher:
        """The term's cipher, key schedule done once per unseal (dropped on seal)."""
        cipher = self._ciphers.get(term.number)
        if cipher is None:
            cipher = self._ciphers[term.number] = Cipher(term.key.reveal())
        return cipher


def _replace_keyring(expected_version: int, blob: bytes) -> list[Op]:
    """Write the keyring only if it is still at `expected_version` (0: only if absent)."""
    return [Check(KEYRING_PATH, expected_version), Put(KEYRING_PATH, blob)]
