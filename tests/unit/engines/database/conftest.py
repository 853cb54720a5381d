"""Fixtures of the database engine: the real PostgreSQL (skipped without it, failing under
CI=true) and the in-process server with `database/` mounted and configured against it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from support.inproc import Server
from unit.engines.database.db_support import Api, Pg, connect_pg


@pytest.fixture
async def pg() -> AsyncIterator[Pg]:
    async for found in connect_pg():
        yield found


@pytest.fixture
async def api(server: Server, pg: Pg) -> AsyncIterator[Api]:
    """`database/` mounted, with connection `pg` (the postgres superuser, any role allowed)."""
    del pg  # requested for its skip and its cleanup, which must run after the pools close
    resp = await server.call("POST", "sys/mounts/database", {"type": "database"})
    assert resp.status_code == 204, resp.text
    client = Api(server)
    await client.configure()
    yield client
    await client.backend().close()


@pytest.fixture
async def mounted(server: Server) -> AsyncIterator[Server]:
    """`database/` mounted with no config (the MySQL and Redis tests configure their own);
    every engine connection this server opened is closed at the end."""
    resp = await server.call("POST", "sys/mounts/database", {"type": "database"})
    assert resp.status_code == 204, resp.text
    yield server
    for scoped in server.core.scopes():
        await scoped.mounts.close()
