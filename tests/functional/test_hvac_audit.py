"""Audit devices with hvac, against the real multi-worker server, and `strongroom audit verify`."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import hvac
import pytest

from strongroom.audit import verify_file
from support.flock_holder import lock_held
from support.procs import BIN, SQLITE_CONFIG, RunningServer, start_server, stop

CANARY = "canary-pw-7d1e5a"


@contextmanager
def audited_server(log: Path) -> Iterator[tuple[RunningServer, hvac.Client]]:
    """A 2-worker server, initialised and unsealed, with a file audit device writing `log`;
    stopped when the block ends."""
    config = SQLITE_CONFIG.replace("DBPATH", str(log.parent / "sr.db"))
    server = start_server(log.parent, config, workers=2)
    try:
        client = hvac.Client(url=server.address)
        result = client.sys.initialize(1, 1)
        client.sys.submit_unseal_key(result["keys"][0])
        client.token = result["root_token"]
        client.sys.enable_audit_device("file", options={"file_path": str(log)})
        yield server, client
    finally:
        stop(server)


@pytest.mark.slow
def test_audit_devices_with_hvac_and_verify(tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    with audited_server(log) as (_, client):
        assert "file/" in client.sys.list_enabled_audit_devices()["data"]
        client.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
        client.secrets.kv.v2.create_or_update_secret("app", secret={"pw": CANARY})
        client.secrets.kv.v2.read_secret_version("app", raise_on_deleted_version=True)
        hashed = client.sys.calculate_hash("file", CANARY)["data"]["hash"]
        key = client.adapter.get("/v1/sys/audit-signing-key")["data"]["public_key"]
        client.sys.disable_audit_device("file")
    text = log.read_text()
    assert CANARY not in text
    entries = [json.loads(line) for line in text.splitlines()]
    write = next(
        e
        for e in entries
        if e["type"] == "request"
        and e["request"]["path"] == "secret/data/app"
        and e["request"]["operation"] == "update"
    )
    assert write["request"]["data"]["data"]["pw"] == hashed
    assert write["request"]["mount_type"] == "kv"
    assert write["auth"]["policies"] == ["root"]
    read = next(
        e
        for e in entries
        if e["type"] == "response"
        and e["request"]["path"] == "secret/data/app"
        and e["request"]["operation"] == "read"
    )
    assert read["response"]["data"]["data"]["pw"] == hashed
    verified = subprocess.run(
        [str(BIN), "audit", "verify", str(log), f"--public-key={key}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    lines = text.splitlines()
    lines[len(lines) // 2] = lines[len(lines) // 2].replace("request", "requesT", 1)
    log.write_text("\n".join(lines) + "\n")
    tampered = subprocess.run(
        [str(BIN), "audit", "verify", str(log), f"--public-key={key}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert tampered.returncode == 1


def timed_get(url: str, token: str = "") -> tuple[int, float]:
    """(status, seconds) of a GET on a new connection."""
    started = time.monotonic()
    headers = {"X-Vault-Token": token} if token else {}
    status = httpx.get(url, headers=headers, timeout=10).status_code
    return status, time.monotonic() - started


@pytest.mark.slow
def test_a_held_audit_file_lock_fails_closed_and_never_stalls_health(tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    with audited_server(log) as (server, client):
        token, mounts = str(client.token), f"{server.address}/v1/sys/mounts"
        with lock_held(log, seconds=30), ThreadPoolExecutor(8) as pool:
            # enough audited requests in flight that every worker has some waiting on the lock
            audited = [pool.submit(timed_get, mounts, token) for _ in range(4)]
            time.sleep(0.3)
            health = [timed_get(f"{server.address}/v1/sys/{p}") for p in ("health", "seal-status")]
            failed = [future.result() for future in audited]
        assert [status for status, _ in health] == [200, 200]
        assert max(seconds for _, seconds in health) < 1.0
        assert [status for status, _ in failed] == [500] * 4
        assert all(1.5 < seconds < 5 for _, seconds in failed)  # the 2 s audit write timeout
        assert [timed_get(mounts, token)[0] for _ in range(4)] == [200] * 4  # the lock released
    assert verify_file(log).ok  # the failed writes left no line and no gap
