"""Layer 1 durability: an acknowledged SQLite write survives `kill -9` (DESIGN.md "Storage
contract"), and several worker processes share one file without losing or re-versioning writes.

Children are real processes (`durability_child.py`) so that SIGKILL lands wherever it lands:
mid group commit, mid fsync, between a commit and its acknowledgement.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from strongroom.storage.sqlite import SqliteBackend

pytestmark = pytest.mark.slow

CHILD = Path(__file__).with_name("durability_child.py")
KILLS = 20  # each costs a child start-up (~0.4 s) plus a full read-back


def expected_value(key: str) -> bytes:
    """Same formula as durability_child.expected_value."""
    return hashlib.sha256(key.encode()).digest() * 64


def spawn(db: Path, tag: str, count: int = 0, tasks: int = 8) -> subprocess.Popen[str]:
    argv = [sys.executable, str(CHILD), str(db), tag, str(count), str(tasks)]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def parse(lines: list[str]) -> dict[str, int]:
    acked: dict[str, int] = {}
    for line in lines:
        if line.endswith("\n"):  # a torn last line would not be an acknowledgement
            key, version = line.split()
            acked[key] = int(version)
    return acked


async def read_back(db: Path, keys: list[str]) -> dict[str, tuple[bytes, int] | None]:
    backend = await asyncio.to_thread(SqliteBackend, str(db))
    try:
        entries = {key: await backend.get(key) for key in keys}
    finally:
        await backend.close()
    return {k: (e.value, e.version) if e else None for k, e in entries.items()}


def assert_intact(db: Path, acked: dict[str, int]) -> None:
    found = asyncio.run(read_back(db, list(acked)))
    lost = [key for key, version in acked.items() if found[key] != (expected_value(key), version)]
    assert not lost, f"{len(lost)} acknowledged writes lost or altered, e.g. {lost[:3]}"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_acknowledged_writes_survive_sigkill(tmp_path: Path) -> None:
    db = tmp_path / "kv.db"
    acked: dict[str, int] = {}
    for kills in range(KILLS):
        child = spawn(db, f"run{kills:02d}")
        assert child.stdout is not None
        lines = [child.stdout.readline() for _ in range(1 + secrets.randbelow(120))]
        if not lines[-1]:
            _, err = child.communicate()
            pytest.fail(f"child stopped before it was killed: {err[-2000:]}")
        time.sleep(secrets.randbelow(30) / 1000)  # let it run on into a random moment
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate()  # lines already in the pipe were acknowledged too
        assert child.returncode == -signal.SIGKILL
        acked |= parse(lines + rest.splitlines(keepends=True))
        assert_intact(db, acked)
    assert len(set(acked.values())) == len(acked), "a version was handed out twice"


def test_two_processes_share_one_file(tmp_path: Path) -> None:
    db = tmp_path / "kv.db"
    children = [spawn(db, f"worker{i}", count=300) for i in range(2)]
    outputs = [child.communicate(timeout=60) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err[-2000:]
    acked = parse([line for out, _ in outputs for line in out.splitlines(keepends=True)])
    assert len(acked) == 600
    assert len(set(acked.values())) == 600, "two processes were handed the same version"
    assert_intact(db, acked)
