"""Every conformance scenario, by area of the API (each module exports `SCENARIOS`)."""

from __future__ import annotations

from conformance.harness import Scenario
from conformance.scenarios import (
    approle,
    cert,
    cli,
    cubbyhole,
    identity,
    kv,
    mounts,
    pki,
    policies,
    ssh,
    sys_misc,
    tokens,
    transit,
    userpass,
)

__all__ = ["SCENARIOS"]

SCENARIOS: tuple[Scenario, ...] = tuple(
    scenario
    for module in (
        mounts,
        cubbyhole,
        identity,
        policies,
        tokens,
        kv,
        transit,
        approle,
        cert,
        userpass,
        ssh,
        pki,
        sys_misc,
        cli,
    )
    for scenario in module.SCENARIOS
)
