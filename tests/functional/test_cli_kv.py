"""`strongroom kv ...` and the generic read/write/list/delete against the real server."""

from __future__ import annotations

import json
import os
import subprocess

import httpx
import pytest

from support.procs import BIN, RunningServer


def _unsealed(server: RunningServer) -> str:
    init = httpx.put(
        f"{server.address}/v1/sys/init", json={"secret_shares": 1, "secret_threshold": 1}
    ).json()
    httpx.put(f"{server.address}/v1/sys/unseal", json={"key": init["keys_base64"][0]})
    root = str(init["root_token"])
    headers = {"X-Vault-Token": root}
    for path, options in (("secret", {"version": "2"}), ("old", {})):
        body = {"type": "kv", "options": options}
        response = httpx.post(f"{server.address}/v1/sys/mounts/{path}", json=body, headers=headers)
        assert response.status_code < 300, response.text
    return root


@pytest.mark.slow
def test_kv_and_generic_commands(sqlite_server: RunningServer) -> None:
    root = _unsealed(sqlite_server)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULT_", "STRONGROOM_"))}
    env |= {"STRONGROOM_ADDR": sqlite_server.address, "VAULT_TOKEN": root}

    def cli(*args: str, stdin: str | None = None, code: int = 0) -> str:
        done = subprocess.run(
            [str(BIN), *args], input=stdin, capture_output=True, text=True, env=env, check=False
        )
        assert done.returncode == code, (args, done.stdout, done.stderr)
        assert root not in done.stdout + done.stderr
        return done.stdout

    cli("kv", "put", "secret/app/db", "user=app", "password=one")
    cli(
        "kv",
        "put",
        "-mount=secret",
        "-cas=1",
        "app/db",
        "-",
        stdin='{"user": "app", "password": "two"}',
    )
    cli("kv", "put", "-cas=1", "secret/app/db", "password=stale", code=2)
    assert cli("kv", "get", "-field=password", "secret/app/db") == "two"
    assert cli("kv", "get", "-mount=secret", "-version=1", "-field=password", "app/db") == "one"
    cli("kv", "patch", "secret/app/db", "password=three")
    got = json.loads(cli("kv", "get", "-format=json", "secret/app/db"))
    assert got["data"]["data"] == {"user": "app", "password": "three"}
    assert got["data"]["metadata"]["version"] == 3
    assert "====== Data ======" in cli("kv", "get", "secret/app/db")
    assert json.loads(cli("kv", "list", "-format=json", "secret/app")) == ["db"]

    cli("kv", "delete", "secret/app/db")
    deleted = cli("kv", "get", "secret/app/db")  # as Vault: metadata only, exit 0
    assert "deletion_time" in deleted
    assert "Data" not in deleted
    cli("kv", "undelete", "-versions=3", "secret/app/db")
    assert cli("kv", "get", "-field=password", "secret/app/db") == "three"
    cli("kv", "destroy", "-versions=1", "secret/app/db")
    cli("kv", "metadata", "put", "-max-versions=7", "-custom-metadata=owner=ops", "secret/app/db")
    meta = json.loads(cli("kv", "metadata", "get", "-format=json", "secret/app/db"))["data"]
    assert meta["max_versions"] == 7
    assert meta["custom_metadata"] == {"owner": "ops"}
    assert meta["versions"]["1"]["destroyed"] is True
    cli("kv", "metadata", "delete", "secret/app/db")
    cli("kv", "metadata", "get", "secret/app/db", code=2)

    cli("kv", "put", "old/app", "k=v1")
    assert cli("kv", "get", "-field=k", "old/app") == "v1"
    cli("kv", "patch", "old/app", "k=v2", code=2)
    assert cli("kv", "list", "old").split() == ["Keys", "----", "app"]
    cli("kv", "delete", "-mount=old", "app")
    cli("kv", "get", "old/app", code=2)

    cli("write", "secret/data/raw", "-", stdin='{"data": {"x": "y"}}')
    assert json.loads(cli("read", "-format=json", "secret/data/raw"))["data"]["data"] == {"x": "y"}
    assert cli("read", "-field=data", "secret/data/raw") == '{"x": "y"}'
    assert cli("list", "secret/metadata").split() == ["Keys", "----", "raw"]
    cli("delete", "secret/metadata/raw")
    cli("read", "secret/data/raw", code=2)
    cli("kv", "enable-versioning", "old")
    cli("kv", "put", "old/again", "a=b")
    assert (
        json.loads(cli("kv", "get", "-format=json", "old/again"))["data"]["metadata"]["version"]
        == 1
    )
