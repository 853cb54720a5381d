"""The core: seal state, the request pipeline and the objects every request passes through.

    sealed? → authenticate → ACL → audit request → route to mount → audit response

(DESIGN.md "The request, end to end"). A few system paths answer without a token and while
sealed (health, seal status, init, unseal, leader, rekey, generate-root), exactly as in Vault.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

import msgspec

from strongroom.barrier import Barrier
from strongroom.clock import Clock
from strongroom.core import wrapping
from strongroom.core.acl import authorize
from strongroom.core.audit import AuditBroker
from strongroom.core.audit_table import AuditDevice, AuditTable
from strongroom.core.epoch import EPOCH_RECORD
from strongroom.core.keeper import Keeper
from strongroom.core.leases.manager import LeaseManager
from strongroom.core.metrics import Metrics
from strongroom.core.mount_manager import MountManager, full_path, normalise
from strongroom.core.mounts import (
    BackendType,
    LeaseHolder,
    MountConfig,
    Mounted,
    MountEntry,
    TableKind,
    new_entry,
)
from strongroom.core.namespaces import lifecycle
from strongroom.core.namespaces.keys import TenantStore
from strongroom.core.namespaces.locate import locate, masked, open_answer, owner
from strongroom.core.namespaces.registry import (
    ROOT,
    NamespaceEntry,
    NamespaceRegistry,
    storage_prefix,
)
from strongroom.core.policy_store import PolicyStore
from strongroom.core.quotas import QuotaService
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.token.entry import IssuedToken, TokenEntry
from strongroom.core.token.issue import auth_block
from strongroom.core.token.service import TokenService
from strongroom.core.view import PURGE_PAGE, Store, View, purge
from strongroom.engines.cubbyhole import CubbyholeBackend, cubbyhole_entry
from strongroom.errors import BadRequest, NotFound, PermissionDenied, Sealed, StrongroomError
from strongroom.policy import ACL
from strongroom.seal import ShamirSeal
from strongroom.storage.interface import Backend

log = logging.getLogger("strongroom.core")
CLUSTER_RECORD = "core/cluster-id"


@dataclass(frozen=True, slots=True)
class Defaults:
    """Server-wide lease defaults from the config file (seconds)."""

    default_lease_ttl: int = 768 * 3600
    max_lease_ttl: int = 768 * 3600
    storage_type: str = "inmem"
    api_address: str = ""  # Vault's api_addr: what sys/ha-status reports for this node
    audit_devices: tuple[AuditDevice, ...] = ()  # declared in the config file


class Core:
    def __init__(
        self,
        *,
        physical: Backend,
        keeper: Keeper,
        clock: Clock,
        backends: Mapping[str, BackendType],
        defaults: Defaults | None = None,
    ) -> None:
        from strongroom.core.system.backend import SystemBackend  # noqa: PLC0415 - cycle

        self.physical = physical
        self.keeper = keeper
        self.clock = clock
        self.defaults = defaults or Defaults()
        self.barrier = Barrier(physical, clock)
        self.seal = ShamirSeal(physical)
        self.metrics = Metrics()
        self.tokens = TokenService(self.barrier, clock, self.revoke_token_leases)
        self.leases = LeaseManager(self.barrier, clock, self._lease_holder)
        self.policies = PolicyStore(self.barrier)
        self._initialized = False
        self.audit_table = AuditTable(self.barrier)
        self.audit = AuditBroker(self.audit_table, clock, self.metrics)
        self.quotas = QuotaService.for_node(self.barrier, clock, self.audit)  # node-wide
        self.namespace = ROOT
        self.store: Store = self.barrier  # a namespace's Core: its own keyring's TenantStore
        self.namespaces = NamespaceRegistry(self.barrier)
        self._node = _Node(self)  # shared by the root's Core and every namespace's
        self.system = SystemBackend(self)
        self.user_types = frozenset(backends)
        self.catalogue = backends
        self.cluster_id = ""
        self.migrations: dict[str, tuple[str, str]] = {}
        self.mounts = _mount_manager(self, "")
        keeper.subscribe(self._apply_root_key)

    # -- namespaces ------------------------------------------------------------------------------

    @property
    def namespace_id(self) -> str:
        """The id tokens and leases record for this namespace ("" for the root, as before
        namespaces existed, so older tokens stay root tokens)."""
        return "" if self.namespace is ROOT else self.namespace.id

    async def scope(self, namespace: NamespaceEntry) -> Core:
        """The Core of `namespace`: its own mounts, policies and system paths over the node's
        barrier, tokens, leases and audit devices. Built once per worker, then cached."""
        node = self._node
        if namespace.id == ROOT.id:
            return node.root
        found = node.scopes.get(namespace.id)
        if found is None or found.namespace != namespace:
            from strongroom.core.system.backend import SystemBackend  # noqa: PLC0415 - cycle

            found = copy.copy(node.root)
            found.namespace = namespace
            prefix = storage_prefix(namespace)
            found.store = TenantStore(self.barrier, namespace.id, prefix, self.clock)
            found.policies = PolicyStore(found.store, prefix)
            found.system = SystemBackend(found)
            found.mounts = _mount_manager(found, prefix)
            await found.mounts.sync()
            node.scopes[namespace.id] = found
        return found

    def tenant_keys(self) -> TenantStore:
        """This namespace's own keyring (the root namespace's is the barrier's)."""
        if not isinstance(self.store, TenantStore):
            raise BadRequest("the root namespace is sealed by the barrier keyring")
        return self.store

    def scopes(self) -> list[Core]:
        """The root's Core and those of the namespaces this worker has loaded."""
        return [self._node.root, *self._node.scopes.values()]

    # -- seal state ---------------------------------------------------------------------------

    @property
    def sealed(self) -> bool:
        return self.barrier.sealed

    async def initialized(self) -> bool:
        """Whether the storage holds a seal; once true it stays true (no storage read then)."""
        if not self._initialized:
            self._initialized = await self.seal.config() is not None
        return self._initialized

    async def start(self) -> None:
        """Join the node's seal state (a worker starting after the node was unsealed)."""
        root_key = await self.keeper.root_key()
        if root_key is not None:
            await self._apply_root_key(root_key)

    async def _apply_root_key(self, root_key: bytes | None) -> None:
        if root_key is None:
            await self.audit.close()
            for scoped in self.scopes():
                await scoped.mounts.close()
            self.barrier.seal()
            self.policies.clear_cache()
            self.tokens.forget()
            self._node.scopes.clear()
            self.namespaces.clear()
            self._node.epoch = -1
            return
        if self.barrier.sealed:
            await self.barrier.unseal(root_key)
        cluster = await self.barrier.get(CLUSTER_RECORD)
        self.cluster_id = "" if cluster is None else cluster.decode()
        await self._declare_audit_devices()
        await self.sync_caches()
        # A store made before cubbyhole existed gains it (every namespace has one in Vault).
        live = [ns for ns in self.namespaces.all() if not ns.deleting]  # deleted: keyless
        for scoped in [self, *[await self.scope(ns) for ns in live]]:
            await scoped.mounts.ensure_builtin(cubbyhole_entry(self.clock.now()))

    async def _declare_audit_devices(self) -> None:
        """Bring the config file's audit devices into the table (every worker may race here:
        the table's checked read-modify-write makes the outcome the same)."""
        try:
            await self.audit_table.declare(self.defaults.audit_devices)
        except BadRequest as clash:
            log.error("declared audit devices not applied: %s", clash.public)  # noqa: TRY400

    async def initialize(
        self, shares: int, threshold: int, root_token_id: str | None = None
    ) -> tuple[list[bytes], IssuedToken]:
        """Create the seal, barrier keyring, default mounts and the initial root token.

        Leaves the node sealed, as Vault does. Raises BadRequest if already initialised.
        """
        if await self.initialized():
            raise BadRequest("Vault is already initialized")
        unseal_shares, root_key = await self.seal.initialize(shares, threshold)
        await self.barrier.initialize(root_key.reveal())
        await self.barrier.unseal(root_key.reveal())
        try:
            await self.tokens.store.init_salt()
            await self.policies.create_default()
            await self.barrier.put(CLUSTER_RECORD, str(uuid.uuid4()).encode())
            await self.install_default_mounts()
            root = await self.create_root_token(root_token_id)
        finally:
            self.barrier.seal()
            self.mounts.clear()
            self.tokens.forget()
        return unseal_shares, root

    async def install_default_mounts(self) -> None:
        """The `sys/`, `cubbyhole/` and `auth/token/` mounts every namespace starts with."""
        now = self.clock.now()
        sys_entry = new_entry(
            path="sys/",
            type_="system",
            description="system endpoints used for control, policy and debugging",
            now=now,
        )
        token_entry = new_entry(
            path="token/", type_="token", description="token based credentials", now=now
        )
        await self.mounts.change("mounts", lambda t: (*t, sys_entry))
        await self.mounts.ensure_builtin(cubbyhole_entry(now))
        await self.mounts.change("auth", lambda t: (*t, token_entry))

    async def create_root_token(self, token_id: str | None = None) -> IssuedToken:
        return await self.tokens.create_root(token_id)

    def mount_ttls(self, kind: TableKind, path: str) -> tuple[int, int]:
        """(default, max) lease TTL of a mount: its tuned values, else the system's."""
        entry = self.mounts.find(kind, path)
        default, maximum = self.defaults.default_lease_ttl, self.defaults.max_lease_ttl
        if entry is None:
            return default, maximum
        return entry.config.default_lease_ttl or default, entry.config.max_lease_ttl or maximum

    # -- mounting ------------------------------------------------------------------------------

    async def mount(
        self,
        kind: TableKind,
        path: str,
        type_: str,
        *,
        description: str = "",
        config: MountConfig | None = None,
        options: dict[str, str] | None = None,
        local: bool = False,
        seal_wrap: bool = False,
    ) -> None:
        if type_ not in self.user_types:
            self.mounts.backend_type(type_, kind)  # raises the catalogue error
            raise BadRequest(f"cannot mount a {type_} backend")
        self.mounts.backend_type(type_, kind)
        first = normalise(path).split("/", 1)[0] + "/"
        if kind == "mounts" and any(
            child.path == self.namespace.path + first
            for child in self.namespaces.children(self.namespace)
        ):
            raise BadRequest(f'"{first}" is a child namespace of this namespace')
        entry = new_entry(
            path=path,
            type_=type_,
            description=description,
            config=config,
            options=options,
            local=local,
            seal_wrap=seal_wrap,
            now=self.clock.now(),
        )
        await self.mounts.change(kind, lambda t: _add(t, entry, kind))

    async def unmount(self, kind: TableKind, path: str) -> None:
        """Remove a mount and every value it stored. Builtin mounts cannot be removed."""
        entry = self.mounts.find(kind, path)
        if entry is None:
            return  # Vault answers 204 for a path that is not mounted
        if entry.type not in self.user_types:
            raise BadRequest(f'cannot unmount "{path}"')
        # Vault revokes a mount's leases before it goes, and keeps the mount if that fails.
        await self.leases.revoke_prefix(self.namespace.path + full_path(entry, kind))
        await self.mounts.change(kind, lambda t: tuple(e for e in t if e.path != entry.path))
        await self.purge(storage_prefix(self.namespace) + entry.storage_prefix(kind))

    async def purge(self, prefix: str) -> None:
        """Delete everything below `prefix`, a page at a time (a mount may hold millions)."""
        await purge(View(self.barrier, prefix))

    async def remount(self, source: str, target: str) -> None:
        """Move a secrets mount to a new path; its storage (keyed by uuid) stays where it is."""
        source, target = normalise(source), normalise(target)
        entry = self.mounts.find("mounts", source)
        if entry is None or entry.type not in self.user_types:
            raise BadRequest(f'cannot find mount at "{source}"')
        moved = msgspec.structs.replace(entry, path=target)

        def mutate(table: tuple[MountEntry, ...]) -> tuple[MountEntry, ...]:
            others = tuple(e for e in table if e.path != source)
            return _add(others, moved, "mounts")

        await self.mounts.change("mounts", mutate)

    async def sync_caches(self) -> None:
        """Drop this worker's configuration caches if any worker or node changed them."""
        node = self._node
        epoch = await self.barrier.version(EPOCH_RECORD)
        if epoch != node.epoch:
            self.tokens.clear_cache()
            self.quotas.clear_cache()
            await self.audit.reload()
            await self.namespaces.sync()
            for namespace_id, scoped in list(node.scopes.items()):
                found = self.namespaces.by_id(namespace_id)
                if found is None or found.deleting:
                    del node.scopes[namespace_id]
                    await scoped.mounts.close()  # its engines' pools hold the tenant's creds
                else:
                    scoped.namespace = found  # its metadata may have changed
            for scoped in self.scopes():
                scoped.policies.clear_cache()
                await scoped.mounts.sync()
            node.epoch = epoch

    # -- background work ---------------------------------------------------------------------------

    async def tick(self) -> None:
        """One round of background work: expire due tokens, then each backend's own `tick`
        (scheduled key rotation, version cleanup). Idempotent, so every worker may run it;
        does nothing while sealed."""
        if self.barrier.sealed:
            return
        await self.sync_caches()
        expired = await self.tokens.expire_due()
        if expired:
            await self.audit.log_event("tokens-expired", {"count": expired})
        namespaces = [ns for ns in self.namespaces.all() if not ns.deleting]
        scopes = [await self.scope(ns) for ns in namespaces]  # every lease's engine, loaded
        await self.revoke_token_leases()
        leases = await self.leases.expire_due()
        if leases:
            await self.audit.log_event("leases-expired", {"count": leases})
        await wrapping.tidy(self)
        await self.audit.checkpoint()
        for namespace in self.namespaces.all():
            if namespace.deleting:
                await lifecycle.purge_step(self, namespace)
        for scoped in scopes:
            for mounted in scoped.mounts.mounted():
                tick = getattr(mounted.backend, "tick", None)
                if tick is not None:
                    await tick()

    async def revoke_token_leases(self) -> None:
        """Revoke the leases of revoked tokens (their duty records survive a crash)."""
        while keys := await self.tokens.store.revoked(PURGE_PAGE):
            for key in keys:
                await self.leases.revoke_token_leases(key)
                await self._destroy_cubbyholes(key)
                await self.tokens.store.forget_revoked(key)

    async def _destroy_cubbyholes(self, token_key: str) -> None:
        """A token's cubbyhole goes with it, in every namespace it may have written one."""
        for scoped in self.scopes():
            for mounted in scoped.mounts.mounted():
                if isinstance(mounted.backend, CubbyholeBackend):
                    await mounted.backend.destroy(token_key)

    def _lease_holder(self, mount_uuid: str) -> LeaseHolder | None:
        for scoped in self.scopes():
            for mounted in scoped.mounts.mounted():
                if mounted.entry.uuid == mount_uuid:
                    backend = mounted.backend
                    return backend if isinstance(backend, LeaseHolder) else None
        return None

    # -- the request pipeline --------------------------------------------------------------------

    async def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        mount_label = "sys/"
        status = 500
        try:
            response, mount_label = await self._handle(request)
            status = response.status
        except Exception as exc:
            status = getattr(exc, "status", 500)
            raise
        finally:
            self.metrics.observe(mount_label, status, time.perf_counter() - started)
        return response

    async def _handle(self, request: Request) -> tuple[Response, str]:
        if not request.namespace:
            unauthenticated = self.system.open_handler(request)
            if unauthenticated is not None:
                return await unauthenticated, "sys/"
        if self.barrier.sealed:
            raise Sealed
        await self.sync_caches()
        core, request = await locate(self, request)
        if core is not self:
            unauthenticated = core.system.open_handler(request)
            if unauthenticated is not None:
                return await open_answer(self, request, core, unauthenticated), "sys/"
        await self.quotas.check(request, core.mounts)  # 429 before authentication, as Vault
        wrap_ttl = wrapping.requested_ttl(request.headers)  # refused before anything happens
        routed = core.mounts.route(request.path)
        mounted = None if routed is None else routed[0]
        caller: TokenEntry | None = None
        if routed is None or not _open_path(routed[0].backend.unauthenticated, routed[1]):
            try:
                caller = await self.tokens.authenticate(request)
                owner_core, prefix = await owner(self, caller, core)
                backend, rest = (None, "") if routed is None else (routed[0].backend, routed[1])
                sudo = await authorize(
                    owner_core, caller, request, backend, rest, wrap_ttl, prefix=prefix
                )
            except PermissionDenied as denied:
                await self.audit.log_request(request, caller, mounted)
                await self.audit.log_response(request, caller, mounted, None, denied.public)
                raise
            request = request.with_caller(caller, sudo=sudo)
        await self.audit.log_request(request, caller, mounted)
        try:
            response = await core.dispatch(request, routed, wrap_ttl)
        except StrongroomError as failed:
            await self.audit.log_response(request, caller, mounted, None, failed.public)
            if caller is None:  # a path needing no token: in a namespace, maybe the 403
                raise await masked(self, request, core, failed) from None
            raise
        await self.audit.log_response(request, caller, mounted, response)
        return response, "" if mounted is None else mounted.full_path

    async def caller_acl(self, caller: TokenEntry) -> tuple[ACL, str]:
        """`caller`'s compiled policies, and this namespace's path relative to its token's
        namespace (the prefix those policies name this namespace's paths with)."""
        home, prefix = await owner(self._node.root, caller, self)
        return await home.policies.acl(caller), prefix

    async def dispatch(
        self, request: Request, routed: tuple[Mounted, str] | None, wrap_ttl: int | None
    ) -> Response:
        """Serve an authorised request in this namespace (login completion, leases, wrapping)."""
        if routed is None:
            raise NotFound(f'no handler for route "{request.path}". route entry not found.')
        mounted, rest = routed
        response = await mounted.backend.handle(request, rest)
        if response is NO_CONTENT:  # shared by every request: a 204 carries no mount type anyway
            return response
        response.mount_type = mounted.entry.type
        if response.secret is not None:
            await self._grant_lease(request, mounted, rest, response)
        if response.login is not None:
            response = await self._complete_login(response, mounted)
        if wrap_ttl is not None and not response.empty:
            response = await wrapping.wrap(self, response, wrap_ttl, request.path)
        return response

    async def _grant_lease(
        self, request: Request, mounted: Mounted, rest: str, response: Response
    ) -> None:
        """Turn an engine's LeaseRequest into a stored lease and Vault's lease fields."""
        assert response.secret is not None  # noqa: S101 - checked by the caller
        caller = request.caller
        # A batch token has no key to index by: its non-orphan leases go with its parent.
        token_key = "" if caller is None else caller.key or caller.parent
        try:
            entry = await self.leases.grant(
                self.namespace.path + mounted.full_path + rest,
                mounted.entry.uuid,
                response.secret,
                token_key,
                self.mount_ttls(mounted.kind, mounted.entry.path),
                None if caller is None else caller.expire_time,
            )
        except Exception:
            # No lease, so nothing would ever revoke what the engine just created (Vault's
            # Register does the same): take it back now, then fail the request.
            if isinstance(mounted.backend, LeaseHolder):
                with contextlib.suppress(Exception):
                    await mounted.backend.revoke_lease(response.secret.internal)
            raise
        response.secret = None
        response.lease_id = entry.lease_id.removeprefix(self.namespace.path)
        response.lease_duration = entry.ttl
        response.renewable = entry.renewable

    async def _complete_login(self, response: Response, mounted: Mounted) -> Response:
        """Mint the token an auth method's log-in earned and render Vault's `auth` block."""
        assert response.login is not None  # noqa: S101 - checked by the caller
        ttls = self.mount_ttls("auth", mounted.entry.path)
        issued = await self.tokens.from_login(self, response.login, mounted.entry.path, ttls)
        response.auth = auth_block(issued)
        response.login = None
        return response


