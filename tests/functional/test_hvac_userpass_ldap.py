"""hvac's `auth.userpass.*` and `auth.ldap.*` against the real server (LDAP over a real
slapd), with a file audit device: no password or bindpass in the clear in the audit log, the
server's log or any read-back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import hvac
import hvac.exceptions
import pytest

from support.hvac_client import unsealed_client
from support.procs import RunningServer
from support.slapd import GROUPS, PEOPLE, SEARCH_DN, SEARCH_PASSWORD, Directory, run_slapd

USER_PASSWORD = "userpass-canary-4711"


@pytest.fixture
def slapd(tmp_path: Path) -> Iterator[Directory]:
    (tmp_path / "slapd").mkdir()
    yield from run_slapd(tmp_path / "slapd")


def _audited(server: RunningServer, tmp_path: Path) -> tuple[hvac.Client, Path]:
    root = unsealed_client(server)
    log = tmp_path / "audit.log"
    root.sys.enable_audit_device("file", options={"file_path": str(log)})
    return root, log


def _no_secret_anywhere(server: RunningServer, log: Path, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in log.read_text(), "audit log"
        assert secret not in server.output(), "server log"


@pytest.mark.slow
def test_userpass_with_hvac(sqlite_server: RunningServer, tmp_path: Path) -> None:
    root, log = _audited(sqlite_server, tmp_path)
    root.sys.enable_auth_method("userpass")
    root.sys.create_or_update_policy("mounts", 'path "sys/mounts" { capabilities = ["read"] }')
    userpass = root.auth.userpass
    userpass.create_or_update_user("Alice", password=USER_PASSWORD, policies=["mounts"])
    read = userpass.read_user("alice")["data"]
    assert read["token_policies"] == ["mounts"]
    assert "password" not in read
    assert userpass.list_user()["data"]["keys"] == ["alice"]

    app = hvac.Client(url=sqlite_server.address)
    auth = app.auth.userpass.login("alice", USER_PASSWORD)["auth"]
    assert auth["policies"] == ["default", "mounts"]
    assert auth["metadata"] == {"username": "alice"}
    app.sys.list_mounted_secrets_engines()
    with pytest.raises(hvac.exceptions.InvalidRequest, match="invalid username or password"):
        app.auth.userpass.login("alice", "wrong", use_token=False)
    with pytest.raises(hvac.exceptions.InvalidRequest, match="invalid username or password"):
        app.auth.userpass.login("nobody", "wrong", use_token=False)

    userpass.update_password_on_user("alice", USER_PASSWORD + "-2")
    app.auth.userpass.login("alice", USER_PASSWORD + "-2", use_token=False)
    userpass.delete_user("alice")
    with pytest.raises(hvac.exceptions.InvalidPath):
        userpass.read_user("alice")
    _no_secret_anywhere(sqlite_server, log, USER_PASSWORD)


@pytest.mark.slow
def test_ldap_with_hvac(sqlite_server: RunningServer, tmp_path: Path, slapd: Directory) -> None:
    root, log = _audited(sqlite_server, tmp_path)
    root.sys.enable_auth_method("ldap")
    ldap = root.auth.ldap
    ldap.configure(
        url=slapd.ldaps_url,
        userdn=PEOPLE,
        userattr="uid",
        groupdn=GROUPS,
        binddn=SEARCH_DN,
        bindpass=SEARCH_PASSWORD,
        certificate=slapd.ca_pem,
        token_ttl="1h",
    )
    config = ldap.read_configuration()["data"]
    assert config["binddn"] == SEARCH_DN
    assert "bindpass" not in config
    assert config["token_ttl"] == 3600

    ldap.create_or_update_group("devs", policies=["dev"])
    assert ldap.list_groups()["data"]["keys"] == ["devs"]
    assert ldap.read_group("devs")["data"]["policies"] == ["dev"]
    ldap.create_or_update_user("carol", policies=["own"], groups=["devs"])
    assert ldap.list_users()["data"]["keys"] == ["carol"]
    assert ldap.read_user("carol")["data"] == {"groups": "devs", "policies": ["own"]}

    app = hvac.Client(url=sqlite_server.address)
    auth = app.auth.ldap.login("alice", "alice-pw")["auth"]
    assert auth["policies"] == ["default", "dev"]  # alice is in cn=Devs
    assert auth["metadata"] == {"username": "alice"}
    carol = app.auth.ldap.login("carol", "carol-pw", use_token=False)["auth"]
    assert carol["policies"] == ["default", "dev", "own"]
    with pytest.raises(hvac.exceptions.InvalidRequest, match="failed to bind as user"):
        app.auth.ldap.login("alice", "wrong", use_token=False)
    with pytest.raises(hvac.exceptions.InvalidRequest, match="failed to bind as user"):
        app.auth.ldap.login("*", "alice-pw", use_token=False)

    ldap.delete_group("devs")
    ldap.delete_user("carol")
    with pytest.raises(hvac.exceptions.InvalidPath):
        ldap.read_group("devs")
    with pytest.raises(hvac.exceptions.InvalidPath):
        ldap.read_user("carol")
    _no_secret_anywhere(sqlite_server, log, SEARCH_PASSWORD, "alice-pw", "carol-pw")
