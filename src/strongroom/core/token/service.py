"""The token service: what the pipeline asks of tokens (resolve, authenticate, spend a use,
revoke a tree, expire what is due, mint from a log-in), over the store and the barrier."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Literal

import msgspec

from strongroom import bound_cidrs
from strongroom.barrier import Barrier
from strongroom.clock import Clock
from strongroom.core.epoch import epoch_bump
from strongroom.core.login import Login
from strongroom.core.request import Request
from strongroom.core.token import batch
from strongroom.core.token.entry import BATCH_PREFIX, IssuedToken, TokenEntry
from strongroom.core.token.issue import TokenRequest, issue
from strongroom.core.token.store import TokenStore, new_accessor
from strongroom.core.token.ttl import Lifetime, renewed, token_time
from strongroom.core.view import View
from strongroom.errors import BadRequest, PermissionDenied

if TYPE_CHECKING:
    from strongroom.core.core import Core

_EXPIRY_PAGE = 200
_FRESH_FOR = 1.0  # seconds a cached entry is trusted before it is read again


class TokenService:
    def __init__(
        self, barrier: Barrier, clock: Clock, on_revoke: Callable[[], Awaitable[None]]
    ) -> None:
        self._on_revoke = on_revoke  # revokes the leases of what was just revoked
        self.view = View(barrier, "sys/token/")
        self.store = TokenStore(self.view)
        self._barrier = barrier
        self._clock = clock
        # Entries of unlimited-use tokens by salted key, each with the time it must be re-read
        # by: dropped whenever the epoch moves, and re-read once a second at most (and once its
        # cached expiry has passed), since a renewal elsewhere moves no epoch. So a renewal is
        # seen everywhere within a second (DESIGN.md invariant 10), at one read per token and
        # worker a second.
        self._cache: dict[str, tuple[TokenEntry, float]] = {}

    def clear_cache(self) -> None:
        self._cache.clear()

    def forget(self) -> None:
        """Called on seal."""
        self.store.forget_salt()
        self._cache.clear()

    async def resolve(self, token: str) -> TokenEntry | None:
        """The live entry behind `token`: None if unknown, expired, or (batch) orphaned."""
        if not token:
            return None
        now = self._clock.now()
        if token.startswith(BATCH_PREFIX):
            return await self._resolve_batch(token, now)
        key = await self.store.key_of(token)
        cached = self._cache.get(key)
        if cached is not None and now < cached[1]:
            return cached[0]
        entry = await self.store.by_key(key)
        self._cache.pop(key, None)
        if entry is None or entry.expired(now):
            return None
        if not entry.num_uses:  # limited-use tokens are always read fresh
            self._remember(entry, now)
        return entry

    async def _resolve_batch(self, token: str, now: float) -> TokenEntry | None:
        entry = await batch.open_token(self._barrier, token)
        if entry is None or entry.expired(now):
            return None
        if entry.parent and await self.store.by_key(entry.parent) is None:
            return None  # a batch token dies with its parent
        return entry

    def _remember(self, entry: TokenEntry, now: float) -> None:
        expiry = now + _FRESH_FOR if entry.expire_time is None else entry.expire_time
        self._cache[entry.key] = (entry, min(now + _FRESH_FOR, expiry))

    async def authenticate(self, request: Request) -> TokenEntry:
        """The caller's entry, with one use spent. Raises PermissionDenied, never saying why."""
        entry = await self.resolve(request.token or "")
        if entry is None:
            raise PermissionDenied
        if not bound_cidrs.allows(entry.bound_cidrs, request.remote_addr):
            raise PermissionDenied
        if entry.num_uses:
            spent = await self.store.use(entry)
            if spent is None:
                raise PermissionDenied
            entry = spent
        return entry

    async def revoke(self, entry: TokenEntry) -> int:
        """Revoke a token and its whole subtree. Batch tokens cannot be revoked (Vault)."""
        if entry.type == "batch":
            return 0
        revoked = await self.store.revoke_tree(entry)
        await self._on_revoke()
        return revoked

    async def invalidate(self) -> None:
        """Move the configuration epoch alone: every worker drops its cached entries. For a
        revocation repeated after its token is gone, in case the first one's invalidation
        never committed (a store from before revocations moved the epoch in their own
        transaction): other nodes may still hold the entry."""
        await self._barrier.transact([epoch_bump()])

    async def renew(self, entry: TokenEntry, token: str, increment: int) -> IssuedToken:
        """Extend a token's life from now by its period, else `increment`, else its original
        TTL, never past its maximum. Raises BadRequest if it is not renewable or is gone."""
        if not entry.renewable:
            raise BadRequest("lease is not renewable")
        now = token_time(self._clock.now())
        lives: list[Lifetime] = []

        def extend(current: TokenEntry) -> TokenEntry:
            life = renewed(
                now,
                increment=increment,
                creation_ttl=current.creation_ttl,
                period=current.period,
                max_expire=current.max_expire,
            )
            lives.append(life)  # the last one is the one committed
            return msgspec.structs.replace(current, expire_time=life.expire_time, last_renewal=now)

        new = await self.store.update(entry.key, extend)
        if new is None:
            raise BadRequest("lease is not renewable")
        if entry.key in self._cache:
            self._remember(new, now)
        warning = lives[-1].warning
        return IssuedToken(token, new, () if warning is None else (warning,))

    async def expire_due(self) -> int:
        """Revoke every token whose expiry has passed, a page at a time (the expiry job).
        Returns how many tokens this call removed: each due token is claimed by one caller
        only, however many workers and nodes run the job at once."""
        revoked = 0
        while due := await self.store.due(self._clock.now(), _EXPIRY_PAGE):
            for entry, version in due:
                revoked += await self.store.revoke_tree(entry, version)
        return revoked

    async def create_root(self, token_id: str | None = None) -> IssuedToken:
        entry = TokenEntry(
            accessor=new_accessor(),
            policies=("root",),
            display_name="root",
            creation_time=self._clock.now(),
            path="auth/token/root",
            renewable=False,
        )
        return await self.store.create(entry, token_id)

    async def from_login(
        self,
        core: Core,
        login: Login,
        mount_path: str,
        ttls: tuple[int, int],
        *,
        entity_id: str = "",
    ) -> IssuedToken:
        """Mint the orphan token an auth method's successful log-in earned (for the entity
        the identity store found or created for it)."""
        kind: Literal["service", "batch"] = (
            "batch" if login.token_type in ("batch", "default-batch") else "service"
        )
        request = TokenRequest(
            policies=login.policies,
            meta=login.metadata or None,
            display_name=login.display_name,
            ttl=login.ttl,
            max_ttl=login.max_ttl,
            explicit_max_ttl=login.explicit_max_ttl,
            period=login.period,
            num_uses=login.num_uses,
            renewable=login.renewable,
            no_default_policy=login.no_default_policy,
            orphan=True,
            type=kind,
            bound_cidrs=login.bound_cidrs,
            path=f"auth/{mount_path}login",
            internal=login.internal,
            policies_vetted=True,
            ttls=ttls,
            entity_id=entity_id,
        )
        return await issue(core, request, None)
