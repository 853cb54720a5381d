"""hvac's `auth.token.*` against the real server (done-when of the tokens issue)."""

from __future__ import annotations

import hvac
import hvac.exceptions
import pytest

from support.hvac_client import unsealed_client
from support.procs import RunningServer


@pytest.mark.slow
def test_token_lifecycle_with_hvac(sqlite_server: RunningServer) -> None:
    root = unsealed_client(sqlite_server)
    created = root.auth.token.create(policies=["app"], ttl="1h", meta={"svc": "x"})
    token, accessor = created["auth"]["client_token"], created["auth"]["accessor"]
    assert created["auth"]["policies"] == ["app", "default"]
    looked = root.auth.token.lookup(token)["data"]
    assert looked["meta"] == {"svc": "x"}
    assert 3590 <= looked["ttl"] <= 3600  # a real clock ticks between the calls
    assert root.auth.token.lookup_accessor(accessor)["data"]["accessor"] == accessor
    renewed = root.auth.token.renew(token, increment="2h")
    assert 7190 <= renewed["auth"]["lease_duration"] <= 7200
    assert accessor in root.auth.token.list_accessors()["data"]["keys"]
    root.auth.token.revoke_accessor(accessor)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        root.auth.token.lookup(token)

    parent = root.auth.token.create(policies=["root"])["auth"]["client_token"]
    as_parent = hvac.Client(url=sqlite_server.address, token=parent)
    child = as_parent.auth.token.create(policies=["root"])["auth"]["client_token"]
    orphan = as_parent.auth.token.create_orphan(policies=["root"])["auth"]
    assert orphan["orphan"] is True
    assert as_parent.lookup_token()["data"]["policies"] == ["root"]
    root.auth.token.revoke(parent)
    with pytest.raises(hvac.exceptions.Forbidden):
        hvac.Client(url=sqlite_server.address, token=child).sys.list_mounted_secrets_engines()
    assert root.auth.token.lookup(orphan["client_token"])["data"]["orphan"] is True

    root.auth.token.create_or_update_role("svc", allowed_policies=["app"], orphan=True)
    assert root.auth.token.read_role("svc")["data"]["allowed_policies"] == ["app"]
    assert root.auth.token.list_roles()["data"]["keys"] == ["svc"]
    from_role = root.auth.token.create(role_name="svc", policies=["app"])
    assert from_role["auth"]["orphan"] is True
    root.auth.token.delete_role("svc")
    root.auth.token.tidy()

    self_token = root.auth.token.create(policies=["root"], ttl="1h")["auth"]["client_token"]
    as_self = hvac.Client(url=sqlite_server.address, token=self_token)
    assert 3590 <= as_self.auth.token.lookup_self()["data"]["ttl"] <= 3600
    assert 1790 <= as_self.auth.token.renew_self(increment="30m")["auth"]["lease_duration"] <= 1800
    as_self.auth.token.revoke_self()
    assert not as_self.is_authenticated()


@pytest.mark.slow
def test_the_rest_of_hvacs_token_methods(sqlite_server: RunningServer) -> None:
    """renew_accessor, revoke_and_orphan_children, and the errors hvac raises for what only
    sudo may do (the table's `accessors/`, revoke-orphan's own check)."""
    root = unsealed_client(sqlite_server)
    made = root.auth.token.create(policies=["app"], ttl="1h")["auth"]
    renewed = root.auth.token.renew_accessor(made["accessor"], increment="2h")["auth"]
    assert (renewed["client_token"], renewed["accessor"]) == ("", made["accessor"])
    assert 7190 <= renewed["lease_duration"] <= 7200

    parent = root.auth.token.create(policies=["root"])["auth"]["client_token"]
    as_parent = hvac.Client(url=sqlite_server.address, token=parent)
    child = as_parent.auth.token.create(policies=["app"])["auth"]["client_token"]
    root.auth.token.revoke_and_orphan_children(parent)
    with pytest.raises(hvac.exceptions.Forbidden):
        as_parent.auth.token.lookup_self()
    assert root.auth.token.lookup(child)["data"]["orphan"] is True

    orphan = root.auth.token.create_orphan(role_name="ignored", policies=["app"])
    assert orphan["warnings"] == ["Endpoint ignored these unrecognized parameters: [role_name]"]
    hcl = 'path "auth/token/*" { capabilities = ["update", "list"] }'
    root.sys.create_or_update_policy("minter", hcl)
    minted = root.auth.token.create(policies=["minter"])["auth"]["client_token"]
    minter = hvac.Client(url=sqlite_server.address, token=minted)
    with pytest.raises(hvac.exceptions.Forbidden):
        minter.auth.token.list_accessors()
    with pytest.raises(hvac.exceptions.InvalidRequest, match="root or sudo"):
        minter.auth.token.revoke_and_orphan_children(child)


@pytest.mark.slow
def test_wrap_and_unwrap_with_hvac(sqlite_server: RunningServer) -> None:
    root = unsealed_client(sqlite_server)
    wrapped = root.sys.wrap(payload={"db_password": "hunter2"}, ttl="10m")
    token = wrapped["wrap_info"]["token"]
    unwrapped = hvac.Client(url=sqlite_server.address).sys.unwrap(token=token)
    assert unwrapped["data"] == {"db_password": "hunter2"}
    with pytest.raises(hvac.exceptions.InvalidRequest):
        root.sys.unwrap(token=token)
    created = root.auth.token.create(policies=["app"], wrap_ttl="1m")
    inner = hvac.Client(url=sqlite_server.address, token=created["wrap_info"]["token"]).sys.unwrap()
    assert inner["auth"]["policies"] == ["app", "default"]


@pytest.mark.slow
def test_policies_with_hvac_and_no_token_in_the_log(sqlite_server: RunningServer) -> None:
    root = unsealed_client(sqlite_server)
    hcl = 'path "sys/mounts" {\n  capabilities = ["read"]\n}\n'
    root.sys.create_or_update_policy("reader", hcl)
    as_dict = {"path": {"sys/policy/*": {"capabilities": ["read", "list"]}}}
    root.sys.create_or_update_policy("policy-reader", as_dict)
    assert root.sys.read_policy("reader")["data"]["rules"] == hcl
    assert {"reader", "policy-reader"} <= set(root.sys.list_policies()["data"]["policies"])
    token = root.auth.token.create(policies=["reader"])["auth"]["client_token"]
    limited = hvac.Client(url=sqlite_server.address, token=token)
    assert "sys/" in limited.sys.list_mounted_secrets_engines()["data"]
    with pytest.raises(hvac.exceptions.Forbidden):
        limited.sys.list_auth_methods()
    with pytest.raises(hvac.exceptions.Forbidden):
        limited.sys.create_or_update_policy("escalate", 'path "*" { capabilities = ["sudo"] }')
    root.sys.delete_policy("reader")
    with pytest.raises(hvac.exceptions.Forbidden):
        limited.sys.list_mounted_secrets_engines()
    # the operational log never carries a token, whatever happened
    log = sqlite_server.output()
    assert token not in log
    assert root.token not in log
