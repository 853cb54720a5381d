"""Fixtures of the rabbitmq engine: the real broker's management API (skipped without it,
failing under CI=true) and the in-process server with `rabbitmq/` mounted and configured."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from support.api import Api as MountApi
from support.inproc import Server
from support.rabbitmq import GUEST, Broker, ensure_management


@pytest.fixture
def broker() -> Iterator[Broker]:
    found = Broker(ensure_management())
    yield found
    found.cleanup()


@dataclass
class Api(MountApi):
    """The shared calls, plus the rabbitmq engine's own, below `rabbitmq/`; every user it is
    handed is recorded in the broker for cleanup."""

    broker: Broker = field(kw_only=True)
    mount: str = "rabbitmq"

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
    client = Api(server, broker=broker)
    resp = await client.configure()
    assert resp.status_code == 204, resp.text
    return client
