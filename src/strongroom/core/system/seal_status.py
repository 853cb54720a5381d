"""Raw bodies of the seal-related endpoints: sys/seal-status, sys/health, sys/leader.

These answer without a token and while sealed, so they render straight from core state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from strongroom import __version__
from strongroom.barrier.keyring import Term
from strongroom.clock import rfc3339

if TYPE_CHECKING:
    from strongroom.core.core import Core

CLUSTER_NAME = "strongroom-cluster"


async def seal_status(core: Core) -> dict[str, Any]:
    config = await core.seal.config()
    attempt = await core.keeper.attempt("unseal")
    body: dict[str, Any] = {
        "type": "shamir",
        "initialized": config is not None,
        "sealed": core.sealed,
        "t": config.secret_threshold if config else 0,
        "n": config.secret_shares if config else 0,
        "progress": len(attempt.shares) if attempt else 0,
        "nonce": attempt.nonce if attempt else "",
        "version": __version__,
        "build_date": "",
        "migration": False,
        "recovery_seal": False,
        "storage_type": core.defaults.storage_type,
    }
    if not core.sealed:
        body["cluster_name"] = CLUSTER_NAME
        body["cluster_id"] = core.node.cluster_id
    return body


# Vault's sys/health defaults: status code by state, each overridable by a query parameter.
HEALTH_CODES = {
    "activecode": 200,
    "standbycode": 429,
    "drsecondarycode": 472,
    "performancestandbycode": 473,
    "sealedcode": 503,
    "uninitcode": 501,
}


async def health(core: Core) -> tuple[str, dict[str, Any]]:
    """Which code parameter applies, and the body."""
    initialized = await core.initialized()
    state = "activecode"
    if not initialized:
        state = "uninitcode"
    elif core.sealed:
        state = "sealedcode"
    body: dict[str, Any] = {
        "initialized": initialized,
        "sealed": core.sealed,
        "standby": core.sealed,  # Vault reports a sealed node as standby
        "replication_performance_mode": "disabled",
        "replication_dr_mode": "disabled",
        "server_time_utc": int(core.clock.now()),
        "version": __version__,
    }
    if initialized and not core.sealed:
        body["cluster_name"] = CLUSTER_NAME
        body["cluster_id"] = core.node.cluster_id
    return state, body


def leader(core: Core) -> dict[str, Any]:
    del core  # a single active node until HA lands
    return {
        "ha_enabled": False,
        "is_self": False,
        "active_time": "0001-01-01T00:00:00Z",
        "leader_address": "",
        "leader_cluster_address": "",
        "performance_standby": False,
        "performance_standby_last_remote_wal": 0,
    }


def key_status(term: Term) -> dict[str, Any]:
    """Vault's sys/key-status body for the active term of a keyring."""
    return {"term": term.number, "install_time": rfc3339(term.installed), "encryptions": 0}
