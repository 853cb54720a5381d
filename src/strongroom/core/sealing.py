"""The seal lifecycle of a node: initialise once, then follow the keeper's root key (unsealed
while it has one, sealed and forgetting every derived key and cache when it drops it;
DESIGN.md invariant 2)."""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

from strongroom.core.coherence import sync_caches
from strongroom.core.mounting import install_default_mounts
from strongroom.engines.cubbyhole import cubbyhole_entry
from strongroom.engines.identity import identity_entry
from strongroom.errors import BadRequest

if TYPE_CHECKING:
    from strongroom.core.core import Core
    from strongroom.core.token.entry import IssuedToken

log = logging.getLogger("strongroom.core")
CLUSTER_RECORD = "core/cluster-id"


async def initialized(core: Core) -> bool:
    """Whether the storage holds a seal; once true it stays true (no storage read then)."""
    node = core.node
    if not node.initialized:
        node.initialized = await core.seal.config() is not None
    return node.initialized


async def start(core: Core) -> None:
    """Join the node's seal state (a worker starting after the node was unsealed)."""
    root_key = await core.keeper.root_key()
    if root_key is not None:
        await apply_root_key(core, root_key)


async def apply_root_key(core: Core, root_key: bytes | None) -> None:
    """Unseal with the keeper's `root_key`, or seal when it is None (`core` is the root's)."""
    node = core.node
    if root_key is None:
        await core.audit.close()
        for scoped in node.loaded():
            await scoped.mounts.close()
        core.barrier.seal()
        core.policies.clear_cache()
        core.tokens.forget()
        node.scopes.clear()
        core.namespaces.clear()
        node.epoch = -1
        return
    if core.barrier.sealed:
        await core.barrier.unseal(root_key)
    cluster = await core.barrier.get(CLUSTER_RECORD)
    node.cluster_id = "" if cluster is None else cluster.decode()
    await _declare_audit_devices(core)
    await sync_caches(core)
    # A store made before cubbyhole or identity existed gains them (every namespace has
    # both in Vault).
    live = [ns for ns in core.namespaces.all() if not ns.deleting]  # deleted: keyless
    for scoped in [core, *[await core.scope(ns) for ns in live]]:
        await scoped.mounts.ensure_builtin(cubbyhole_entry(core.clock.now()))
        await scoped.mounts.ensure_builtin(identity_entry(core.clock.now()))


async def _declare_audit_devices(core: Core) -> None:
    """Bring the config file's audit devices into the table (every worker may race here:
    the table's checked read-modify-write makes the outcome the same)."""
    try:
        await core.audit_table.declare(core.defaults.audit_devices)
    except BadRequest as clash:
        log.error("declared audit devices not applied: %s", clash.public)  # noqa: TRY400


async def initialize(
    core: Core, shares: int, threshold: int, root_token_id: str | None = None
) -> tuple[list[bytes], IssuedToken]:
    """Create the seal, barrier keyring, default mounts and the initial root token.

    Leaves the node sealed, as Vault does. Raises BadRequest if already initialised.
    """
    if await initialized(core):
        raise BadRequest("Vault is already initialized")
    barrier = core.barrier
    unseal_shares, root_key = await core.seal.initialize(shares, threshold)
    await barrier.initialize(root_key.reveal())
    await barrier.unseal(root_key.reveal())
    try:
        await core.tokens.store.init_salt()
        await core.policies.create_default()
        await barrier.put(CLUSTER_RECORD, str(uuid.uuid4()).encode())
        await install_default_mounts(core)
        root = await create_root_token(core, root_token_id)
    finally:
        barrier.seal()
        core.mounts.clear()
        core.tokens.forget()
    return unseal_shares, root


async def create_root_token(core: Core, token_id: str | None = None) -> IssuedToken:
    return await core.tokens.create_root(token_id)
