"""The KV issue's done-when, with hvac against the real server on SQLite: every
`secrets.kv.v2.*` and `secrets.kv.v1.*` method, unchanged, plus the v1 -> v2 upgrade.

hvac 2.4 has no subkeys or metadata-patch helpers, so those go through its adapter, as a
caller of those endpoints would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import hvac
import hvac.exceptions
import pytest

from support.procs import RunningServer

CANARY = "kv-functional-canary-41c7"
MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}


def assert_sealed(tmp_path: Path) -> None:
    """The canary is in no storage file, the WAL included (SQLite may not have checkpointed)."""
    files = list(tmp_path.glob("sr.db*"))
    assert files
    for file in files:
        assert CANARY.encode() not in file.read_bytes()


@pytest.fixture
def client(sqlite_server: RunningServer) -> Iterator[hvac.Client]:
    client = hvac.Client(url=sqlite_server.address)
    result = client.sys.initialize(1, 1)
    client.sys.submit_unseal_key(result["keys"][0])
    client.token = result["root_token"]
    yield client
    client.adapter.close()


@pytest.mark.slow
def test_kv_v2_with_hvac(client: hvac.Client, tmp_path: Path) -> None:
    client.sys.enable_secrets_engine("kv", path="secret", options={"version": "2"})
    kv = client.secrets.kv.v2

    kv.configure(max_versions=5, cas_required=False, delete_version_after="0s")
    assert kv.read_configuration()["data"]["max_versions"] == 5

    written = kv.create_or_update_secret("app/db", {"password": CANARY})
    assert written["data"]["version"] == 1
    kv.create_or_update_secret("app/db", {"password": "two"}, cas=1)
    with pytest.raises(hvac.exceptions.InvalidRequest, match="check-and-set"):
        kv.create_or_update_secret("app/db", {"password": "x"}, cas=1)

    latest = kv.read_secret_version("app/db", raise_on_deleted_version=True)
    assert latest["data"]["data"] == {"password": "two"}
    first = kv.read_secret_version("app/db", version=1, raise_on_deleted_version=True)
    assert first["data"]["data"] == {"password": CANARY}
    assert (
        kv.read_secret("app/db", raise_on_deleted_version=True)["data"]["metadata"]["version"] == 2
    )

    with pytest.warns(DeprecationWarning, match="raise_on_deleted"):  # hvac reads without it
        patched = kv.patch("app/db", {"user": "svc"})
    assert patched["data"]["version"] == 3
    merged = client.adapter.request(
        "PATCH", "/v1/secret/data/app/db", json={"data": {"user": None}}, headers=MERGE_PATCH
    )
    assert merged["data"]["version"] == 4

    kv.delete_latest_version_of_secret("app/db")
    with pytest.raises(hvac.exceptions.InvalidPath):
        kv.read_secret_version("app/db", raise_on_deleted_version=True)
    deleted = kv.read_secret_version("app/db", raise_on_deleted_version=False)
    assert deleted["data"]["data"] is None
    assert deleted["data"]["metadata"]["deletion_time"] != ""

    kv.delete_secret_versions("app/db", versions=[1])
    kv.undelete_secret_versions("app/db", versions=[1, 4])
    assert kv.read_secret_version("app/db", raise_on_deleted_version=True)["data"]["data"] == {
        "password": "two"
    }
    kv.destroy_secret_versions("app/db", versions=[2])
    # hvac returns the envelope only for a *deleted* version; a destroyed one still raises,
    # carrying the envelope Vault sends.
    with pytest.raises(hvac.exceptions.InvalidPath) as destroyed:
        kv.read_secret_version("app/db", version=2, raise_on_deleted_version=False)
    assert destroyed.value.json["data"]["metadata"]["destroyed"] is True

    _metadata_and_listing(client)
    assert_sealed(tmp_path)


def _metadata_and_listing(client: hvac.Client) -> None:
    kv = client.secrets.kv.v2
    kv.update_metadata("app/db", max_versions=3, custom_metadata={"owner": "team"})
    meta = kv.read_secret_metadata("app/db")["data"]
    assert meta["current_version"] == 4
    assert meta["custom_metadata"] == {"owner": "team"}
    assert meta["versions"]["2"]["destroyed"] is True
    client.adapter.request(
        "PATCH",
        "/v1/secret/metadata/app/db",
        json={"custom_metadata": {"tier": "1"}},
        headers=MERGE_PATCH,
    )
    assert kv.read_secret_metadata("app/db")["data"]["custom_metadata"] == {
        "owner": "team",
        "tier": "1",
    }

    kv.create_or_update_secret("app/api", {"token": {"value": "t", "scope": "r"}})
    kv.create_or_update_secret("top", {"a": 1})
    assert kv.list_secrets("")["data"]["keys"] == ["app/", "top"]
    assert kv.list_secrets("app")["data"]["keys"] == ["api", "db"]
    page = client.adapter.list("/v1/secret/metadata/app/", params={"after": "api", "limit": 1})
    assert page["data"]["keys"] == ["db"]
    with pytest.raises(hvac.exceptions.InvalidPath):
        kv.list_secrets("nothing")

    subkeys = client.adapter.get("/v1/secret/subkeys/app/api", params={"depth": 0})
    assert subkeys["data"]["subkeys"] == {"token": {"value": None, "scope": None}}

    kv.delete_metadata_and_all_versions("app/db")
    with pytest.raises(hvac.exceptions.InvalidPath):
        kv.read_secret_metadata("app/db")


@pytest.mark.slow
def test_kv_v1_and_upgrade_with_hvac(client: hvac.Client, tmp_path: Path) -> None:
    client.sys.enable_secrets_engine("kv", path="kv1", options={"version": "1"})
    kv1 = client.secrets.kv.v1

    kv1.create_or_update_secret("app/db", {"password": CANARY}, mount_point="kv1")
    kv1.create_or_update_secret("app/db", {"password": "two"}, mount_point="kv1")
    kv1.create_or_update_secret("other", {"a": "b"}, mount_point="kv1")
    assert kv1.read_secret("app/db", mount_point="kv1")["data"] == {"password": "two"}
    assert kv1.list_secrets("", mount_point="kv1")["data"]["keys"] == ["app/", "other"]
    kv1.delete_secret("other", mount_point="kv1")
    with pytest.raises(hvac.exceptions.InvalidPath):
        kv1.read_secret("other", mount_point="kv1")

    client.sys.tune_mount_configuration("kv1", options={"version": "2"})
    kv2 = client.secrets.kv.v2
    upgraded = kv2.read_secret_version("app/db", mount_point="kv1", raise_on_deleted_version=True)
    assert upgraded["data"]["data"] == {"password": "two"}
    assert upgraded["data"]["metadata"]["version"] == 1
    assert kv2.list_secrets("", mount_point="kv1")["data"]["keys"] == ["app/"]

    assert_sealed(tmp_path)
