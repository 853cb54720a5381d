"""KV v2 `subkeys/:path`: the key tree without values, with `depth`, and its 404 shapes."""

from __future__ import annotations

from typing import Any

import pytest

from strongroom.engines.kv.documents import subkeys
from support.inproc import Server

DOC = {"a": {"b": {"c": {"d": 1}}, "l": [1, {"x": 1}]}, "z": None, "e": {}}


@pytest.mark.parametrize(
    ("depth", "expected"),
    [
        (0, {"a": {"b": {"c": {"d": None}}, "l": None}, "e": None, "z": None}),
        (1, {"a": None, "e": None, "z": None}),
        (2, {"a": {"b": None, "l": None}, "e": None, "z": None}),
        (3, {"a": {"b": {"c": None}, "l": None}, "e": None, "z": None}),
    ],
)
async def test_subkeys_with_depth(kv2: Server, depth: int, expected: dict[str, Any]) -> None:
    await kv2.call("POST", "kv2/data/s", {"data": DOC})
    resp = await kv2.call("GET", "kv2/subkeys/s", params={"depth": depth})
    assert resp.status_code == 200
    body = resp.json()["data"]
    assert body["subkeys"] == expected
    assert body["metadata"]["version"] == 1


async def test_subkeys_of_a_deleted_version_is_404_with_data(kv2: Server) -> None:
    await kv2.call("POST", "kv2/data/s", {"data": DOC})
    await kv2.call("DELETE", "kv2/data/s")
    resp = await kv2.call("GET", "kv2/subkeys/s")
    assert resp.status_code == 404
    assert resp.json()["data"]["subkeys"] is None
    assert resp.json()["data"]["metadata"]["deletion_time"] != ""


async def test_subkeys_errors(kv2: Server) -> None:
    await kv2.call("POST", "kv2/data/s", {"data": DOC})
    assert (await kv2.call("GET", "kv2/subkeys/s", params={"version": 9})).status_code == 404
    assert (await kv2.call("GET", "kv2/subkeys/none")).status_code == 404
    negative = await kv2.call("GET", "kv2/subkeys/s", params={"depth": -1})
    assert negative.status_code == 400


def test_subkeys_never_returns_a_value() -> None:
    tree = subkeys({"secret": "hunter2", "n": {"pin": 1234}})
    assert tree == {"secret": None, "n": {"pin": None}}
