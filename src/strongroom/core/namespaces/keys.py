"""Per-namespace keys: a second AEAD layer, inside the barrier, for one tenant's storage.

(It lives in core/ rather than barrier/ because it sits on top of the barrier's `Store`.)

Every value a namespace stores (below `namespaces/<id>/`) is first sealed with the namespace's
own keyring, in the barrier's blob format with the storage path as associated data, and then
handed to the barrier, which seals it again with the root keyring. The namespace keyring itself
is stored through the barrier at `core/namespace-keys/<id>`, so it is wrapped by the root
keyring like everything else.

That is what makes crypto-shredding work: deleting the keyring record makes every blob of the
namespace unreadable, even to someone holding the root key and a copy of the storage taken after
that moment; the purge of the blobs themselves can then take its time. Rotation adds a term to
the namespace keyring only, and old terms keep opening old values (as the barrier's do).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from strongroom.barrier import envelope
from strongroom.barrier.aead import KEY_SIZE, NONCE_SIZE, Cipher
from strongroom.barrier.errors import InvalidCiphertext
from strongroom.barrier.keyring import Keyring, Term
from strongroom.clock import Clock
from strongroom.core.view import Store, View
from strongroom.errors import NotFound
from strongroom.secret import SecretBytes
from strongroom.storage.interface import Check, Entry, Op, Put

KEYS_PREFIX = "core/namespace-keys/"


class KeyDestroyed(NotFound):
    """The namespace's keyring is gone (the namespace was deleted): nothing of it opens. A
    request racing the deletion gets a 404, as if the namespace were already gone."""


class TenantStore:
    """A `Store` whose values below `prefix` are sealed with a namespace keyring first."""

    def __init__(self, barrier: Store, namespace_id: str, prefix: str, clock: Clock) -> None:
        self._barrier = barrier
        self._record = KEYS_PREFIX + namespace_id
        self._prefix = prefix
        self._clock = clock
        self._keyring: Keyring | None = None
        self._ciphers: dict[int, Cipher] = {}

    # -- the keyring ------------------------------------------------------------------------

    async def create_key(self) -> None:
        """Install the first term (at namespace creation)."""
        first = Keyring((Term(1, SecretBytes(secrets.token_bytes(KEY_SIZE)), self._clock.now()),))
        await self._barrier.transact([Check(self._record, 0), Put(self._record, first.encode())])
        self._keyring = first

    async def destroy_key(self) -> None:
        """Crypto-shred: delete the keyring, so no value of the namespace opens again."""
        await self._barrier.delete(self._record)
        self._keyring = None
        self._ciphers.clear()

    async def rotate(self) -> Term:
        """Add a term for new writes; older terms keep opening older values."""

        def rotated(current: Keyring | None) -> Keyring:
            if current is None:
                raise KeyDestroyed
            return current.with_new_term(
                SecretBytes(secrets.token_bytes(KEY_SIZE)), self._clock.now()
            )

        whole = View(self._barrier, "")
        updated = await whole.update(self._record, Keyring.decode, rotated, encode=Keyring.encode)
        keyring = updated.after
        if keyring is None:  # `rotated` never deletes: it raises instead
            raise KeyDestroyed
        self._keyring = keyring
        return keyring.active

    async def key_status(self) -> tuple[Term, int]:
        """The active term and how many terms there are (read fresh: another worker may
        have rotated)."""
        keyring, _ = await self._read()
        self._keyring = keyring
        return keyring.active, len(keyring.terms)

    async def _read(self) -> tuple[Keyring, int]:
        found = await self._barrier.get_entry(self._record)
        if found is None:
            raise KeyDestroyed
        return Keyring.decode(found.value), found.version

    async def _current(self, needed: int = 0) -> Keyring:
        """The cached keyring, re-read when a blob names a term it does not know yet."""
        keyring = self._keyring
        if keyring is None or keyring.active.number < needed:
            keyring = self._keyring = (await self._read())[0]
        return keyring

    def _cipher(self, term: Term) -> Cipher:
        cipher = self._ciphers.get(term.number)
        if cipher is None:
            cipher = self._ciphers[term.number] = Cipher(term.key.reveal())
        return cipher

    # -- sealing ----------------------------------------------------------------------------

    async def _seal(self, path: str, value: bytes) -> bytes:
        if not path.startswith(self._prefix):
            return value  # not the namespace's (the configuration epoch, say): barrier only
        term = (await self._current()).active
        nonce = secrets.token_bytes(NONCE_SIZE)
        return envelope.seal_blob(self._cipher(term), term.number, path, value, nonce)

    async def _open(self, path: str, blob: bytes) -> bytes:
        if not path.startswith(self._prefix):
            return blob
        number = envelope.blob_term(blob)
        term = (await self._current(number)).term(number)
        if term is None:
            raise InvalidCiphertext
        return envelope.open_blob(self._cipher(term), path, blob)

    async def _sealed(self, op: Op) -> Op:
        if isinstance(op, Put):
            return Put(op.path, await self._seal(op.path, op.value))
        return op

    # -- the Store protocol -----------------------------------------------------------------

    async def get(self, path: str) -> bytes | None:
        blob = await self._barrier.get(path)
        return None if blob is None else await self._open(path, blob)

    async def get_entry(self, path: str) -> Entry | None:
        found = await self._barrier.get_entry(path)
        if found is None:
            return None
        return Entry(await self._open(path, found.value), found.version)

    async def put(self, path: str, value: bytes) -> int:
        return await self._barrier.put(path, await self._seal(path, value))

    async def delete(self, path: str) -> None:
        await self._barrier.delete(path)

    async def version(self, path: str) -> int:
        return await self._barrier.version(path)

    async def list(
        self, prefix: str, after: str | None = None, limit: int | None = None
    ) -> list[str]:
        return await self._barrier.list(prefix, after, limit)

    async def transact(self, ops: Sequence[Op]) -> None:
        await self._barrier.transact([await self._sealed(op) for op in ops])
