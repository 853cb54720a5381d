"""The real server with several workers, and on each durable backend: shared seal state,
mount-table changes seen by every worker, and no plaintext in the raw store."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg import sql

from support.inproc import service_missing
from support.procs import SQLITE_CONFIG, RunningServer, start_server, stop

CANARY = "canary-" + "7f3a9c" * 4
PG_URL = os.environ.get("STRONGROOM_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def fresh_get(address: str, path: str, token: str | None = None) -> httpx.Response:
    """A request on a new connection, so that successive calls spread across the workers."""
    headers = {"X-Vault-Token": token} if token else {}
    with httpx.Client(base_url=address, headers=headers) as client:
        return client.get("/v1/" + path)


def init_and_unseal(address: str) -> tuple[str, list[str]]:
    with httpx.Client(base_url=address) as client:
        body = client.put("/v1/sys/init", json={"secret_shares": 3, "secret_threshold": 2}).json()
    unseal(address, body["keys"])
    return str(body["root_token"]), body["keys"]


def unseal(address: str, keys: list[str]) -> None:
    with httpx.Client(base_url=address) as client:
        for key in keys[:2]:
            client.put("/v1/sys/unseal", json={"key": key}).raise_for_status()


def mount_canary(address: str, token: str) -> None:
    with httpx.Client(base_url=address, headers={"X-Vault-Token": token}) as client:
        resp = client.post("/v1/sys/mounts/app", json={"type": "kv", "description": CANARY})
        assert resp.status_code == 204


@pytest.mark.slow
def test_two_workers_share_seal_state_and_mounts(tmp_path: Path) -> None:
    config = SQLITE_CONFIG.replace("DBPATH", str(tmp_path / "sr.db"))
    server = start_server(tmp_path, config, workers=2)
    try:
        token, _keys = init_and_unseal(server.address)
        mount_canary(server.address, token)
        for _ in range(20):
            resp = fresh_get(server.address, "sys/mounts", token)
            assert resp.status_code == 200
            assert resp.json()["data"]["app/"]["description"] == CANARY
        with httpx.Client(base_url=server.address, headers={"X-Vault-Token": token}) as client:
            assert client.put("/v1/sys/seal").status_code == 204
        # every worker dropped its keys before the seal call returned
        for _ in range(20):
            assert fresh_get(server.address, "sys/mounts", token).status_code == 503
    finally:
        stop(server)
    raw = (tmp_path / "sr.db").read_bytes()
    assert CANARY.encode() not in raw
    assert token.encode() not in raw


@pytest.fixture
def pg_table() -> str:
    try:
        psycopg.connect(PG_URL, connect_timeout=3).close()
    except psycopg.OperationalError:
        service_missing("PostgreSQL test server unreachable (127.0.0.1:5432)")
    return f"strongroom_func_{secrets.token_hex(6)}"


@pytest.mark.slow
@pytest.mark.postgres
def test_two_postgresql_nodes_share_one_table_without_plaintext(
    tmp_path: Path, pg_table: str
) -> None:
    config = f"""
storage "postgresql" {{
  connection_url = "{PG_URL}"
  table          = "{pg_table}"
}}
listener "tcp" {{
  address     = "127.0.0.1:PORT"
  tls_disable = true
}}
"""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    node_a: RunningServer = start_server(tmp_path / "a", config, workers=2)
    node_b: RunningServer = start_server(tmp_path / "b", config, workers=1)
    try:
        token, keys = init_and_unseal(node_a.address)
        # Every node keeps its own seal state, as Vault's do: B is initialised but sealed.
        assert fresh_get(node_b.address, "sys/mounts", token).status_code == 503
        unseal(node_b.address, keys)
        assert "app/" not in fresh_get(node_b.address, "sys/mounts", token).json()["data"]
        mount_canary(node_a.address, token)
        # a stateless node sees the other's mount-table change on its next request
        assert fresh_get(node_b.address, "sys/mounts", token).json()["data"]["app/"]
    finally:
        stop(node_a)
        stop(node_b)
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        table = sql.Identifier(pg_table)
        rows = conn.execute(sql.SQL("SELECT path, value FROM {}").format(table)).fetchall()
        conn.execute(sql.SQL("DROP TABLE {}").format(table))
    assert rows
    for path, value in rows:
        assert CANARY.encode() not in bytes(value), path
        assert token.encode() not in bytes(value), path


@pytest.mark.slow
def test_revoked_token_is_refused_by_every_worker_at_once(tmp_path: Path) -> None:
    config = SQLITE_CONFIG.replace("DBPATH", str(tmp_path / "sr.db"))
    server = start_server(tmp_path, config, workers=2)
    try:
        root, _keys = init_and_unseal(server.address)
        with httpx.Client(base_url=server.address, headers={"X-Vault-Token": root}) as client:
            created = client.post("/v1/auth/token/create", json={"policies": ["root"]})
            token = created.json()["auth"]["client_token"]
            for _ in range(10):
                assert fresh_get(server.address, "sys/mounts", token).status_code == 200
            assert client.post("/v1/auth/token/revoke", json={"token": token}).status_code == 204
        # new connections spread over both workers: none may still accept the token
        for _ in range(20):
            assert fresh_get(server.address, "sys/mounts", token).status_code == 403
    finally:
        stop(server)
