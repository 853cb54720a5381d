"""`open_backend`, layer 1's entry point from the config: the right backend for each kind,
and config errors that name the option key but never echo a value (URLs carry passwords).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import psycopg
import pytest

from strongroom.storage import InmemBackend, PostgresBackend, SqliteBackend, open_backend

if TYPE_CHECKING:
    from pathlib import Path

CANARY = "canary-s3cret"


async def test_inmem_and_sqlite_open(tmp_path: Path) -> None:
    inmem = await open_backend("inmem", {})
    assert isinstance(inmem, InmemBackend)
    sqlite = await open_backend("sqlite", {"path": f"{tmp_path}/kv.db", "unrelated": "x"})
    try:
        assert isinstance(sqlite, SqliteBackend)
    finally:
        await sqlite.close()


@pytest.mark.parametrize(("kind", "key"), [("sqlite", "path"), ("postgresql", "connection_url")])
async def test_a_missing_option_is_named(kind: str, key: str) -> None:
    for options in ({}, {key: ""}):
        with pytest.raises(ValueError, match=f"'{key}'"):
            await open_backend(kind, options)


async def test_an_unknown_kind_is_refused_without_echo() -> None:
    with pytest.raises(ValueError, match="kind") as caught:
        await open_backend(CANARY, {"path": "x"})
    assert CANARY not in str(caught.value)


async def test_a_bad_table_name_is_refused_without_echo() -> None:
    for table in [f"{CANARY}; DROP TABLE x", "1starts_with_digit", "x" * 64, 'quo"te']:
        with pytest.raises(ValueError, match="'table'") as caught:
            await open_backend("postgresql", {"connection_url": "postgresql://", "table": table})
        assert CANARY not in str(caught.value)


def test_the_default_table_name() -> None:
    assert PostgresBackend("postgresql://")._table == "strongroom_kv"


async def test_an_unreachable_server_fails_fast_without_the_password() -> None:
    url = f"postgresql://user:{CANARY}@127.0.0.1:1/none?connect_timeout=3"
    with pytest.raises(psycopg.OperationalError) as caught:
        await open_backend("postgresql", {"connection_url": url})
    assert CANARY not in str(caught.value)


@pytest.mark.postgres
async def test_nodes_starting_together_create_the_schema_once(pg_table: str, pg_url: str) -> None:
    nodes = await asyncio.gather(*(PostgresBackend.open(pg_url, pg_table) for _ in range(4)))
    try:
        await nodes[0].put("k", b"v")
        entry = await nodes[3].get("k")
        assert entry is not None
        assert entry.value == b"v"
    finally:
        for node in nodes:
            await node.close()
