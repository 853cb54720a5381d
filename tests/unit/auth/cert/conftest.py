"""Fixtures for the cert method: an in-process server whose app trusts the client-chain
header as it does behind our TLS front, with `cert` mounted at `auth/cert/`, and a PKI made at
the server's clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest

from strongroom.clock import ManualClock
from strongroom.http.app import App
from support.cert_pki import make_ca, make_leaf
from support.inproc import Server, make_core
from unit.auth.cert.cert_harness import Pki


async def _initialised(server: Server) -> Server:
    resp = await server.call("PUT", "sys/init", {"secret_shares": 1, "secret_threshold": 1}, None)
    body = resp.json()
    server.keys, server.root_token = body["keys"], body["root_token"]
    resp = await server.call("PUT", "sys/unseal", {"key": server.keys[0]}, None)
    assert resp.status_code == 200, resp.text
    resp = await server.call("POST", "sys/auth/cert", {"type": "cert"})
    assert resp.status_code == 204, resp.text
    return server


@pytest.fixture
async def fronted() -> AsyncIterator[Server]:
    """An unsealed server as behind our TLS front, with `auth/cert/` mounted."""
    clock = ManualClock()
    core = make_core(clock)
    transport = httpx.ASGITransport(app=App(core, client_chain_header=True))
    async with httpx.AsyncClient(transport=transport, base_url="https://sr") as client:
        yield await _initialised(Server(core, client, clock, [], ""))


@pytest.fixture
def pki(fronted: Server) -> Pki:
    now = dt.datetime.fromtimestamp(fronted.clock.now(), dt.UTC)
    root = make_ca("root-ca", now)
    intermediate = make_ca("intermediate-ca", now, root)
    return Pki(
        now,
        root,
        intermediate,
        make_leaf(intermediate, "app.example.com", now),
        make_ca("other", now),
    )
