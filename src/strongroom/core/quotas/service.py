"""The quota service: quota definitions at rest, this worker's cache of them, and the check
every request passes right after the configuration caches are synced (before authentication,
as Vault applies quotas before a request reaches its core).

Definitions live behind the barrier in two records, `core/quotas/rate-limit` (every quota, by
name) and `core/quotas/config`, each changed by a checked read-modify-write that moves the
configuration epoch (`core/epoch.py`), so every worker drops its copy on its next request.
The counting itself is shared by the node's workers (`limiter.py`).

Which quota applies is Vault's precedence (vault/quotas/quotas.go `queryQuota`), most specific
first, over the request's full path (`namespace + path`):

    path below the mount, exact  >  path below the mount with a trailing `*`, longest first
    >  the mount  >  the request's namespace ("" = the global quota for the root)
    >  the nearest ancestor namespace's quota marked `inheritable` (the global one by default)

Role quotas (`role` on an auth mount's path) are stored, validated and shown as in Vault but
not applied: resolving the role of a log-in (AppRole: role ID → role name) is a storage read
inside the auth method that Vault performs on every log-in. They never act as mount quotas.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Protocol

import msgspec

from strongroom.clock import Clock
from strongroom.core.audit import AuditBroker
from strongroom.core.epoch import update_config
from strongroom.core.mounts import Mounted
from strongroom.core.quotas.limiter import Decision, SharedLimiter, limiter_key, node_state_path
from strongroom.core.quotas.models import (
    CONFIG_DECODER,
    QUOTAS_DECODER,
    QuotaConfig,
    RateLimitQuota,
)
from strongroom.core.request import Request
from strongroom.core.view import Store
from strongroom.errors import BadRequest, RateLimited, StrongroomError

log = logging.getLogger("strongroom.quotas")
QUOTAS_RECORD = "core/quotas/rate-limit"
CONFIG_RECORD = "core/quotas/config"

Headers = tuple[tuple[bytes, bytes], ...]


class QuotaExceeded(RateLimited):
    """429 with Vault's text; `headers` are the X-Ratelimit-* headers, when enabled."""

    def __init__(self, path: str, headers: Headers = ()) -> None:
        # Vault's text: "request path %q: " + quotas.ErrRateLimitQuotaExceeded (http/util.go)
        super().__init__(
            f"request path {json.dumps(path, ensure_ascii=False)}: rate limit quota exceeded"
        )
        self.headers = headers


class MountRouter(Protocol):
    def route(self, path: str) -> tuple[Mounted, str] | None: ...


class Rules:
    """One worker's view of the quotas and the configuration, indexed for matching."""

    def __init__(self, quotas: Mapping[str, RateLimitQuota], config: QuotaConfig) -> None:
        self.quotas = dict(quotas)
        self.config = config
        self._by_key = {q.key: q for q in quotas.values() if not q.role}
        self._globs = any(key.endswith("*/") for key in self._by_key)
        exempt = [p.lstrip("/") for p in config.exempt_paths]
        self._exempt = frozenset(p for p in exempt if not p.endswith("*"))
        self._exempt_prefixes = tuple(p[:-1] for p in exempt if p.endswith("*"))

    @property
    def active(self) -> bool:
        return bool(self._by_key)

    def exempt(self, path: str) -> bool:
        """Vault's path manager: an exempt path matches exactly, or as a prefix with `*`."""
        return path in self._exempt or path.startswith(self._exempt_prefixes)

    def match(self, namespace: str, full: str, mount: str | None) -> RateLimitQuota | None:
        """The quota for a request to `full` (= namespace + path) below `mount` (or no mount)."""
        by_key = self._by_key
        if mount is not None and full.startswith(mount):
            suffix = full[len(mount) :].removesuffix("/")
            found = by_key.get(mount + suffix + "/") if suffix else None
            if found is None and self._globs:
                for end in range(len(suffix), -1, -1):
                    found = by_key.get(mount + suffix[:end] + "*/")
                    if found is not None:
                        break
            found = found or by_key.get(mount)
            if found is not None:
                return found
        found = by_key.get(namespace)
        while found is None and namespace:
            namespace = namespace[: namespace.rstrip("/").rfind("/") + 1]
            parent = by_key.get(namespace)
            if parent is not None and parent.inheritable:
                found = parent
        return found


