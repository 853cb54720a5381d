"""The node: what every namespace of a worker shares (DESIGN.md "Processes").

One barrier, seal, keeper and clock; one token store, lease manager, audit broker and quota
service (tokens and leases of every namespace live in one index, as in Vault); the namespace
registry; the configuration epoch this worker last saw and the namespace scopes it has built.
A namespace's own mounts and policies are its scope's (`core.core.Core`), never the node's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from strongroom.barrier import Barrier
from strongroom.clock import Clock
from strongroom.core.attempts import node_attempts
from strongroom.core.audit import AuditBroker
from strongroom.core.audit_table import AuditDevice, AuditTable
from strongroom.core.keeper import Keeper
from strongroom.core.leases.manager import LeaseManager
from strongroom.core.metrics import Metrics
from strongroom.core.mounts import BackendType, LeaseHolder
from strongroom.core.namespaces.registry import NamespaceRegistry
from strongroom.core.quotas import QuotaService
from strongroom.core.token.service import TokenService
from strongroom.core.view import PURGE_PAGE
from strongroom.engines.cubbyhole import CubbyholeBackend
from strongroom.seal import ShamirSeal
from strongroom.storage.interface import Backend

if TYPE_CHECKING:
    from strongroom.core.core import Core


@dataclass(frozen=True, slots=True)
class Defaults:
    """Server-wide lease defaults from the config file (seconds)."""

    default_lease_ttl: int = 768 * 3600
    max_lease_ttl: int = 768 * 3600
    storage_type: str = "inmem"
    api_address: str = ""  # Vault's api_addr: what sys/ha-status reports for this node
    audit_devices: tuple[AuditDevice, ...] = ()  # declared in the config file


class Node:
    """The services shared by the root's scope and every namespace's, and the state that
    changes under all of them (seal, cluster id, epoch, the cache of scopes)."""

    root: Core  # the root namespace's scope, set by it as it is built

    def __init__(
        self,
        *,
        physical: Backend,
        keeper: Keeper,
        clock: Clock,
        backends: Mapping[str, BackendType],
        defaults: Defaults,
    ) -> None:
        self.physical = physical
        self.keeper = keeper
        self.clock = clock
        self.defaults = defaults
        self.catalogue = backends
        self.user_types = frozenset(backends)
        self.barrier = Barrier(physical, clock)
        self.attempts = node_attempts(physical)  # AppRole log-ins being checked, node-wide
        self.seal = ShamirSeal(physical)
        self.metrics = Metrics()
        self.tokens = TokenService(self.barrier, clock, self.revoke_token_leases)
        self.leases = LeaseManager(self.barrier, clock, self._lease_holder)
        self.audit_table = AuditTable(self.barrier)
        self.audit = AuditBroker(self.audit_table, clock, self.metrics)
        self.quotas = QuotaService.for_node(self.barrier, clock, self.audit)
        self.namespaces = NamespaceRegistry(self.barrier)
        self.initialized = False  # once the storage holds a seal it always will
        self.cluster_id = ""
        self.migrations: dict[str, tuple[str, str]] = {}  # sys/remount's, by migration id
        self.epoch = -1  # the configuration epoch this worker's caches reflect
        self.scopes: dict[str, Core] = {}  # by namespace id, the root's excepted

    def loaded(self) -> list[Core]:
        """The root's scope and those of the namespaces this worker has loaded."""
        return [self.root, *self.scopes.values()]

    async def revoke_token_leases(self) -> None:
        """Revoke the leases of revoked tokens (their duty records survive a crash)."""
        while keys := await self.tokens.store.revoked(PURGE_PAGE):
            for key in keys:
                await self.leases.revoke_token_leases(key)
                await self._destroy_cubbyholes(key)
                await self.tokens.store.forget_revoked(key)

    async def _destroy_cubbyholes(self, token_key: str) -> None:
        """A token's cubbyhole goes with it, in every namespace it may have written one."""
        for scoped in self.loaded():
            for mounted in scoped.mounts.mounted():
                if isinstance(mounted.backend, CubbyholeBackend):
                    await mounted.backend.destroy(token_key)

    def _lease_holder(self, mount_uuid: str) -> LeaseHolder | None:
        for scoped in self.loaded():
            for mounted in scoped.mounts.mounted():
                if mounted.entry.uuid == mount_uuid:
                    backend = mounted.backend
                    return backend if isinstance(backend, LeaseHolder) else None
        return None
