"""Fixtures for AppRole: its backend over the unsealed in-process server's barrier, directly."""

from __future__ import annotations

import pytest

from support.inproc import Server
from unit.auth.approle.approle_harness import Harness, YieldingStore


@pytest.fixture
def approle(server: Server) -> Harness:
    """An AppRole backend with default settings over `auth/test/` of a real barrier."""
    return Harness.over(server.core, server.clock, server.core.barrier)


@pytest.fixture
def racy(server: Server) -> Harness:
    """The same, over storage that yields before every call (for races under gather)."""
    return Harness.over(server.core, server.clock, YieldingStore(server.core.barrier))