class QuotaService:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        audit: AuditBroker | None = None,
        state_path: str | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._audit = audit
        self._state_path = state_path
        self._rules: Rules | None = None
        self._limiter: SharedLimiter | None = None

    @classmethod
    def for_node(cls, store: Store, clock: Clock, audit: AuditBroker) -> QuotaService:
        """The service of a worker: counters shared through the node's runtime directory."""
        return cls(store, clock, audit, node_state_path())

    def clear_cache(self) -> None:
        self._rules = None

    def close(self) -> None:
        if self._limiter is not None:
            self._limiter.close()
            self._limiter = None

    # -- the request path ---------------------------------------------------------------------

    async def check(self, request: Request, mounts: MountRouter) -> None:
        """Count `request` against the quota that applies to it.

        Raises QuotaExceeded (429) if that quota refuses it. Costs nothing without quotas.
        """
        rules = self._rules or await self.load()
        if not rules.active or rules.exempt(request.path):
            return
        routed = mounts.route(request.path)
        mount = None if routed is None else request.namespace + routed[0].full_path
        quota = rules.match(request.namespace, request.namespace + request.path, mount)
        if quota is None:
            return
        limiter = self._limiter or self._open()
        key = limiter_key(quota.state_id, request.remote_addr)
        decision = limiter.take(key, quota.limit, quota.interval, quota.block_interval)
        if decision.allowed:
            return
        config = rules.config
        refused = QuotaExceeded(
            request.path, _headers(decision) if config.enable_rate_limit_response_headers else ()
        )
        if config.enable_rate_limit_audit_logging:
            await self._audit_refusal(request, None if routed is None else routed[0], refused)
        raise refused

    def _open(self) -> SharedLimiter:
        try:
            self._limiter = SharedLimiter(self._clock, self._state_path)
        except OSError as failed:  # still limit, if only per worker, rather than fail requests
            log.error("shared quota table unavailable, counting per worker: %s", failed)  # noqa: TRY400
            self._limiter = SharedLimiter(self._clock)
        return self._limiter

    async def _audit_refusal(
        self, request: Request, mounted: Mounted | None, refused: QuotaExceeded
    ) -> None:
        """Vault audits a refused request when asked to; a failure here only warns (the request
        is refused either way)."""
        if self._audit is None:
            return
        try:
            await self._audit.log_request(request, None, mounted)
            await self._audit.log_response(request, None, mounted, None, refused.public)
        except StrongroomError as failed:
            log.warning("rate-limit refusal not audited: %s", failed.public)

    # -- definitions ------------------------------------------------------------------------------

    async def load(self) -> Rules:
        """This worker's rules, read from storage after every configuration change."""
        quotas_blob = await self._store.get(QUOTAS_RECORD)
        config_blob = await self._store.get(CONFIG_RECORD)
        self._rules = Rules(
            {} if quotas_blob is None else QUOTAS_DECODER.decode(quotas_blob),
            QuotaConfig() if config_blob is None else CONFIG_DECODER.decode(config_blob),
        )
        return self._rules

    async def write(self, quota: RateLimitQuota) -> None:
        """Create or replace a quota. Raises BadRequest if another quota has the same path and
        role (Vault: "quota rule with similar properties exists")."""

        def put(blob: bytes | None) -> bytes:
            table = {} if blob is None else QUOTAS_DECODER.decode(blob)
            for other in table.values():
                if other.name != quota.name and (other.key, other.role) == (quota.key, quota.role):
                    raise BadRequest(
                        f'quota rule with similar properties exists under the name "{other.name}"'
                    )
            return msgspec.json.encode({**table, quota.name: quota})

        await update_config(self._store, QUOTAS_RECORD, put)
        self.clear_cache()

    async def delete(self, name: str) -> None:
        def drop(blob: bytes | None) -> bytes:
            table = {} if blob is None else QUOTAS_DECODER.decode(blob)
            table.pop(name, None)
            return msgspec.json.encode(table)

        await update_config(self._store, QUOTAS_RECORD, drop)
        self.clear_cache()

    async def configure(self, config: QuotaConfig) -> None:
        await update_config(self._store, CONFIG_RECORD, _constant(msgspec.json.encode(config)))
        self.clear_cache()


def _constant(blob: bytes) -> Callable[[bytes | None], bytes]:
    return lambda _old: blob


def _headers(decision: Decision) -> Headers:
    """Vault's rate-limit headers (go-limiter's httplimit names), whole seconds truncated."""
    return (
        (b"x-ratelimit-limit", str(decision.limit).encode()),
        (b"x-ratelimit-remaining", str(decision.remaining).encode()),
        (b"x-ratelimit-reset", str(int(decision.reset)).encode()),
        (b"retry-after", str(int(decision.retry_after)).encode()),
    )
