"""Fixtures for the KV engine: mounted v1/v2 servers, and a server whose storage yields.

The in-memory backend never suspends, so concurrent requests over it would simply run one after
another; `racy` inserts a scheduling point before every read and transaction so that
`asyncio.gather` really interleaves writers between their read and their commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from support.api import YieldingBackend, running
from support.inproc import Server


async def mount(server: Server, path: str, version: str | None) -> None:
    body: dict[str, Any] = {"type": "kv"}
    if version is not None:
        body["options"] = {"version": version}
    resp = await server.call("POST", f"sys/mounts/{path}", body)
    assert resp.status_code == 204, resp.text


@pytest.fixture
async def kv2(server: Server) -> Server:
    """The initialised server with a KV v2 mount at `kv2/`."""
    await mount(server, "kv2", "2")
    return server


@pytest.fixture
async def kv1(server: Server) -> Server:
    """The initialised server with a KV v1 mount at `kv1/`."""
    await mount(server, "kv1", "1")
    return server


@pytest.fixture
async def racy() -> AsyncIterator[Server]:
    """An initialised, unsealed server over yielding storage, with KV v2 at `kv2/`."""
    async with running(YieldingBackend()) as server:
        await mount(server, "kv2", "2")
        yield server
