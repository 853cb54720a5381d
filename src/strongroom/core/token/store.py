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

Every change to a token and its indexes is one storage transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import msgspec

from strongroom.core.token.entry import TOKEN_PREFIX, IssuedToken, TokenEntry
from strongroom.core.view import View
from strongroom.errors import InternalError, StorageConflict
from strongroom.secret import random_base62
from strongroom.storage.interface import Check, Delete, Op, Put

_TOKEN_CHARS = 24  # 24 base62 characters: ~143 bits from `secrets`
_PAGE = 500
_USE_RETRIES = 20


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
    def __init__(self, view: View, on_change: Callable[[], Awaitable[None]]) -> None:
        self._view = view
        self._salt: bytes | None = None
        # Called after every change that could make a cached entry wrong (revoke, renew,
        # orphaning): the service moves the configuration epoch so every worker drops it.
        self._changed = on_change

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
        return hmac.new(self._salt, value.encode(), hashlib.sha256).hexdigest()

    async def key_of(self, token: str) -> str:
        return await self._hmac(token)

    async def _accessor_key(self, accessor: str) -> str:
        return await self._hmac("accessor:" + accessor)

    # -- create and read ---------------------------------------------------------------------------

    async def create(self, entry: TokenEntry, token_id: str | None = None) -> IssuedToken:
        token = token_id or random_token()
        entry = msgspec.structs.replace(entry, key=await self._hmac(token))
        ops: list[Op] = [Check(f"id/{entry.key}", 0), *await self._index_puts(entry)]
        await self._view.transact(ops)
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

    async def replace(self, old: TokenEntry, new: TokenEntry) -> None:
        """Swap an entry for its renewed or used form; expiry index follows. Atomic."""
        ops: list[Op] = [Put(f"id/{new.key}", msgspec.json.encode(new))]
        old_expiry, new_expiry = _expiry_key(old), _expiry_key(new)
        if old_expiry != new_expiry:
            if old_expiry is not None:
                ops.append(Delete(old_expiry))
            if new_expiry is not None:
                ops.append(Put(new_expiry, b""))
        await self._view.transact(ops)
        await self._changed()

    async def use(self, entry: TokenEntry) -> TokenEntry | None:
        """Spend one use of a limited-use token; None if none was left. Revokes on the last use.

        A read-check-write on the entry's storage version, so concurrent uses on several
        workers never spend the same use twice.
        """
        for _ in range(_USE_RETRIES):
            stored = await self._view.get_entry(f"id/{entry.key}")
            if stored is None:
                return None
            current = _ENTRY.decode(stored.value)
            if current.num_uses <= 0:
                return current
            if current.num_uses == 1:
                await self.revoke_one(current, check_version=stored.version)
                return current
            spent = msgspec.structs.replace(current, num_uses=current.num_uses - 1)
            try:
                await self._view.transact(
                    [
                        Check(f"id/{entry.key}", stored.version),
                        Put(f"id/{entry.key}", msgspec.json.encode(spent)),
                    ]
                )
            except StorageConflict:
                continue
            return spent
        raise InternalError(detail="token use kept conflicting")

    # -- revoke ------------------------------------------------------------------------------------

    async def _removal(self, entry: TokenEntry) -> list[Op]:
        ops: list[Op] = [
            Delete(f"id/{entry.key}"),
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
        """Remove one token and its indexes (its children, if any, keep their index)."""
        ops = await self._removal(entry)
        if check_version is not None:
            ops.insert(0, Check(f"id/{entry.key}", check_version))
        await self._view.transact(ops)
        await self._changed()

    async def revoke_tree(self, root: TokenEntry) -> int:
        """Revoke `root` and every descendant; returns how many tokens went.

        The root goes first, so no new child can be created under it while the walk runs;
        descendants are then removed level by level, a page of transactions at a time.
        """
        await self.revoke_one(root)
        revoked = 1
        frontier = [root.key]
        while frontier:
            children: list[TokenEntry] = []
            for parent in frontier:
                children.extend([child async for child in self._children(parent)])
            for chunk in _chunks(children, 100):
                ops: list[Op] = []
                for child in chunk:
                    ops.extend(await self._removal(child))
                await self._view.transact(ops)
                revoked += len(chunk)
            frontier = [c.key for c in children]
            await self._changed()  # per level: no worker may re-cache a removed descendant
        return revoked

    async def revoked(self, limit: int) -> list[str]:
        """Keys of revoked tokens whose leases are still to be revoked (oldest duty first)."""
        return await self._view.list("revoked/", limit=limit)

    async def forget_revoked(self, key: str) -> None:
        await self._view.delete(f"revoked/{key}")

    async def _children(self, parent: str) -> AsyncIterator[TokenEntry]:
        after: str | None = None
        while page := await self._view.list(f"parent/{parent}/", after=after, limit=_PAGE):
            for key in page:
                child = await self.by_key(key)
                if child is not None:
                    yield child
                else:  # a dangling index entry left by a crash: drop it
                    await self._view.delete(f"parent/{parent}/{key}")
            after = page[-1]

    async def orphan_children(self, parent: TokenEntry) -> None:
        """revoke-orphan: the children lose their parent instead of being revoked."""
        async for child in self._children(parent.key):
            orphaned = msgspec.structs.replace(child, parent="")
            await self._view.transact(
                [
                    Put(f"id/{child.key}", msgspec.json.encode(orphaned)),
                    Delete(f"parent/{parent.key}/{child.key}"),
                ]
            )
        await self._changed()

    async def due(self, now: float, limit: int = _PAGE) -> list[TokenEntry]:
        """Tokens whose expiry has passed, oldest first, at most `limit` (the expiry job's page)."""
        found: list[TokenEntry] = []
        for bucket in await self._view.list("expiry/", limit=limit):
            if int(bucket.rstrip("/")) > now:
                break
            for key in await self._view.list(f"expiry/{bucket}", limit=limit):
                entry = await self.by_key(key)
                if entry is None:
                    await self._view.delete(f"expiry/{bucket}{key}")
                    continue
                found.append(entry)
            if len(found) >= limit:
                break
        return found[:limit]


def _chunks(items: list[TokenEntry], size: int) -> Iterator[list[TokenEntry]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
