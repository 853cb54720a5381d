"""Tuning a KV mount from version 1 to 2: every v1 key becomes version 1 of a v2 secret, in
place, once, even with several backends upgrading the same mount at the same time."""

from __future__ import annotations

import asyncio

from strongroom.core.view import View
from strongroom.engines.kv.store import KvStore
from strongroom.engines.kv.upgrade import upgrade
from support.inproc import Server

# Keys chosen to collide with v2's own record names if the layouts were not disjoint.
V1_DATA = {
    "app/db": {"user": "u", "pw": {"x": 1}},
    "config": {"max_versions": "not a setting"},
    "meta/x": {"a": 1},
    "deep/a/b/c": {"b": True},
}


async def seed(server: Server) -> None:
    for key, data in V1_DATA.items():
        assert (await server.call("POST", f"kv1/{key}", data)).status_code == 204


async def tune_to_v2(server: Server) -> None:
    resp = await server.call("POST", "sys/mounts/kv1/tune", {"options": {"version": "2"}})
    assert resp.status_code in (200, 204), resp.text


async def test_v1_keys_become_version_one(kv1: Server) -> None:
    await seed(kv1)
    await tune_to_v2(kv1)
    for key, data in V1_DATA.items():
        read = await kv1.call("GET", f"kv1/data/{key}")
        assert read.status_code == 200, key
        assert read.json()["data"]["data"] == data
        assert read.json()["data"]["metadata"]["version"] == 1
    config = await kv1.call("GET", "kv1/config")
    assert config.json()["data"]["max_versions"] == 0
    listed = await kv1.call("LIST", "kv1/metadata/")
    assert listed.json()["data"]["keys"] == ["app/", "config", "deep/", "meta/"]
    # The v1 API is gone; the v2 one carries on from version 1.
    assert (await kv1.call("GET", "kv1/app/db")).status_code == 404
    written = await kv1.call("POST", "kv1/data/app/db", {"data": {"n": 2}, "options": {"cas": 1}})
    assert written.json()["data"]["version"] == 2


async def test_upgrade_leaves_no_v1_records(kv1: Server) -> None:
    await seed(kv1)
    await tune_to_v2(kv1)
    await kv1.call("GET", "kv1/config")  # first use runs the upgrade
    physical = kv1.core.physical._entries  # type: ignore[attr-defined]
    assert not [p for p in physical if "/v1/" in p]


async def test_concurrent_upgrades_move_each_key_once(racy: Server) -> None:
    await racy.call("POST", "sys/mounts/kv1", {"type": "kv", "options": {"version": "1"}})
    keys = [f"f{i % 3}/k{i}" for i in range(30)]
    for key in keys:
        await racy.call("POST", f"kv1/{key}", {"key": key})
    entry = racy.core.mounts.find("mounts", "kv1")
    assert entry is not None
    view = View(racy.core.barrier, entry.storage_prefix("mounts"))
    stores = [KvStore(view, racy.clock) for _ in range(4)]
    moved = await asyncio.gather(*(upgrade(store) for store in stores))
    assert sum(moved) == len(keys)
    await tune_to_v2(racy)
    for key in keys:
        read = await racy.call("GET", f"kv1/data/{key}")
        assert read.json()["data"]["data"] == {"key": key}
        assert read.json()["data"]["metadata"]["version"] == 1
    assert await upgrade(stores[0]) == 0  # idempotent: nothing left to move


async def test_fresh_v2_mount_upgrades_nothing(kv2: Server) -> None:
    resp = await kv2.call("LIST", "kv2/metadata/")
    assert resp.status_code == 404
