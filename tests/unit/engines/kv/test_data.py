"""KV v2 `data/:path`: write, read (latest and ?version=N), CAS, PATCH and the error shapes."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strongroom.clock import rfc3339
from support.inproc import Server

MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}
T0 = rfc3339(1_800_000_000.0)  # the ManualClock's start


def version_meta(version: int, created: str = T0, deletion: str = "") -> dict[str, Any]:
    return {
        "created_time": created,
        "custom_metadata": None,
        "deletion_time": deletion,
        "destroyed": False,
        "version": version,
    }


async def test_write_answers_version_metadata_and_read_returns_data(kv2: Server) -> None:
    resp = await kv2.call("POST", "kv2/data/app/db", {"data": {"user": "u", "n": {"x": [1]}}})
    assert resp.status_code == 200
    assert resp.json()["data"] == version_meta(1)
    kv2.clock.advance(1)
    await kv2.call("PUT", "kv2/data/app/db", {"data": {"user": "v"}})

    latest = await kv2.call("GET", "kv2/data/app/db")
    assert latest.status_code == 200
    assert latest.json()["data"] == {
        "data": {"user": "v"},
        "metadata": version_meta(2, rfc3339(1_800_000_001.0)),
    }
    assert latest.json()["mount_type"] == "kv"
    first = await kv2.call("GET", "kv2/data/app/db", params={"version": 1})
    assert first.json()["data"]["data"] == {"user": "u", "n": {"x": [1]}}
    zero = await kv2.call("GET", "kv2/data/app/db", params={"version": 0})
    assert zero.json()["data"]["metadata"]["version"] == 2


@pytest.mark.parametrize(
    ("path", "params"),
    [("kv2/data/nope", {}), ("kv2/data/app/db", {"version": 9}), ("kv2/data/app/", {})],
)
async def test_missing_secret_or_version_is_a_bare_404(
    kv2: Server, path: str, params: dict[str, int]
) -> None:
    await kv2.call("POST", "kv2/data/app/db", {"data": {"a": 1}})
    resp = await kv2.call("GET", path, params=params)
    assert resp.status_code == 404
    assert resp.json() == {"errors": []}


async def test_cas_zero_creates_only_and_mismatch_is_vaults_400(kv2: Server) -> None:
    ok = await kv2.call("POST", "kv2/data/k", {"data": {"a": 1}, "options": {"cas": 0}})
    assert ok.status_code == 200
    again = await kv2.call("POST", "kv2/data/k", {"data": {"a": 2}, "options": {"cas": 0}})
    assert again.status_code == 400
    assert again.json() == {"errors": ["check-and-set parameter did not match the current version"]}
    stale = await kv2.call("POST", "kv2/data/k", {"data": {"a": 2}, "options": {"cas": 5}})
    assert stale.status_code == 400
    good = await kv2.call("POST", "kv2/data/k", {"data": {"a": 2}, "options": {"cas": "1"}})
    assert good.json()["data"]["version"] == 2


async def test_cas_required_by_mount_config_or_key_metadata(kv2: Server) -> None:
    await kv2.call("POST", "kv2/config", {"cas_required": True})
    resp = await kv2.call("POST", "kv2/data/k", {"data": {"a": 1}})
    assert resp.status_code == 400
    assert resp.json() == {"errors": ["check-and-set parameter required for this call"]}
    await kv2.call("POST", "kv2/config", {"cas_required": False})
    await kv2.call("POST", "kv2/metadata/k", {"cas_required": True})
    assert (await kv2.call("POST", "kv2/data/k", {"data": {"a": 1}})).status_code == 400
    ok = await kv2.call("POST", "kv2/data/k", {"data": {"a": 1}, "options": {"cas": 0}})
    assert ok.status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"nodata": 1}, "no data provided"),
        ({"data": None}, "no data provided"),
        ({"data": "text"}, 'error converting input for field "data": expected map'),
        ({"data": {}, "options": "x"}, 'error converting input for field "options": expected map'),
        ({"data": {}, "options": {"cas": "abc"}}, "error parsing check-and-set parameter"),
        ({"data": {}, "options": {"cas": 1.5}}, "error parsing check-and-set parameter"),
    ],
)
async def test_bad_writes_name_the_problem(kv2: Server, body: dict[str, Any], message: str) -> None:
    resp = await kv2.call("POST", "kv2/data/k", body)
    assert resp.status_code == 400
    assert resp.json() == {"errors": [message]}


@pytest.mark.parametrize("path", ["kv2/data/", "kv2/data/folder/"])
async def test_writing_a_folder_is_refused(kv2: Server, path: str) -> None:
    resp = await kv2.call("POST", path, {"data": {"a": 1}})
    assert resp.json() == {"errors": ["cannot write to a path ending in '/'"]}


async def test_bad_version_parameter_is_a_400(kv2: Server) -> None:
    resp = await kv2.call("GET", "kv2/data/k", params={"version": "abc"})
    assert resp.status_code == 400
    assert "version" in resp.json()["errors"][0]


async def test_patch_merges_rfc7396_into_a_new_version(kv2: Server) -> None:
    await kv2.call("POST", "kv2/data/k", {"data": {"a": 1, "b": {"c": 1, "d": 2}, "e": [1]}})
    patch = {"data": {"a": None, "b": {"c": 9}, "e": [2], "f": "new"}}
    resp = await kv2.call("PATCH", "kv2/data/k", patch, headers=MERGE_PATCH)
    assert resp.status_code == 200
    assert resp.json()["data"]["version"] == 2
    read = await kv2.call("GET", "kv2/data/k")
    assert read.json()["data"]["data"] == {"b": {"c": 9, "d": 2}, "e": [2], "f": "new"}


async def test_patch_honours_cas(kv2: Server) -> None:
    await kv2.call("POST", "kv2/data/k", {"data": {"a": 1}})
    body = {"data": {"b": 1}, "options": {"cas": 7}}
    resp = await kv2.call("PATCH", "kv2/data/k", body, headers=MERGE_PATCH)
    assert resp.json() == {"errors": ["check-and-set parameter did not match the current version"]}
    body["options"] = {"cas": 1}
    assert (await kv2.call("PATCH", "kv2/data/k", body, headers=MERGE_PATCH)).status_code == 200


async def test_patch_needs_an_existing_live_secret(kv2: Server) -> None:
    missing = await kv2.call("PATCH", "kv2/data/k", {"data": {"a": 1}}, headers=MERGE_PATCH)
    assert missing.status_code == 404
    await kv2.call("POST", "kv2/data/k", {"data": {"a": 1}})
    await kv2.call("DELETE", "kv2/data/k")
    deleted = await kv2.call("PATCH", "kv2/data/k", {"data": {"a": 2}}, headers=MERGE_PATCH)
    assert deleted.status_code == 404
    # Vault answers with the latest version's metadata as `data`.
    assert deleted.json()["data"] == version_meta(1, deletion=T0)


async def test_patch_without_merge_patch_content_type_is_415(kv2: Server) -> None:
    await kv2.call("POST", "kv2/data/k", {"data": {"a": 1}})
    resp = await kv2.call("PATCH", "kv2/data/k", {"data": {"a": 2}})
    assert resp.status_code == 415


async def test_unknown_path_warns_like_vault(kv2: Server) -> None:
    resp = await kv2.call("GET", "kv2/app/db")
    assert resp.status_code == 404
    body = resp.json()
    assert body["data"] is None
    assert body["warnings"][0].startswith("Invalid path for a versioned K/V secrets engine.")


async def test_list_on_data_is_unsupported(kv2: Server) -> None:
    assert (await kv2.call("LIST", "kv2/data/")).status_code == 405


_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
json_objects = st.dictionaries(
    st.text(),
    st.recursive(
        _json_scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=12,
    ),
    max_size=6,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=json_objects)
async def test_any_json_object_round_trips(kv2: Server, data: dict[str, Any]) -> None:
    written = await kv2.call("POST", "kv2/data/rt", {"data": data})
    assert written.status_code == 200
    read = await kv2.call("GET", "kv2/data/rt")
    assert read.json()["data"]["data"] == data
