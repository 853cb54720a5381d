"""Tokens across nodes: several Cores over one SQLite file or one PostgreSQL table.

A revocation and its invalidation commit together or not at all, and a repeated revocation
repairs one whose invalidation was lost (DESIGN.md invariant 10); each due token expires on
exactly one node (invariant 9); a renewal flushes no other node's caches, yet every node
honours the new expiry.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import sql

from strongroom.clock import ManualClock
from strongroom.core import scheduler
from strongroom.core.core import Core
from strongroom.core.epoch import EPOCH_RECORD
from strongroom.http.app import App
from strongroom.storage.factory import open_backend
from strongroom.storage.interface import Backend, Check, Entry, Op
from support.inproc import make_core, service_missing

PG_URL = os.environ.get("STRONGROOM_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
HOUR = 3600


class EpochFault:
    """A real backend whose next write of the configuration epoch fails once armed, as a
    dropped connection or a crash between two writes would."""

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.armed = False

    def _maybe_fail(self, paths: Sequence[str]) -> None:
        if self.armed and EPOCH_RECORD in paths:
            self.armed = False
            raise ConnectionResetError("connection dropped")

    async def get(self, path: str) -> Entry | None:
        return await self.inner.get(path)

    async def put(self, path: str, value: bytes) -> int:
        self._maybe_fail([path])
        return await self.inner.put(path, value)

    async def delete(self, path: str) -> None:
        await self.inner.delete(path)

    async def list(
        self, prefix: str, after: str | None = None, limit: int | None = None
    ) -> list[str]:
        return await self.inner.list(prefix, after, limit)

    async def transact(self, ops: Sequence[Op]) -> None:
        self._maybe_fail([op.path for op in ops if not isinstance(op, Check)])
        await self.inner.transact(ops)

    async def close(self) -> None:
        await self.inner.close()


@dataclass
class Node:
    core: Core
    client: httpx.AsyncClient

    async def call(self, method: str, path: str, token: str, json: Any = None) -> httpx.Response:
        headers = {"X-Vault-Token": token}
        return await self.client.request(method, "/v1/" + path, json=json, headers=headers)


@dataclass
class Cluster:
    nodes: list[Node]
    fault: EpochFault
    root: str
    clock: ManualClock

    async def create(self, **body: Any) -> str:
        resp = await self.nodes[0].call("POST", "auth/token/create", self.root, body)
        assert resp.status_code == 200, resp.text
        token: str = resp.json()["auth"]["client_token"]
        return token


async def _drop(table: str) -> None:
    async with await psycopg.AsyncConnection.connect(PG_URL, autocommit=True) as conn:
        await conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(table)))


@pytest.fixture(params=["sqlite", "postgresql"])
async def storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[dict[str, str]]:
    """The options of one shared storage every node of a test opens on its own."""
    if request.param == "sqlite":
        yield {"kind": "sqlite", "path": str(tmp_path / "sr.db")}
        return
    try:
        conn = await psycopg.AsyncConnection.connect(PG_URL, connect_timeout=3)
    except psycopg.OperationalError:
        service_missing("PostgreSQL test server unreachable; see STRONGROOM_TEST_PG_URL")
    await conn.close()
    table = f"strongroom_test_{secrets.token_hex(6)}"
    yield {"kind": "postgresql", "connection_url": PG_URL, "table": table}
    await _drop(table)


async def _open(storage: dict[str, str]) -> Backend:
    options = {k: v for k, v in storage.items() if k != "kind"}
    return await open_backend(storage["kind"], options)


async def _start(core: Core, key: bytes) -> Node:
    await core.start()
    await core.keeper.publish((await core.seal.open(key)).reveal())
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=App(core)), base_url="http://sr")
    return Node(core, client)


async def _cluster(storage: dict[str, str], size: int) -> Cluster:
    clock = ManualClock()
    fault = EpochFault(await _open(storage))
    first = make_core(clock, physical=fault)
    await first.start()
    keys, root = await first.initialize(1, 1)
    nodes = [await _start(first, keys[0])]
    nodes += [
        await _start(make_core(clock, physical=await _open(storage)), keys[0])
        for _ in range(size - 1)
    ]
    return Cluster(nodes, fault, root.token, clock)


@pytest.fixture
async def cluster(storage: dict[str, str]) -> AsyncIterator[Cluster]:
    made = await _cluster(storage, 3)
    yield made
    for node in made.nodes:
        await node.client.aclose()
        await node.core.physical.close()


async def _works_on(node: Node, token: str) -> bool:
    return (await node.call("GET", "auth/token/lookup-self", token)).status_code == 200


async def test_a_revocation_whose_invalidation_fails_is_undone_whole(cluster: Cluster) -> None:
    first, second, _third = cluster.nodes
    token = await cluster.create(policies=["default"])
    assert await _works_on(second, token)  # the second node now caches the entry
    cluster.fault.armed = True
    failed = await first.call("POST", "auth/token/revoke", cluster.root, {"token": token})
    assert failed.status_code == 500
    # Nothing half-done: the token is still stored, so every node still honours it.
    key = await first.core.tokens.store.key_of(token)
    assert await first.core.tokens.store.by_key(key) is not None
    assert await _works_on(second, token)
    retried = await first.call("POST", "auth/token/revoke", cluster.root, {"token": token})
    assert retried.status_code == 204
    assert not await _works_on(second, token)
    assert not await _works_on(first, token)


async def test_a_repeated_revoke_repairs_a_lost_invalidation(cluster: Cluster) -> None:
    first, second, third = cluster.nodes
    token = await cluster.create(policies=["default"])
    assert await _works_on(second, token)
    assert await _works_on(third, token)
    # The state a revocation from before the fix left when its second write failed: the row
    # is gone, the epoch never moved, and other nodes still hold the entry.
    key = await first.core.tokens.store.key_of(token)
    await first.core.tokens.view.delete(f"id/{key}")
    assert await _works_on(second, token)
    retried = await first.call("POST", "auth/token/revoke", cluster.root, {"token": token})
    assert retried.status_code == 204
    assert not await _works_on(second, token)
    assert not await _works_on(third, token)


async def test_each_due_token_expires_on_exactly_one_node(cluster: Cluster) -> None:
    count = 60
    tokens = [await cluster.create(policies=["default"], ttl="10s") for _ in range(count)]
    cluster.clock.advance(11)
    expired = await asyncio.gather(*(n.core.tokens.expire_due() for n in cluster.nodes))
    assert sum(expired) == count, expired
    for token in tokens[:5]:
        assert not await _works_on(cluster.nodes[1], token)
    left = await cluster.nodes[0].core.tokens.view.list("id/")
    assert len(left) == 1  # the root token


async def test_expiry_claims_each_child_once_while_its_parent_goes(cluster: Cluster) -> None:
    parent = await cluster.create(policies=["root"], ttl="10s")
    first = cluster.nodes[0]
    for _ in range(30):
        resp = await first.call("POST", "auth/token/create", parent, {"ttl": "5s"})
        assert resp.status_code == 200, resp.text
    cluster.clock.advance(11)
    expired = await asyncio.gather(*(n.core.tokens.expire_due() for n in cluster.nodes))
    assert sum(expired) == 31, expired


async def test_a_renewal_moves_no_epoch_yet_every_node_sees_it(cluster: Cluster) -> None:
    first, second, _third = cluster.nodes
    token = await cluster.create(policies=["default"], ttl="1h", explicit_max_ttl="10h")
    assert await _works_on(second, token)
    epoch = await first.core.barrier.version(EPOCH_RECORD)
    renewed = await first.call("POST", "auth/token/renew-self", token, {"increment": "3h"})
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["auth"]["lease_duration"] == 3 * HOUR
    assert await first.core.barrier.version(EPOCH_RECORD) == epoch  # no cache was flushed
    cluster.clock.advance(2)  # within a second, every node reads the renewed entry
    lookup = await second.call("GET", "auth/token/lookup-self", token)
    assert lookup.json()["data"]["ttl"] == 3 * HOUR - 2
    cluster.clock.advance(HOUR)  # past the expiry the second node had cached
    assert await _works_on(second, token)


async def test_a_renewal_that_shortens_a_life_reaches_every_node(cluster: Cluster) -> None:
    first, second, _third = cluster.nodes
    token = await cluster.create(policies=["default"], ttl="1h")
    assert await _works_on(second, token)
    renewed = await first.call("POST", "auth/token/renew-self", token, {"increment": "60s"})
    assert renewed.json()["auth"]["lease_duration"] == 60
    cluster.clock.advance(61)
    assert not await _works_on(second, token)


async def test_every_node_ticking_audits_each_expiry_once(cluster: Cluster) -> None:
    lines: list[bytes] = []
    peers: list[asyncio.StreamWriter] = []

    async def collect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peers.append(writer)
        while line := await reader.readline():
            lines.append(line)

    collector = await asyncio.start_server(collect, "127.0.0.1", 0)
    address = f"127.0.0.1:{collector.sockets[0].getsockname()[1]}"
    device = {"type": "socket", "options": {"address": address}}
    first = cluster.nodes[0]
    assert (await first.call("PUT", "sys/audit/net", cluster.root, device)).status_code == 204
    count = 40
    for _ in range(count):
        await cluster.create(policies=["default"], ttl="10s")
    cluster.clock.advance(11)
    await asyncio.gather(*(scheduler.tick(node.core) for node in cluster.nodes))
    for node in cluster.nodes:
        await node.core.audit.close()
    await asyncio.sleep(0.05)  # the collector reads what the sinks flushed
    collector.close()
    for peer in peers:
        peer.close()
    await collector.wait_closed()
    events = [json.loads(line) for line in lines]
    expired = [e["event"]["data"]["count"] for e in events if _kind(e) == "tokens-expired"]
    assert sum(expired) == count, expired


def _kind(entry: dict[str, Any]) -> str:
    event = entry.get("event")
    return event.get("kind", "") if isinstance(event, dict) else ""
