"""The lease manager: grant, look up, renew and revoke leases; the expiry job.

Revocation is claim-then-act. A worker first moves the lease's `due` time a little into the
future in one checked transaction (the claim); only the worker whose claim committed calls the
engine. If the engine fails (database down), the lease stays, its attempt count goes up and its
`due` time moves out with exponential back-off, so the expiry job retries it; if the worker dies
mid-revocation, the claim lapses and another worker takes it over. A lease is forgotten only
after its engine said the credential is gone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import msgspec

from strongroom.clock import Clock
from strongroom.core.leases.entry import (
    LeaseEntry,
    due_key,
    due_time,
    entry_key,
    new_lease_id,
    token_index_key,
)
from strongroom.core.mounts import LeaseHolder
from strongroom.core.request import LeaseRequest
from strongroom.core.view import Store, View
from strongroom.errors import BadRequest, StorageConflict
from strongroom.storage.interface import Check, Delete, Op, Put

_DECODER = msgspec.json.Decoder(LeaseEntry)
_PAGE = 256
_MAX_PAGES = 64  # per expiry round: a backlog drains over several rounds, never one long stall
CLAIM_SECONDS = 60  # a claimed lease whose worker died is taken over after this
MAX_BACKOFF = 3600

Resolver = Callable[[str], LeaseHolder | None]
"""The engine behind a mount uuid, or None if no such mount (or it holds no leases)."""


class RevocationFailed(BadRequest):
    """The engine could not revoke; the lease stays and the expiry job retries it."""


class LeaseManager:
    def __init__(self, store: Store, clock: Clock, resolve: Resolver) -> None:
        self._view = View(store, "sys/expire/")
        self._clock = clock
        self._resolve = resolve

    # -- grant and read ------------------------------------------------------------------------

    async def grant(
        self,
        prefix: str,
        mount_uuid: str,
        request: LeaseRequest,
        token_key: str,
        mount_ttls: tuple[int, int],
        token_expiry: float | None,
    ) -> LeaseEntry:
        """Record a new lease for what an engine just handed out at `prefix`."""
        now = self._clock.now()
        default, maximum = mount_ttls
        max_ttl = min(request.max_ttl or maximum, maximum)
        ttl = min(request.ttl or default, max_ttl)
        max_expire = now + max_ttl
        if token_expiry is not None and not token_key:
            # A lease nobody can revoke with its token must not outlive that token (batch).
            max_expire = min(max_expire, token_expiry)
        expire = min(now + ttl, max_expire)
        entry = LeaseEntry(
            lease_id=new_lease_id(prefix),
            mount_uuid=mount_uuid,
            internal=dict(request.internal),
            token_key=token_key,
            issue_time=now,
            expire_time=expire,
            max_expire_time=max_expire,
            ttl=int(expire - now),
            renewable=request.renewable,
            due=expire,
        )
        ops: list[Op] = [
            Put(entry_key(entry.lease_id), msgspec.json.encode(entry)),
            Put(due_key(entry), entry.lease_id.encode()),
        ]
        if token_key:
            ops.append(Put(token_index_key(entry), entry.lease_id.encode()))
        await self._view.transact(ops)
        return entry

    async def lookup(self, lease_id: str) -> LeaseEntry:
        found = await self._load(lease_id)
        if found is None:
            raise BadRequest("invalid lease")
        return found[0]

    async def names(self, prefix: str) -> list[str]:
        """The names one level below `prefix`, as Vault's LIST sys/leases/lookup/:prefix."""
        keys: list[str] = []
        after: str | None = None
        while page := await self._view.list(entry_key(prefix), after=after, limit=_PAGE):
            keys.extend(page)
            after = page[-1]
        return keys

    # -- renew ----------------------------------------------------------------------------------

    async def renew(self, lease_id: str, increment: int) -> tuple[LeaseEntry, bool]:
        """Extend a lease by `increment` seconds from now (0: its last TTL), capped by its
        max TTL. Returns the new entry and whether the cap cut the request short."""
        found = await self._load(lease_id)
        if found is None:
            raise BadRequest("lease not found")
        entry, version = found
        now = self._clock.now()
        if entry.attempts or entry.expire_time <= now:
            raise BadRequest("lease expired")
        if not entry.renewable:
            raise BadRequest("lease is not renewable")
        wanted = now + (increment or entry.ttl)
        expire = min(wanted, entry.max_expire_time)
        holder = self._holder(entry)
        await holder.renew_lease(entry.internal, expire)
        renewed = msgspec.structs.replace(
            entry, expire_time=expire, due=expire, ttl=int(expire - now), last_renewal=now
        )
        await self._replace(entry, version, renewed)
        return renewed, expire < wanted

    # -- revoke ---------------------------------------------------------------------------------

    async def revoke(self, lease_id: str) -> None:
        """Revoke one lease now. An unknown lease is no error (Vault). Raises RevocationFailed
        if the engine failed: the lease stays and is retried by the expiry job."""
        claimed = await self._claim(lease_id)
        if claimed is not None:
            await self._revoke(claimed)

    async def revoke_prefix(self, prefix: str, *, force: bool = False) -> int:
        """Revoke every lease under `prefix`. With `force`, leases whose engine fails are
        forgotten anyway (for credentials already removed by hand). Returns how many went."""
        revoked = 0
        failed = False
        for lease_id in await self._ids_under(prefix):
            claimed = await self._claim(lease_id)
            if claimed is None:
                continue
            try:
                await self._revoke(claimed)
            except RevocationFailed:
                if not force:
                    failed = True
                    continue
                await self._forget(claimed)
            revoked += 1
        if failed:
            raise RevocationFailed(f"failed to revoke some leases under {prefix!r}; retrying")
        return revoked

    async def revoke_token_leases(self, token_key: str) -> None:
        """Revoke what a revoked token created. Failures stay scheduled for retry."""
        index = f"token/{token_key}/"
        after: str | None = None
        while page := await self._view.list(index, after=after, limit=_PAGE):
            for key in page:
                blob = await self._view.get(index + key)
                claimed = None if blob is None else await self._claim(blob.decode())
                if claimed is None:
                    await self._view.delete(index + key)  # gone already, or someone has it
                    continue
                with contextlib.suppress(RevocationFailed):  # the expiry job retries it
                    await self._revoke(claimed)
            after = page[-1]

    async def expire_due(self) -> int:
        """The expiry job: revoke every lease whose time has come, a page at a time."""
        revoked = 0
        for _ in range(_MAX_PAGES):
            now = self._clock.now()
            page = await self._view.list("due/", limit=_PAGE)
            due = [key for key in page if due_time(key) <= now]
            for key in due:
                blob = await self._view.get("due/" + key)
                claimed = None if blob is None else await self._claim(blob.decode(), key)
                if claimed is None:
                    continue
                try:
                    await self._revoke(claimed)
                    revoked += 1
                except RevocationFailed:
                    continue
            if len(due) < _PAGE:
                break
        return revoked

    async def tidy(self) -> int:
        """Drop index entries that point at no lease (left by a crash between writes)."""
        removed = 0
        for index in ("due/", "token/"):
            for key in await self._index_keys(index):
                blob = await self._view.get(key)
                found = None if blob is None else await self._load(blob.decode())
                if found is None or key not in _indexes(found[0]):
                    await self._view.delete(key)
                    removed += 1
        return removed

    # -- internals ------------------------------------------------------------------------------

    async def _load(self, lease_id: str) -> tuple[LeaseEntry, int] | None:
        found = await self._view.get_entry(entry_key(lease_id))
        if found is None:
            return None
        return _DECODER.decode(found.value), found.version

    def _holder(self, entry: LeaseEntry) -> LeaseHolder:
        holder = self._resolve(entry.mount_uuid)
        if holder is None:
            raise RevocationFailed("the mount that granted this lease is gone")
        return holder

    async def _claim(self, lease_id: str, listed: str | None = None) -> LeaseEntry | None:
        """Take the lease for revocation, or None if it is gone or another worker has it.

        `listed` is the due key the expiry job found; a key that no longer matches the entry
        is stale (the lease was renewed or claimed since) and is dropped.
        """
        found = await self._load(lease_id)
        if found is None or (listed is not None and due_key(found[0]) != "due/" + listed):
            if listed is not None:
                await self._view.delete("due/" + listed)
            return None
        entry, version = found
        claimed = msgspec.structs.replace(entry, due=self._clock.now() + CLAIM_SECONDS)
        try:
            await self._replace(entry, version, claimed)
        except StorageConflict:
            return None
        return claimed

    async def _revoke(self, claimed: LeaseEntry) -> None:
        try:
            await self._holder(claimed).revoke_lease(claimed.internal)
        except Exception as exc:  # noqa: BLE001 - any engine failure means "retry later"
            await self._retry_later(claimed, type(exc).__name__)
            raise RevocationFailed(
                "failed to revoke lease; it stays and revocation is retried"
            ) from None
        await self._forget(claimed)

    async def _retry_later(self, claimed: LeaseEntry, error: str) -> None:
        attempts = claimed.attempts + 1
        delay = min(2**attempts, MAX_BACKOFF)
        retry = msgspec.structs.replace(
            claimed, attempts=attempts, last_error=error, due=self._clock.now() + delay
        )
        found = await self._load(claimed.lease_id)
        if found is not None:
            await self._replace(found[0], found[1], retry)

    async def _forget(self, entry: LeaseEntry) -> None:
        await self._view.transact(
            [Delete(key) for key in _indexes(entry)] + [Delete(entry_key(entry.lease_id))]
        )

    async def _replace(self, old: LeaseEntry, version: int, new: LeaseEntry) -> None:
        """Swap an entry (and move its due index) iff nobody changed it since `version`."""
        ops: list[Op] = [
            Check(entry_key(old.lease_id), version),
            Put(entry_key(new.lease_id), msgspec.json.encode(new)),
        ]
        if due_key(old) != due_key(new):
            ops += [Delete(due_key(old)), Put(due_key(new), new.lease_id.encode())]
        await self._view.transact(ops)

    async def _ids_under(self, prefix: str) -> list[str]:
        """Every lease id below `prefix` (a lease id itself counts as its own prefix)."""
        exact = await self._load(prefix.rstrip("/"))
        found = [prefix.rstrip("/")] if exact is not None else []
        stem = prefix if prefix.endswith("/") or not prefix else prefix + "/"
        found.extend(key.removeprefix("id/") for key in await self._index_keys(entry_key(stem)))
        return found

    async def _index_keys(self, prefix: str) -> list[str]:
        """Every key below `prefix`, recursively (listing returns one level at a time)."""
        keys: list[str] = []
        after: str | None = None
        while page := await self._view.list(prefix, after=after, limit=_PAGE):
            for name in page:
                if name.endswith("/"):
                    keys.extend(await self._index_keys(prefix + name))
                else:
                    keys.append(prefix + name)
            after = page[-1]
        return keys


def _indexes(entry: LeaseEntry) -> list[str]:
    keys = [due_key(entry)]
    if entry.token_key:
        keys.append(token_index_key(entry))
    return keys
