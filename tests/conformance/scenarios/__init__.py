"""Every conformance scenario, by area of the API (each module exports `SCENARIOS`)."""

from __future__ import annotations

from conformance.harness import Scenario
from conformance.scenarios import (
    approle,
    cli,
    cubbyhole,
    kv,
    mounts,
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
        policies,
        tokens,
        kv,
        transit,
        approle,
        userpass,
        ssh,
        sys_misc,
        cli,
    )
    for scenario in module.SCENARIOS
)
