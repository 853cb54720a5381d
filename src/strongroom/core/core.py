"""A namespace's scope: its own mounts, policies and system paths over the node's services.

`Core(...)` builds a node (`core.node`) and the root namespace's scope over it; `core.scope(ns)`
builds, once per worker, the scope of a namespace. Every scope holds the node's services as
plain attributes (`core.tokens`, `core.barrier`, ...), so handlers reach them in one hop.
What a scope does lives in modules of plain functions that take it first, which `Core` takes
as its methods: the request pipeline (`pipeline`), mounting, the seal lifecycle (`sealing`)
and cache coherence. Background work is `scheduler.tick`, called by the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from strongroom.auth.token import TokenBackend
from strongroom.clock import Clock
from strongroom.core import coherence, identity, mounting, pipeline, sealing
from strongroom.core.epoch import epoch_bump
from strongroom.core.keeper import Keeper
from strongroom.core.mount_manager import MountManager
from strongroom.core.mounts import BackendType, TableKind
from strongroom.core.namespaces.keys import TenantStore
from strongroom.core.namespaces.locate import owner
from strongroom.core.namespaces.registry import ROOT, NamespaceEntry, storage_prefix
from strongroom.core.node import Defaults, Node
from strongroom.core.policy_store import PolicyStore
from strongroom.core.system.backend import SystemBackend
from strongroom.core.system.password_policies import password_source
from strongroom.core.token.entry import TokenEntry
from strongroom.core.token.scoped import ScopedTokens
from strongroom.core.view import Store
from strongroom.engines.cubbyhole import CubbyholeBackend
from strongroom.engines.identity import IdentityBackend
from strongroom.errors import BadRequest
from strongroom.policy import ACL
from strongroom.storage.interface import Backend

__all__ = ["Core", "Defaults"]


class Core:
    """One namespace's scope. Built explicitly: the root's by `__init__`, a namespace's by
    `scope`; nothing of one namespace's is reachable from another's."""

    def __init__(
        self,
        *,
        physical: Backend,
        keeper: Keeper,
        clock: Clock,
        backends: Mapping[str, BackendType],
        defaults: Defaults | None = None,
    ) -> None:
        """A new node and the root namespace's scope over it, following the keeper's seal."""
        node = Node(
            physical=physical,
            keeper=keeper,
            clock=clock,
            backends=backends,
            defaults=defaults or Defaults(),
        )
        self._bind(node, ROOT, node.barrier)
        node.root = self
        keeper.subscribe(partial(sealing.apply_root_key, self))

    def _bind(self, node: Node, namespace: NamespaceEntry, store: Store) -> None:
        """Take the node's services and build this namespace's own over `store`."""
        self.node = node
        self.physical = node.physical
        self.keeper = node.keeper
        self.clock = node.clock
        self.defaults = node.defaults
        self.catalogue = node.catalogue
        self.user_types = node.user_types
        self.barrier = node.barrier
        self.seal = node.seal
        self.attempts = node.attempts
        self.metrics = node.metrics
        self.tokens = node.tokens
        self.leases = node.leases
        self.audit_table = node.audit_table
        self.audit = node.audit
        self.quotas = node.quotas  # node-wide: a namespace's quotas are named by path
        self.namespaces = node.namespaces
        self.namespace = namespace
        self.store = store  # a namespace's: its own keyring's TenantStore
        prefix = storage_prefix(namespace)
        self.policies = PolicyStore(store, prefix, partial(identity.resolve_entity, self))
        self.system = SystemBackend(self)
        self.mounts = _mount_manager(self, prefix)

    handle = pipeline.handle
    dispatch = pipeline.dispatch
    mount = mounting.mount
    unmount = mounting.unmount
    remount = mounting.remount
    purge = mounting.purge_below
    install_default_mounts = mounting.install_default_mounts
    initialized = sealing.initialized
    initialize = sealing.initialize
    start = sealing.start
    create_root_token = sealing.create_root_token
    sync_caches = coherence.sync_caches

    @property
    def sealed(self) -> bool:
        return self.barrier.sealed

    # -- namespaces ------------------------------------------------------------------------------

    @property
    def namespace_id(self) -> str:
        """The id tokens and leases record for this namespace ("" for the root, as before
        namespaces existed, so older tokens stay root tokens)."""
        return "" if self.namespace is ROOT else self.namespace.id

    async def scope(self, namespace: NamespaceEntry) -> Core:
        """The scope of `namespace`: its own mounts, policies and system paths over the node's
        barrier, tokens, leases and audit devices. Built once per worker, then cached."""
        node = self.node
        if namespace.id == ROOT.id:
            return node.root
        found = node.scopes.get(namespace.id)
        if found is None or found.namespace != namespace:
            found = object.__new__(Core)
            store = TenantStore(node.barrier, namespace.id, storage_prefix(namespace), node.clock)
            found._bind(node, namespace, store)
            await found.mounts.sync()
            node.scopes[namespace.id] = found
        return found

    def tenant_keys(self) -> TenantStore:
        """This namespace's own keyring (the root namespace's is the barrier's)."""
        if not isinstance(self.store, TenantStore):
            raise BadRequest("the root namespace is sealed by the barrier keyring")
        return self.store

    def scopes(self) -> list[Core]:
        """The root's scope and those of the namespaces this worker has loaded."""
        return self.node.loaded()

    async def caller_acl(self, caller: TokenEntry) -> tuple[ACL, str]:
        """`caller`'s compiled policies, and this namespace's path relative to its token's
        namespace (the prefix those policies name this namespace's paths with)."""
        home, prefix = await owner(self.node.root, caller, self)
        return await home.policies.acl(caller), prefix

    def mount_ttls(self, kind: TableKind, path: str) -> tuple[int, int]:
        """(default, max) lease TTL of a mount: its tuned values, else the system's."""
        entry = self.mounts.find(kind, path)
        default, maximum = self.defaults.default_lease_ttl, self.defaults.max_lease_ttl
        if entry is None:
            return default, maximum
        return entry.config.default_lease_ttl or default, entry.config.max_lease_ttl or maximum


def _mount_manager(core: Core, prefix: str) -> MountManager:
    """A mount table below `prefix`, whose builtin sys/ and auth/token/ serve `core`."""
    builtins = {
        "system": BackendType("mounts", lambda _ctx: core.system),
        "cubbyhole": BackendType("mounts", CubbyholeBackend),
        "identity": BackendType(
            "mounts",
            lambda ctx: IdentityBackend(
                ctx,
                namespace_id=core.namespace_id or "root",
                auth_mount=partial(identity.auth_mount, core),
                invalidation=epoch_bump,
                api_addr=core.defaults.api_address,
            ),
        ),
        "token": BackendType("auth", lambda _ctx: TokenBackend(ScopedTokens(core))),
    }
    return MountManager(
        core.store,
        core.clock,
        {**core.catalogue, **builtins},
        emit=core.audit.log_event,
        system_ttls=(core.defaults.default_lease_ttl, core.defaults.max_lease_ttl),
        passwords=password_source(core.store, prefix),
        prefix=prefix,
        attempts=core.attempts,
    )
