"""Fixtures for the layer-1 storage tests: one `backend` fixture yielding every implementation.

PostgreSQL runs against the real server (`STRONGROOM_TEST_PG_URL`, default
postgresql://postgres@127.0.0.1:5432/test), each test in a freshly named table that is dropped
afterwards. Without a server those cases skip, except under CI=true where they fail: CI must
never go green by silently not testing the HA backend.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from typing import TYPE_CHECKING

import psycopg
import pytest
from psycopg import sql

from strongroom.storage import open_backend

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    from strongroom.storage import Backend

PG_URL = os.environ.get("STRONGROOM_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


async def require_postgres() -> None:
    """Skip (or fail under CI=true) when the PostgreSQL test server cannot be reached."""
    try:
        conn = await psycopg.AsyncConnection.connect(PG_URL, connect_timeout=3)
    except psycopg.OperationalError as exc:
        reason = (
            f"PostgreSQL test server unreachable ({type(exc).__name__}); see STRONGROOM_TEST_PG_URL"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; CI=true requires it")
        pytest.skip(reason)
    await conn.close()


async def drop_table(table: str) -> None:
    async with await psycopg.AsyncConnection.connect(PG_URL, autocommit=True) as conn:
        await conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(table)))


@pytest.fixture
def pg_url() -> str:
    return PG_URL


@pytest.fixture
async def pg_table() -> AsyncIterator[str]:
    """A fresh table name on the reachable test server, dropped after the test."""
    await require_postgres()
    table = f"strongroom_test_{secrets.token_hex(6)}"
    try:
        yield table
    finally:
        await drop_table(table)


@contextlib.asynccontextmanager
async def fresh_options(kind: str, tmp_path: Path) -> AsyncIterator[dict[str, str]]:
    """`open_backend` options for a fresh store of `kind`: a file below `tmp_path`, or a new
    table on the reachable PostgreSQL test server, dropped afterwards."""
    if kind != "postgresql":
        yield {"path": str(tmp_path / "kv.db")}
        return
    await require_postgres()
    table = f"strongroom_test_{secrets.token_hex(6)}"
    try:
        yield {"connection_url": PG_URL, "table": table}
    finally:
        await drop_table(table)


@pytest.fixture(params=["inmem", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    kind: str = request.param
    async with fresh_options(kind, tmp_path) as options:
        opened = await open_backend(kind, options)
        try:
            yield opened
        finally:
            await opened.close()
