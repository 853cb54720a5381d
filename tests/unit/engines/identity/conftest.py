"""Fixtures of the identity engine's tests: a server with an AppRole mount to alias."""

from __future__ import annotations

import pytest

from support.inproc import Server


@pytest.fixture
async def accessor(server: Server) -> str:
    """The accessor of a fresh `approle/` auth mount."""
    assert (await server.call("POST", "sys/auth/approle", {"type": "approle"})).status_code == 204
    mounts = (await server.call("GET", "sys/auth")).json()["data"]
    return str(mounts["approle/"]["accessor"])
