"""Startup does not grow with the number of leases: 100,000 of them in SQLite, a restart, and
the server answers (and runs its expiry round) within seconds, because nothing loads them."""

from __future__ import annotations

import time
from pathlib import Path

import msgspec
import pytest

from strongroom.clock import ManualClock
from strongroom.core import scheduler
from strongroom.core.core import Core
from strongroom.core.leases.entry import LeaseEntry, due_key, entry_key
from strongroom.storage.factory import open_backend
from strongroom.storage.interface import Op, Put
from support.inproc import make_core

pytestmark = pytest.mark.slow

COUNT = 100_000
CHUNK = 2_000


async def _unseal(core: Core, key: bytes) -> None:
    await core.keeper.publish((await core.seal.open(key)).reveal())


async def test_a_restart_with_100k_leases_serves_within_seconds(tmp_path: Path) -> None:
    clock = ManualClock()
    options = {"path": str(tmp_path / "sr.db")}
    core = make_core(clock, physical=await open_backend("sqlite", options))
    await core.start()
    keys, _root = await core.initialize(1, 1)
    await _unseal(core, keys[0])
    now = clock.now()
    for start in range(0, COUNT, CHUNK):
        ops: list[Op] = []
        for n in range(start, start + CHUNK):
            entry = LeaseEntry(
                lease_id=f"database/creds/app/{n:024d}",
                mount_uuid="m",
                internal={"username": f"u{n}"},
                issue_time=now,
                expire_time=now + 3600 + n,
                max_expire_time=now + 7200 + n,
                ttl=3600,
                due=now + 3600 + n,
            )
            ops.append(Put("sys/expire/" + entry_key(entry.lease_id), msgspec.json.encode(entry)))
            ops.append(Put("sys/expire/" + due_key(entry), entry.lease_id.encode()))
        await core.barrier.transact(ops)
    await core.physical.close()

    started = time.perf_counter()
    restarted = make_core(clock, physical=await open_backend("sqlite", options))
    await restarted.start()
    await _unseal(restarted, keys[0])
    found = await restarted.leases.lookup("database/creds/app/" + "0" * 24)
    await scheduler.tick(restarted)
    elapsed = time.perf_counter() - started
    assert found.internal == {"username": "u0"}
    assert elapsed < 3.0, f"restart to serving took {elapsed:.2f} s with {COUNT} leases"
    await restarted.physical.close()
