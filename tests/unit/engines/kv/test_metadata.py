"""KV v2 `metadata/:path` read/write/patch/delete, `config`, and custom_metadata limits."""

from __future__ import annotations

from typing import Any

import pytest

from strongroom.clock import rfc3339
from support.inproc import Server

MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}
T0 = 1_800_000_000.0


async def read_meta(server: Server, key: str) -> dict[str, Any]:
    resp = await server.call("GET", f"kv2/metadata/{key}")
    assert resp.status_code == 200, resp.text
    data: dict[str, Any] = resp.json()["data"]
    return data


async def test_metadata_read_has_vaults_exact_shape(kv2: Server) -> None:
    await kv2.call("POST", "kv2/data/k", {"data": {"a": 1}})
    kv2.clock.advance(2)
    await kv2.call("POST", "kv2/data/k", {"data": {"a": 2}})
    assert await read_meta(kv2, "k") == {
        "cas_required": False,
        "created_time": rfc3339(T0),
        "current_version": 2,
        "custom_metadata": None,
        "delete_version_after": "0s",
        "max_versions": 0,
        "oldest_version": 0,
        "updated_time": rfc3339(T0 + 2),
        "versions": {
            "1": {"created_time": rfc3339(T0), "deletion_time": "", "destroyed": False},
            "2": {"created_time": rfc3339(T0 + 2), "deletion_time": "", "destroyed": False},
        },
    }


async def test_missing_metadata_is_a_bare_404(kv2: Server) -> None:
    resp = await kv2.call("GET", "kv2/metadata/nope")
    assert resp.status_code == 404
    assert resp.json() == {"errors": []}
    assert (await kv2.call("GET", "kv2/metadata/")).status_code == 404


async def test_write_creates_settings_before_any_version(kv2: Server) -> None:
    body = {
        "max_versions": 4,
        "cas_required": True,
        "delete_version_after": "90m",
        "custom_metadata": {"owner": "team-a", "n": 7},
    }
    assert (await kv2.call("POST", "kv2/metadata/k", body)).status_code == 204
    meta = await read_meta(kv2, "k")
    assert meta["current_version"] == 0
    assert meta["versions"] == {}
    assert meta["max_versions"] == 4
    assert meta["cas_required"] is True
    assert meta["delete_version_after"] == "1h30m0s"
    assert meta["custom_metadata"] == {"owner": "team-a", "n": "7"}
    assert (await kv2.call("GET", "kv2/data/k")).status_code == 404
    written = await kv2.call("POST", "kv2/data/k", {"data": {"a": 1}, "options": {"cas": 0}})
    assert written.json()["data"]["custom_metadata"] == {"owner": "team-a", "n": "7"}


async def test_write_changes_only_the_fields_given(kv2: Server) -> None:
    await kv2.call("POST", "kv2/metadata/k", {"max_versions": 4, "custom_metadata": {"a": "b"}})
    kv2.clock.advance(3)
    await kv2.call("POST", "kv2/metadata/k", {"cas_required": True})
    meta = await read_meta(kv2, "k")
    assert (meta["max_versions"], meta["cas_required"]) == (4, True)
    assert meta["custom_metadata"] == {"a": "b"}
    assert meta["updated_time"] == rfc3339(T0 + 3)
    assert meta["created_time"] == rfc3339(T0)
    await kv2.call("POST", "kv2/metadata/k", {"custom_metadata": {}})
    assert (await read_meta(kv2, "k"))["custom_metadata"] is None


async def test_patch_merges_custom_metadata(kv2: Server) -> None:
    await kv2.call("POST", "kv2/metadata/k", {"custom_metadata": {"owner": "a", "keep": "x"}})
    patch = {"custom_metadata": {"owner": None, "team": "b"}, "max_versions": 3}
    resp = await kv2.call("PATCH", "kv2/metadata/k", patch, headers=MERGE_PATCH)
    assert resp.status_code == 204
    meta = await read_meta(kv2, "k")
    assert meta["custom_metadata"] == {"keep": "x", "team": "b"}
    assert meta["max_versions"] == 3
    clear = {"custom_metadata": None}
    await kv2.call("PATCH", "kv2/metadata/k", clear, headers=MERGE_PATCH)
    assert (await read_meta(kv2, "k"))["custom_metadata"] is None


