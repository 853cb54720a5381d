"""The foundation's done-when, with hvac (our reference client) against the real server."""

from __future__ import annotations

from pathlib import Path

import hvac
import hvac.exceptions
import pytest

from support.procs import RunningServer


@pytest.mark.slow
def test_init_unseal_seal_mounts_with_hvac(sqlite_server: RunningServer, tmp_path: Path) -> None:
    client = hvac.Client(url=sqlite_server.address)
    assert client.sys.is_initialized() is False
    result = client.sys.initialize(5, 3)
    keys, root = result["keys"], result["root_token"]
    assert client.sys.is_sealed() is True
    for key in keys[:3]:
        client.sys.submit_unseal_key(key)
    assert client.sys.is_sealed() is False
    client.token = root
    assert client.is_authenticated()

    client.sys.enable_secrets_engine("kv", path="app", options={"version": "1"}, description="d")
    mounts = client.sys.list_mounted_secrets_engines()
    assert mounts["data"]["app/"]["description"] == "d"
    client.sys.tune_mount_configuration("app", default_lease_ttl="1h", max_lease_ttl="2h")
    tuned = client.sys.read_mount_configuration("app")
    assert tuned["data"]["default_lease_ttl"] == 3600
    client.sys.disable_secrets_engine("app")
    assert "app/" not in client.sys.list_mounted_secrets_engines()["data"]

    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.sys.enable_secrets_engine("no-such-engine", path="bad")
    with pytest.raises(hvac.exceptions.Forbidden):
        hvac.Client(url=sqlite_server.address, token="hvs.wrong").sys.list_mounted_secrets_engines()

    client.sys.seal()
    with pytest.raises(hvac.exceptions.VaultDown):
        client.sys.list_mounted_secrets_engines()
    client.sys.submit_unseal_keys(keys[2:5])
    assert client.sys.is_sealed() is False
    assert "sys/" in client.sys.list_mounted_secrets_engines()["data"]

    db = (tmp_path / "sr.db").read_bytes()
    assert root.encode() not in db
    assert b"sys/" not in db.replace(b"core/", b"")  # mount table stored sealed


@pytest.mark.slow
def test_health_codes_match_vault(sqlite_server: RunningServer) -> None:
    client = hvac.Client(url=sqlite_server.address)
    assert client.sys.read_health_status(method="GET").status_code == 501
    result = client.sys.initialize(1, 1)
    assert client.sys.read_health_status(method="GET").status_code == 503
    assert client.sys.read_health_status(method="HEAD").status_code == 503
    client.sys.submit_unseal_key(result["keys"][0])
    assert client.sys.read_health_status(method="GET")["sealed"] is False
    custom = client.sys.read_health_status(method="GET", active_code=299)
    assert custom.status_code == 299
