"""Concurrent writers to one KV v2 key (`racy` interleaves them between read and commit).

Exactly one writer wins per `cas` value; without `cas` no update is lost: every write gets its
own version and every merge patch survives.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from support.inproc import Server

MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}
WRITERS = 100
CAS_MISMATCH = "check-and-set parameter did not match the current version"


async def test_same_cas_exactly_one_winner(racy: Server) -> None:
    await racy.call("POST", "kv2/metadata/k", {"max_versions": 200})
    await racy.call("POST", "kv2/data/k", {"data": {"w": -1}})
    responses = await asyncio.gather(
        *(
            racy.call("POST", "kv2/data/k", {"data": {"w": i}, "options": {"cas": 1}})
            for i in range(WRITERS)
        )
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 400: WRITERS - 1}
    assert {tuple(r.json()["errors"]) for r in responses if r.status_code == 400} == {
        (CAS_MISMATCH,)
    }
    [winner] = [r for r in responses if r.status_code == 200]
    assert winner.json()["data"]["version"] == 2
    meta = await racy.call("GET", "kv2/metadata/k")
    assert meta.json()["data"]["current_version"] == 2


async def test_cas_zero_creates_once(racy: Server) -> None:
    responses = await asyncio.gather(
        *(
            racy.call("POST", "kv2/data/new", {"data": {"w": i}, "options": {"cas": 0}})
            for i in range(WRITERS)
        )
    )
    assert Counter(r.status_code for r in responses) == {200: 1, 400: WRITERS - 1}


async def test_plain_writes_each_get_their_own_version(racy: Server) -> None:
    await racy.call("POST", "kv2/metadata/k", {"max_versions": 200})
    responses = await asyncio.gather(
        *(racy.call("POST", "kv2/data/k", {"data": {"w": i}}) for i in range(WRITERS))
    )
    assert {r.status_code for r in responses} == {200}
    versions = sorted(r.json()["data"]["version"] for r in responses)
    assert versions == list(range(1, WRITERS + 1))
    seen = set()
    for number in versions:
        read = await racy.call("GET", "kv2/data/k", params={"version": number})
        seen.add(read.json()["data"]["data"]["w"])
    assert seen == set(range(WRITERS))


async def test_concurrent_patches_lose_nothing(racy: Server) -> None:
    await racy.call("POST", "kv2/metadata/k", {"max_versions": 200})
    await racy.call("POST", "kv2/data/k", {"data": {"base": True}})
    responses = await asyncio.gather(
        *(
            racy.call("PATCH", "kv2/data/k", {"data": {f"w{i}": i}}, headers=MERGE_PATCH)
            for i in range(WRITERS)
        )
    )
    assert {r.status_code for r in responses} == {200}
    final = (await racy.call("GET", "kv2/data/k")).json()["data"]
    assert final["metadata"]["version"] == WRITERS + 1
    assert final["data"] == {"base": True, **{f"w{i}": i for i in range(WRITERS)}}
