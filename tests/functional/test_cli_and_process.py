"""The `strongroom` CLI against the real server, and the server's process hygiene."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from support.procs import BIN, RunningServer


def cli(server: RunningServer, *args: str, token: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VAULT_", "STRONGROOM_"))}
    env["STRONGROOM_ADDR"] = server.address
    if token:
        env["VAULT_TOKEN"] = token  # the fallback variable must work too
    return subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


@pytest.mark.slow
def test_operator_and_secrets_commands_end_to_end(sqlite_server: RunningServer) -> None:
    assert cli(sqlite_server, "status").returncode == 2  # uninitialised counts as sealed
    init = cli(
        sqlite_server, "operator", "init", "-key-shares=3", "-key-threshold=2", "-format=json"
    )
    assert init.returncode == 0, init.stderr
    body = json.loads(init.stdout)
    keys, root = body["unseal_keys_b64"], body["root_token"]
    for key in keys[:2]:
        assert cli(sqlite_server, "operator", "unseal", key).returncode == 0
    assert cli(sqlite_server, "status").returncode == 0

    enable = cli(sqlite_server, "secrets", "enable", "-path=app", "-version=2", "kv", token=root)
    assert enable.returncode == 0, enable.stderr
    tune = cli(sqlite_server, "secrets", "tune", "-max-lease-ttl=2h", "app", token=root)
    assert tune.returncode == 0, tune.stderr
    listed = cli(sqlite_server, "secrets", "list", "-format=json", token=root)
    mounts = json.loads(listed.stdout)
    assert mounts["app/"]["config"]["max_lease_ttl"] == 7200
    assert cli(sqlite_server, "operator", "rotate", token=root).returncode == 0
    status = cli(sqlite_server, "operator", "key-status", "-format=json", token=root)
    assert json.loads(status.stdout)["term"] == 2
    unknown = cli(sqlite_server, "secrets", "enable", "nonexistent", token=root)
    assert unknown.returncode == 2
    assert "plugin not found" in unknown.stderr
    denied = cli(sqlite_server, "secrets", "list", token="hvs.bogus")
    assert denied.returncode == 2
    assert cli(sqlite_server, "operator", "seal", token=root).returncode == 0
    assert cli(sqlite_server, "status").returncode == 2


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(p) for p in found]


@pytest.mark.slow
def test_server_and_workers_cannot_dump_core(sqlite_server: RunningServer) -> None:
    pids = [sqlite_server.process.pid, *_children(sqlite_server.process.pid)]
    assert len(pids) >= 2
    for pid in pids:
        limits = Path(f"/proc/{pid}/limits").read_text()
        core_line = next(line for line in limits.splitlines() if line.startswith("Max core"))
        assert core_line.split()[4:6] == ["0", "0"], core_line
