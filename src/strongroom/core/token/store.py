"""Token persistence: entries and their indexes, all keyed by salted HMACs.

Layout below the store's view (`sys/token/`):

    salt                         the HMAC salt (behind the barrier, created at init)
    id/<key>                     TokenEntry, key = HMAC(salt, token)
    accessor/<akey>              AccessorRecord, akey = HMAC(salt, "accessor:" + accessor)
    parent/<parent key>/<key>    child index, for cascading revocation
    expiry/<%012d expiry>/<key>  ordered by expiry time, for the expiry job (paged, never loaded)
    roles/<name>                 TokenRole of the root namespace (a namespace's own roles live
                                 below its storage prefix: `core/token/scoped.py`)
    revoked/<key>                a revoked token whose leases still have to be revoked; written
                                 in the revoking transaction, so a crash cannot lose the duty

Every change to a token and its indexes is one storage transaction. A change that could make
another worker's cached entry wrong (a revocation, orphaning, a renewal that shortens a life)
moves the configuration epoch in that same transaction (DESIGN.md invariant 10), so no crash
between two writes can leave a revoked token accepted elsewhere. A renewal that only extends a
life moves nothing: a worker re-reads a cached entry once its cached expiry has passed.

Expiry is claim-then-act, like the lease manager's: the expiry job removes a due token with a
check on the version it read, so of several workers and nodes finding the same token due,
exactly one removal commits and is counted (invariant 9).
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator, Callable, Iterator

import msgspec

from strongroom.core.epoch import epoch_bump
from strongroom.core.token.entry import TOKEN_PREFIX, IssuedToken, TokenEntry
from strongroom.core.view import DELETE, UNCHANGED, Verdict, View, Write
from strongroom.errors import BadRequest, InternalError, StorageConflict
from strongroom.secret import random_base62, salted_hmac
from strongroom.storage.interface import Check, Delete, Op, Put

_TOKEN_CHARS = 24  # 24 base62 characters: ~143 bits from `secrets`
_PAGE = 500
_CHUNK = 100


class AccessorRecord(msgspec.Struct, frozen=True):
    accessor: str
    key: str


_ENTRY = msgspec.json.Decoder(TokenEntry)
_ACCESSOR = msgspec.json.Decoder(AccessorRecord)


def random_token(prefix: str = TOKEN_PREFIX) -> str:
    return prefix + random_base62(_TOKEN_CHARS)


def new_accessor() -> str:
    return random_base62(_TOKEN_CHARS)


def _expiry_key(entry: TokenEntry) -> str | None:
    if entry.expire_time is None:
        return None
    return f"expiry/{int(entry.expire_time):012d}/{entry.key}"


class TokenStore:
    def __init__(self, view: View) -> None:
        self._view = view
        self._salt: bytes | None = None

    async def _commit(self, ops: list[Op], *, invalidate: bool) -> None:
        """One transaction; with `invalidate`, the configuration epoch moves in it too."""
        await self._view.transact(ops, outside=[epoch_bump()] if invalidate else [])

    async def init_salt(self) -> None:
        """Create the HMAC salt; called once, at initialisation."""
        await self._view.transact([Check("salt", 0), Put("salt", secrets.token_bytes(32))])

    def forget_salt(self) -> None:
        """Called on seal: the salt is key material too."""
        self._salt = None

    async def _hmac(self, value: str) -> str:
        if self._salt is None:
            self._salt = await self._view.get("salt")
            if self._salt is None:
                raise InternalError(detail="token salt missing")
        return salted_hmac(self._salt, value)

    async def key_of(self, token: str) -> str:
        return await self._hmac(token)

    async def _accessor_key(self, accessor: str) -> str:
        return await self._hmac("accessor:" + accessor)

    # -- create and read ---------------------------------------------------------------------------

    async def create(self, entry: TokenEntry, token_id: str | None = None) -> IssuedToken:
        token = token_id or random_token()
        entry = msgspec.structs.replace(entry, key=await self._hmac(token))
        ops: list[Op] = [Check(f"id/{entry.key}", 0), *await self._index_puts(entry)]
        try:
            await self._view.transact(ops)
        except StorageConflict:
            if token_id is None:
                raise
            raise BadRequest("cannot create a token with a duplicate ID") from None
        return IssuedToken(token, entry)

    async def _index_puts(self, entry: TokenEntry) -> list[Op]:
        blob = msgspec.json.encode(entry)
        accessor = msgspec.json.encode(AccessorRecord(entry.accessor, entry.key))
        ops: list[Op] = [
            Put(f"id/{entry.key}", blob),
            Put(f"accessor/{await self._accessor_key(entry.accessor)}", accessor),
        ]
        if entry.parent:
            ops.append(Put(f"parent/{entry.parent}/{entry.key}", b""))
        expiry = _expiry_key(entry)
        if expiry is not None:
            ops.append(Put(expiry, b""))
        return ops

    async def by_key(self, key: str) -> TokenEntry | None:
        blob = await self._view.get(f"id/{key}")
        return None if blob is None else _ENTRY.decode(blob)

    async def by_accessor(self, accessor: str) -> TokenEntry | None:
        blob = await self._view.get(f"accessor/{await self._accessor_key(accessor)}")
        if blob is None:
            return None
        return await self.by_key(_ACCESSOR.decode(blob).key)

    async def accessors(self, visible: Callable[[str], bool]) -> list[str]:
        """The accessors of the tokens whose namespace id `visible` accepts."""
        found: list[str] = []
        after: str | None = None
        while page := await self._view.list("accessor/", after=after, limit=_PAGE):
            for name in page:
                blob = await self._view.get(f"accessor/{name}")
                record = None if blob is None else _ACCESSOR.decode(blob)
                entry = None if record is None else await self.by_key(record.key)
                if record is not None and entry is not None and visible(entry.namespace):
                    found.append(record.accessor)
            after = page[-1]
        return found

    # -- change ------------------------------------------------------------------------------------

    async def _load(self, key: str) -> tuple[TokenEntry, int] | None:
        """The stored entry and its storage version (for a checked write), or None."""
        stored = await self._view.get_entry(f"id/{key}")
        return None if stored is None else (_ENTRY.decode(stored.value), stored.version)

    async def update(
        self, key: str, change: Callable[[TokenEntry], TokenEntry]
    ) -> TokenEntry | None:
        """Apply `change` to the stored entry (a renewal) with `View.update`'s checked write,
        retried when another worker got there first; the expiry index follows. None if the
        token is gone.

        Only a change that brings the expiry closer moves the epoch: a later expiry is found
        by any worker whose cached one has passed, so renewals flush no cache.
        """

        def decide(old: TokenEntry | None) -> Write[TokenEntry] | Verdict:
            if old is None:
                return UNCHANGED
            new = change(old)
            old_expiry, new_expiry = _expiry_key(old), _expiry_key(new)
            moved: list[Op] = []
            if old_expiry != new_expiry:
                moved += [Delete(k) for k in (old_expiry,) if k is not None]
                moved += [Put(k, b"") for k in (new_expiry,) if k is not None]
            return Write(new, also=moved, outside=[epoch_bump()] if _sooner(new, old) else [])

        return (await self._view.update(f"id/{key}", _ENTRY.decode, decide)).after

    async def use(self, entry: TokenEntry) -> TokenEntry | None:
        """Spend one use of a limited-use token; None if none was left. Revokes on the last use.

        A checked write on the entry's storage version (`View.update`), so concurrent uses on
        several workers never spend the same use twice.
        """

        async def decide(current: TokenEntry | None) -> Write[TokenEntry] | TokenEntry | Verdict:
            if current is None or current.num_uses <= 0:
                return UNCHANGED
            if current.num_uses == 1:  # the last use revokes, moving the epoch with it
                return Write(DELETE, also=await self._unindexed(current), outside=[epoch_bump()])
            return msgspec.structs.replace(current, num_uses=current.num_uses - 1)

        spent = await self._view.update(f"id/{entry.key}", _ENTRY.decode, decide)
        return spent.before if spent.after is None else spent.after

    # -- revoke ------------------------------------------------------------------------------------

    async def _removal(self, entry: TokenEntry) -> list[Op]:
        return [Delete(f"id/{entry.key}"), *await self._unindexed(entry)]

    async def _unindexed(self, entry: TokenEntry) -> list[Op]:
        """What removes a token besides its entry: its indexes, plus the revoked/ duty."""
        ops: list[Op] = [
            Delete(f"accessor/{await self._accessor_key(entry.accessor)}"),
            Put(f"revoked/{entry.key}", b""),
        ]
        if entry.parent:
            ops.append(Delete(f"parent/{entry.parent}/{entry.key}"))
        expiry = _expiry_key(entry)
        if expiry is not None:
            ops.append(Delete(expiry))
        return ops

    async def revoke_one(self, entry: TokenEntry, check_version: int | None = None) -> None:
        """Remove one token and its indexes (its children, if any, keep their index), moving
        the epoch in the same transaction. With `check_version`, raises StorageConflict if the
        stored entry is no longer that version (another worker claimed or changed it)."""
        checks = [] if check_version is None else [Check(f"id/{entry.key}", check_version)]
        await self._commit([*checks, *await self._removal(entry)], invalidate=True)

    async def revoke_tree(self, root: TokenEntry, version: int | None = None) -> int:
        """Revoke `root` and every descendant; returns how many tokens this call removed.

        With `version` (the expiry job's claim), a root that changed or went since it was read
        is left to whoever changed it, and 0 is returned. The root goes first, so no new child
        can be created under it while the walk runs; descendants are then removed level by
        level, each removal checked, so one revoked concurrently elsewhere is not counted twice.
        """
        try:
            await self.revoke_one(root, check_version=version)
        except StorageConflict:
            if version is None:
                raise
            return 0
        revoked = 1
        frontier = [root.key]
        while frontier:
            children: list[tuple[TokenEntry, int]] = []
            for parent in frontier:
                children.extend([child async for child in self._children(parent)])
            for chunk in _chunks(children, _CHUNK):
                revoked += await self._remove_checked(chunk)
            frontier = [child.key for child, _ in children]
        return revoked

    async def _remove_checked(self, chunk: list[tuple[TokenEntry, int]]) -> int:
        """Remove a chunk of tokens in one transaction, each checked at the version read;
        if any changed meanwhile, one transaction each. Returns how many this call removed."""
        try:
            await self._commit(await self._checked_removal(chunk), invalidate=True)
        except StorageConflict:
            removed = 0
            for one in chunk:
                with contextlib.suppress(StorageConflict):
                    await self._commit(await self._checked_removal([one]), invalidate=True)
                    removed += 1
            return removed
        return len(chunk)

    async def _checked_removal(self, chunk: list[tuple[TokenEntry, int]]) -> list[Op]:
        ops: list[Op] = []
        for entry, version in chunk:
            ops += [Check(f"id/{entry.key}", version), *await self._removal(entry)]
        return ops

    async def revoked(self, limit: int) -> list[str]:
        """Keys of revoked tokens whose leases are still to be revoked (oldest duty first)."""
        return await self._view.list("revoked/", limit=limit)

    async def forget_revoked(self, key: str) -> None:
        await self._view.delete(f"revoked/{key}")

    async def _children(self, parent: str) -> AsyncIterator[tuple[TokenEntry, int]]:
        after: str | None = None
        while page := await self._view.list(f"parent/{parent}/", after=after, limit=_PAGE):
            for key in page:
                child = await self._load(key)
                if child is not None:
                    yield child
                else:  # a dangling index entry left by a crash: drop it
                    await self._view.delete(f"parent/{parent}/{key}")
            after = page[-1]

    async def orphan_children(self, parent: TokenEntry) -> None:
        """revoke-orphan: the children lose their parent instead of being revoked."""
        async for child, _version in self._children(parent.key):
            orphaned = msgspec.structs.replace(child, parent="")
            await self._commit(
                [
                    Put(f"id/{child.key}", msgspec.json.encode(orphaned)),
                    Delete(f"parent/{parent.key}/{child.key}"),
                ],
                invalidate=True,
            )

    async def due(self, now: float, limit: int = _PAGE) -> list[tuple[TokenEntry, int]]:
        """Tokens whose expiry has passed, oldest first, at most `limit`, each with the storage
        version to claim it at (the expiry job's page). Index entries that no longer match
        their token (gone, or renewed since) are dropped."""
        found: list[tuple[TokenEntry, int]] = []
        for bucket in await self._view.list("expiry/", limit=limit):
            if int(bucket.rstrip("/")) > now:
                break
            for key in await self._view.list(f"expiry/{bucket}", limit=limit):
                index = f"expiry/{bucket}{key}"
                loaded = await self._load(key)
                if loaded is None or _expiry_key(loaded[0]) != index:
                    await self._view.delete(index)
                elif loaded[0].expired(now):
                    found.append(loaded)
            if len(found) >= limit:
                break
        return found[:limit]


def _sooner(new: TokenEntry, old: TokenEntry) -> bool:
    """Whether `new` expires before `old` (never-expiring counts as latest)."""
    if new.expire_time is None:
        return False
    return old.expire_time is None or new.expire_time < old.expire_time


def _chunks(
    items: list[tuple[TokenEntry, int]], size: int
) -> Iterator[list[tuple[TokenEntry, int]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
