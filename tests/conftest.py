"""Shared fixtures: an in-process server (core + ASGI app over in-memory storage)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from strongroom.clock import ManualClock
from strongroom.http.app import App
from support.inproc import Server, make_core


@pytest.fixture
async def fresh() -> AsyncIterator[Server]:
    """An uninitialised server."""
    clock = ManualClock()
    core = make_core(clock)
    transport = httpx.ASGITransport(app=App(core))
    async with httpx.AsyncClient(transport=transport, base_url="http://sr") as client:
        yield Server(core, client, clock, [], "")


@pytest.fixture
async def server(fresh: Server) -> Server:
    """An initialised (5 shares, threshold 3) and unsealed server."""
    resp = await fresh.call("PUT", "sys/init", {"secret_shares": 5, "secret_threshold": 3}, None)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    fresh.keys = body["keys"]
    fresh.root_token = body["root_token"]
    await fresh.unseal()
    return fresh
