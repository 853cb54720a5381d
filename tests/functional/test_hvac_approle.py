"""hvac's `auth.approle.*` against the real server (done-when of the tokens issue)."""

from __future__ import annotations

import hvac
import hvac.exceptions
import pytest

from support.hvac_client import unsealed_client
from support.procs import RunningServer


@pytest.mark.slow
def test_approle_roles_secret_ids_and_login_with_hvac(sqlite_server: RunningServer) -> None:
    root = unsealed_client(sqlite_server)
    root.sys.enable_auth_method("approle")
    root.sys.create_or_update_policy("mounts", 'path "sys/mounts" { capabilities = ["read"] }')
    approle = root.auth.approle
    approle.create_or_update_approle(
        "web", token_policies=["mounts"], token_ttl="1h", secret_id_num_uses=5
    )
    role = approle.read_role("web")["data"]
    assert (role["token_policies"], role["token_ttl"], role["bind_secret_id"]) == (
        ["mounts"],
        3600,
        True,
    )
    assert approle.list_roles()["data"]["keys"] == ["web"]
    approle.update_role_id("web", "web-role-id")
    assert approle.read_role_id("web")["data"]["role_id"] == "web-role-id"

    issued = approle.generate_secret_id("web", metadata={"team": "pay"})["data"]
    accessor = issued["secret_id_accessor"]
    assert approle.read_secret_id("web", issued["secret_id"])["data"]["metadata"] == {"team": "pay"}
    assert approle.read_secret_id_accessor("web", accessor)["data"]["secret_id_num_uses"] == 5
    assert approle.list_secret_id_accessors("web")["data"]["keys"] == [accessor]

    app = hvac.Client(url=sqlite_server.address)
    auth = app.auth.approle.login("web-role-id", issued["secret_id"])["auth"]
    assert auth["policies"] == ["default", "mounts"]
    assert auth["metadata"] == {"role_name": "web", "team": "pay"}
    assert 3590 <= auth["lease_duration"] <= 3600  # a real clock ticks
    assert app.token == auth["client_token"]
    app.sys.list_mounted_secrets_engines()  # allowed by the role's policy
    with pytest.raises(hvac.exceptions.Forbidden):
        app.auth.approle.list_roles()

    approle.create_custom_secret_id("web", "my-custom-secret-id")
    app.auth.approle.login("web-role-id", "my-custom-secret-id", use_token=False)
    approle.destroy_secret_id("web", "my-custom-secret-id")
    with pytest.raises(hvac.exceptions.InvalidRequest):
        app.auth.approle.login("web-role-id", "my-custom-secret-id", use_token=False)
    approle.destroy_secret_id_accessor("web", accessor)
    with pytest.raises(hvac.exceptions.InvalidPath):
        approle.read_secret_id_accessor("web", accessor)

    # Response wrapping: only the holder of the wrapping token sees the secret ID.
    wrapped = root.adapter.post("/v1/auth/approle/role/web/secret-id", json={}, wrap_ttl="1m")
    wrap_token = wrapped["wrap_info"]["token"]
    inner = hvac.Client(url=sqlite_server.address, token=wrap_token).sys.unwrap()
    app.auth.approle.login("web-role-id", inner["data"]["secret_id"], use_token=False)

    root.adapter.post("/v1/auth/approle/tidy/secret-id")
    approle.delete_role("web")
    with pytest.raises(hvac.exceptions.InvalidPath):
        approle.read_role("web")
    assert issued["secret_id"] not in sqlite_server.output()


@pytest.mark.slow
def test_approle_lockout_with_hvac(sqlite_server: RunningServer) -> None:
    root = unsealed_client(sqlite_server)
    root.sys.enable_auth_method("approle")
    root.auth.approle.create_or_update_approle("web", token_policies=["default"])
    role_id = root.auth.approle.read_role_id("web")["data"]["role_id"]
    good = root.auth.approle.generate_secret_id("web")["data"]["secret_id"]
    app = hvac.Client(url=sqlite_server.address)
    for candidate in (role_id, "no-such-role"):
        for _ in range(5):
            with pytest.raises(hvac.exceptions.InvalidRequest) as bad:
                app.auth.approle.login(candidate, "wrong", use_token=False)
            assert bad.value.errors == ["invalid role or secret ID"]
    with pytest.raises(hvac.exceptions.InvalidRequest) as locked:
        app.auth.approle.login(role_id, good, use_token=False)  # right secret, locked pair
    assert locked.value.errors == ["invalid role or secret ID"]
