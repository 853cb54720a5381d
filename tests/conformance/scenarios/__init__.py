"""Every conformance scenario, by area of the API (each module exports `SCENARIOS`)."""

from __future__ import annotations

from conformance.harness import Scenario
from conformance.scenarios import (
    approle,
    cert,
    cli,
    cubbyhole,
    kv,
    mounts,
    policies,
    sys_misc,
    tokens,
    transit,
)

__all__ = ["SCENARIOS"]

SCENARIOS: tuple[Scenario, ...] = tuple(
    scenario
    for module in (mounts, cubbyhole, policies, tokens, kv, transit, approle, cert, sys_misc, cli)
    for scenario in module.SCENARIOS
)
