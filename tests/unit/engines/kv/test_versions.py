"""KV v2 soft delete, undelete, destroy, max_versions trimming and delete_version_after."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from strongroom.clock import rfc3339
from strongroom.storage.interface import Delete, Op, Put
from support.inproc import Server

T0 = 1_800_000_000.0


async def write(server: Server, key: str, times: int) -> None:
    for i in range(times):
        resp = await server.call("POST", f"kv2/data/{key}", {"data": {"n": i + 1}})
        assert resp.status_code == 200


async def versions(server: Server, key: str) -> dict[str, dict[str, object]]:
    resp = await server.call("GET", f"kv2/metadata/{key}")
    result: dict[str, dict[str, object]] = resp.json()["data"]["versions"]
    return result


def blob_paths(server: Server) -> set[str]:
    """Physical paths of version blobs (the layout is `.../ver/<id>/<n>`)."""
    return {p for p in server.core.physical._entries if "/ver/" in p}  # type: ignore[attr-defined]


async def test_delete_latest_then_read_is_404_with_the_envelope(kv2: Server) -> None:
    await write(kv2, "k", 2)
    kv2.clock.advance(5)
    assert (await kv2.call("DELETE", "kv2/data/k")).status_code == 204
    resp = await kv2.call("GET", "kv2/data/k")
    assert resp.status_code == 404
    body = resp.json()["data"]
    assert body["data"] is None
    assert body["metadata"]["version"] == 2
    assert body["metadata"]["deletion_time"] == rfc3339(T0 + 5)
    older = await kv2.call("GET", "kv2/data/k", params={"version": 1})
    assert older.json()["data"]["data"] == {"n": 1}


async def test_delete_of_nothing_is_204(kv2: Server) -> None:
    assert (await kv2.call("DELETE", "kv2/data/nope")).status_code == 204
    resp = await kv2.call("POST", "kv2/delete/nope", {"versions": [1]})
    assert resp.status_code == 204


async def test_delete_undelete_specific_versions(kv2: Server) -> None:
    await write(kv2, "k", 3)
    resp = await kv2.call("POST", "kv2/delete/k", {"versions": [1, 3, 99]})
    assert resp.status_code == 204
    listed = await versions(kv2, "k")
    assert listed["1"]["deletion_time"] == rfc3339(T0)
    assert listed["2"]["deletion_time"] == ""
    assert (await kv2.call("GET", "kv2/data/k")).status_code == 404
    await kv2.call("POST", "kv2/undelete/k", {"versions": "1,3"})
    listed = await versions(kv2, "k")
    assert {v["deletion_time"] for v in listed.values()} == {""}
    assert (await kv2.call("GET", "kv2/data/k")).json()["data"]["data"] == {"n": 3}


@pytest.mark.parametrize("route", ["delete", "undelete", "destroy"])
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "No version number provided"),
        ({"versions": []}, "No version number provided"),
        ({"versions": ["x"]}, 'error converting input for field "versions": expected list of int'),
    ],
)
async def test_versions_must_be_given(
    kv2: Server, route: str, body: dict[str, object], message: str
) -> None:
    resp = await kv2.call("POST", f"kv2/{route}/k", body)
    assert resp.status_code == 400
    assert resp.json() == {"errors": [message]}


async def test_destroy_erases_the_ciphertext(kv2: Server) -> None:
    await write(kv2, "k", 2)
    before = blob_paths(kv2)
    assert len(before) == 2
    assert (await kv2.call("POST", "kv2/destroy/k", {"versions": [1]})).status_code == 204
    assert len(blob_paths(kv2)) == 1
    resp = await kv2.call("GET", "kv2/data/k", params={"version": 1})
    assert resp.status_code == 404
    assert resp.json()["data"]["metadata"]["destroyed"] is True
    # A destroyed version cannot come back.
    await kv2.call("POST", "kv2/undelete/k", {"versions": [1]})
    assert (await kv2.call("GET", "kv2/data/k", params={"version": 1})).status_code == 404


async def test_trimming_happens_in_the_same_transaction_as_the_write(kv2: Server) -> None:
    await kv2.call("POST", "kv2/metadata/k", {"max_versions": 2})
    await write(kv2, "k", 2)
    seen: list[Sequence[Op]] = []
    physical = kv2.core.physical
    original = physical.transact

    async def spy(ops: Sequence[Op]) -> None:
        seen.append(list(ops))
        await original(ops)

    physical.transact = spy  # type: ignore[method-assign]
    await write(kv2, "k", 1)
    physical.transact = original  # type: ignore[method-assign]
    [ops] = [ops for ops in seen if any(isinstance(op, Put) and "/ver/" in op.path for op in ops)]
    deleted = [op.path for op in ops if isinstance(op, Delete)]
    assert len(deleted) == 1
    assert deleted[0].endswith("/1")
    listed = await versions(kv2, "k")
    assert sorted(listed) == ["2", "3"]
    assert (await kv2.call("GET", "kv2/metadata/k")).json()["data"]["oldest_version"] == 2
    assert len(blob_paths(kv2)) == 2


async def test_mount_max_versions_applies_and_default_is_ten(kv2: Server) -> None:
    await write(kv2, "ten", 12)
    assert sorted(map(int, await versions(kv2, "ten"))) == list(range(3, 13))
    await kv2.call("POST", "kv2/config", {"max_versions": 3})
    await write(kv2, "three", 5)
    assert sorted(map(int, await versions(kv2, "three"))) == [3, 4, 5]
    # Lowering max_versions trims nothing until the next write, as in Vault.
    await kv2.call("POST", "kv2/metadata/three", {"max_versions": 1})
    assert len(await versions(kv2, "three")) == 3
    await write(kv2, "three", 1)
    assert list(await versions(kv2, "three")) == ["6"]


async def test_delete_version_after_counts_from_the_write(kv2: Server) -> None:
    await kv2.call("POST", "kv2/metadata/k", {"delete_version_after": "1h"})
    resp = await kv2.call("POST", "kv2/data/k", {"data": {"a": 1}})
    assert resp.json()["data"]["deletion_time"] == rfc3339(T0 + 3600)
    kv2.clock.advance(3599)
    assert (await kv2.call("GET", "kv2/data/k")).status_code == 200
    kv2.clock.advance(1)
    expired = await kv2.call("GET", "kv2/data/k")
    assert expired.status_code == 404
    assert expired.json()["data"]["data"] is None
    # Undelete schedules the deletion afresh from now.
    await kv2.call("POST", "kv2/undelete/k", {"versions": [1]})
    listed = await versions(kv2, "k")
    assert listed["1"]["deletion_time"] == rfc3339(T0 + 7200)
    assert (await kv2.call("GET", "kv2/data/k")).status_code == 200


async def test_key_delete_version_after_cannot_exceed_the_mounts(kv2: Server) -> None:
    await kv2.call("POST", "kv2/config", {"delete_version_after": "1h"})
    await kv2.call("POST", "kv2/metadata/long", {"delete_version_after": "2h"})
    await kv2.call("POST", "kv2/metadata/short", {"delete_version_after": "10m"})
    long = await kv2.call("POST", "kv2/data/long", {"data": {"a": 1}})
    short = await kv2.call("POST", "kv2/data/short", {"data": {"a": 1}})
    plain = await kv2.call("POST", "kv2/data/plain", {"data": {"a": 1}})
    assert long.json()["data"]["deletion_time"] == rfc3339(T0 + 3600)
    assert short.json()["data"]["deletion_time"] == rfc3339(T0 + 600)
    assert plain.json()["data"]["deletion_time"] == rfc3339(T0 + 3600)
