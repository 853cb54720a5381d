"""Fixtures of the PKI engine: the in-process server with `pki/` mounted (max TTL 10 years)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from support.api import Api as MountApi
from support.inproc import Server


@dataclass
class Api(MountApi):
    mount: str = "pki"


@pytest.fixture
async def api(server: Server) -> Api:
    body = {"type": "pki", "config": {"max_lease_ttl": "87600h"}}
    resp = await server.call("POST", "sys/mounts/pki", body)
    assert resp.status_code == 204, resp.text
    return Api(server)