async def test_patch_of_missing_metadata_is_404(kv2: Server) -> None:
    resp = await kv2.call("PATCH", "kv2/metadata/k", {"max_versions": 1}, headers=MERGE_PATCH)
    assert resp.status_code == 404


async def test_delete_removes_every_version(kv2: Server) -> None:
    for i in range(3):
        await kv2.call("POST", "kv2/data/k", {"data": {"i": i}})
    assert (await kv2.call("DELETE", "kv2/metadata/k")).status_code == 204
    assert (await kv2.call("GET", "kv2/metadata/k")).status_code == 404
    assert (await kv2.call("GET", "kv2/data/k", params={"version": 1})).status_code == 404
    physical = kv2.core.physical._entries  # type: ignore[attr-defined]
    assert not [p for p in physical if "/ver/" in p or "/meta/" in p]
    assert (await kv2.call("DELETE", "kv2/metadata/k")).status_code == 204
    # Writing the path again starts a fresh history.
    again = await kv2.call("POST", "kv2/data/k", {"data": {"i": 9}})
    assert again.json()["data"]["version"] == 1


LONG_KEY = "k" * 129


RULE = "custom_metadata validation failed: "
KEY_RULE = RULE + "length of key is {} but must be 0 < len(key) <= 128"
VALUE_RULE = RULE + "length of value is {} but must be 0 < len(value) <= 512"
NOT_STRINGS = 'error converting input for field "custom_metadata": expected map of strings'


@pytest.mark.parametrize(
    ("custom", "message"),
    [
        (
            {f"k{i}": "v" for i in range(65)},
            RULE + "payload must contain at most 64 keys, provided 65",
        ),
        ({LONG_KEY: "v"}, KEY_RULE.format(129)),
        ({"": "v"}, KEY_RULE.format(0)),
        ({"k": "v" * 513}, VALUE_RULE.format(513)),
        ({"k": ""}, VALUE_RULE.format(0)),
        ({"k": ["x"]}, NOT_STRINGS),
        ("x", 'error converting input for field "custom_metadata": expected map'),
    ],
)
async def test_custom_metadata_limits_without_echoing_keys(
    kv2: Server, custom: Any, message: str
) -> None:
    resp = await kv2.call("POST", "kv2/metadata/k", {"custom_metadata": custom})
    assert resp.status_code == 400
    assert resp.json() == {"errors": [message]}
    assert LONG_KEY not in resp.text


@pytest.mark.parametrize(
    "body",
    [{"max_versions": -1}, {"max_versions": "x"}, {"delete_version_after": "-1s"}],
)
async def test_bad_settings_are_400(kv2: Server, body: dict[str, Any]) -> None:
    assert (await kv2.call("POST", "kv2/metadata/k", body)).status_code == 400
    assert (await kv2.call("POST", "kv2/config", body)).status_code == 400


async def test_writing_metadata_of_a_folder_is_refused(kv2: Server) -> None:
    resp = await kv2.call("POST", "kv2/metadata/dir/", {"max_versions": 1})
    assert resp.json() == {"errors": ["cannot write to a path ending in '/'"]}


async def test_config_round_trip(kv2: Server) -> None:
    default = await kv2.call("GET", "kv2/config")
    assert default.json()["data"] == {
        "cas_required": False,
        "delete_version_after": "0s",
        "max_versions": 0,
    }
    body = {"max_versions": 5, "cas_required": True, "delete_version_after": "90s"}
    assert (await kv2.call("POST", "kv2/config", body)).status_code == 204
    await kv2.call("POST", "kv2/config", {"max_versions": 6})
    read = await kv2.call("GET", "kv2/config")
    assert read.json()["data"] == {
        "cas_required": True,
        "delete_version_after": "1m30s",
        "max_versions": 6,
    }