class _Node:
    """What the root's Core and every namespace's Core share that changes: the configuration
    epoch this worker last saw, and the namespace Cores it has built."""

    def __init__(self, root: Core) -> None:
        self.root = root
        self.epoch = -1
        self.scopes: dict[str, Core] = {}


def _mount_manager(core: Core, prefix: str) -> MountManager:
    """A mount table below `prefix`, whose builtin sys/ and auth/token/ serve `core`."""
    from strongroom.core.system.password_policies import password_source  # noqa: PLC0415 - cycle
    from strongroom.core.token.paths import TokenBackend  # noqa: PLC0415 - cycle

    builtins = {
        "system": BackendType("mounts", lambda _ctx: core.system),
        "cubbyhole": BackendType("mounts", CubbyholeBackend),
        "token": BackendType("auth", lambda _ctx: TokenBackend(core)),
    }
    return MountManager(
        core.store,
        core.clock,
        {**core.catalogue, **builtins},
        emit=core.audit.log_event,
        system_ttls=(core.defaults.default_lease_ttl, core.defaults.max_lease_ttl),
        passwords=password_source(core.store, prefix),
        prefix=prefix,
    )


def _open_path(patterns: frozenset[str], path: str) -> bool:
    """Whether `path` is one of a backend's unauthenticated paths (trailing `*` = prefix)."""
    return any(path.startswith(p[:-1]) if p.endswith("*") else path == p for p in patterns)


_RESERVED = ("sys/", "auth/", "cubbyhole/", "identity/")


def _add(
    table: tuple[MountEntry, ...], entry: MountEntry, kind: TableKind
) -> tuple[MountEntry, ...]:
    """`table` plus `entry`; raises BadRequest on a clash, as Vault's mount path checks do."""
    if kind == "mounts" and entry.path.startswith(_RESERVED):
        raise BadRequest(f"cannot mount to a reserved path: {entry.path}")
    for existing in table:
        if existing.path == entry.path:
            raise BadRequest(f"path is already in use at {entry.path}")
        if entry.path.startswith(existing.path) or existing.path.startswith(entry.path):
            raise BadRequest(f"existing mount at {existing.path}")
    return (*table, entry)
