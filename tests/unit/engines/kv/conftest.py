"""Fixtures for the KV engine: mounted v1/v2 servers, and a server whose storage yields.

The in-memory backend never suspends, so concurrent requests over it would simply run one after
another; `racy` inserts a scheduling point before every read and transaction so that
`asyncio.gather` really interleaves writers between their read and their commit.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import httpx
import pytest

from strongroom.clock import ManualClock
from strongroom.core.core import Core
from strongroom.core.keeper import LocalKeeper
from strongroom.engines.registry import catalogue
from strongroom.http.app import App
from strongroom.storage.inmem import InmemBackend
from strongroom.storage.interface import Entry, Op
from support.inproc import Server


class YieldingBackend(InmemBackend):
    """In-memory storage that lets other tasks run before each read and each commit."""

    async def get(self, path: str) -> Entry | None:
        await asyncio.sleep(0)
        return await super().get(path)

    async def transact(self, ops: Sequence[Op]) -> None:
        await asyncio.sleep(0)
        await super().transact(ops)


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
    clock = ManualClock()
    core = Core(physical=YieldingBackend(), keeper=LocalKeeper(), clock=clock, backends=catalogue())
    transport = httpx.ASGITransport(app=App(core))
    async with httpx.AsyncClient(transport=transport, base_url="http://sr") as client:
        server = Server(core, client, clock, [], "")
        resp = await server.call("PUT", "sys/init", {"secret_shares": 1, "secret_threshold": 1})
        body = resp.json()
        server.keys, server.root_token = body["keys"], body["root_token"]
        await server.call("PUT", "sys/unseal", {"key": server.keys[0]}, token=None)
        await mount(server, "kv2", "2")
        yield server
