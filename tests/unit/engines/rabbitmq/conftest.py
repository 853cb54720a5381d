"""Fixtures of the rabbitmq engine: the real broker's management API (skipped without it,
failing under CI=true) and the in-process server with `rabbitmq/` mounted and configured."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from support.inproc import Server
from support.rabbitmq import GUEST, Broker, ensure_management


@pytest.fixture
def broker() -> Iterator[Broker]:
    found = Broker(ensure_management())
    yield found
    found.cleanup()


class Api:
    """The mounted engine over the in-process server; every user it is handed is recorded in
    the broker for cleanup."""

    def __init__(self, server: Server, broker: Broker) -> None:
        self.server = server
        self.broker = broker

    async def call(self, method: str, path: str, json: Any = None) -> httpx.Response:
        return await self.server.call(method, "rabbitmq/" + path, json)

    async def ok(self, method: str, path: str, json: Any = None) -> dict[str, Any]:
        resp = await self.call(method, path, json)
        assert resp.status_code in (200, 204), resp.text
        return resp.json() if resp.status_code == 200 else {}

    async def configure(self, **extra: Any) -> httpx.Response:
        body = {
            "connection_uri": self.broker.url,
            "username": GUEST[0],
            "password": GUEST[1],
            **extra,
        }
        return await self.call("POST", "config/connection", body)

    async def creds(self, role: str) -> dict[str, Any]:
        body = await self.ok("GET", f"creds/{role}")
        self.broker.users.add(body["data"]["username"])
        return body


@pytest.fixture
async def api(server: Server, broker: Broker) -> Api:
    resp = await server.call("POST", "sys/mounts/rabbitmq", {"type": "rabbitmq"})
    assert resp.status_code == 204, resp.text
    client = Api(server, broker)
    resp = await client.configure()
    assert resp.status_code == 204, resp.text
    return client
