"""Log-ins and identity: an AppRole log-in creates its entity and alias once; the token's
effective policies join its entity's and groups'; a disabled or deleted entity's tokens stop
working at once, on this worker and on another over the same storage (answers as OpenBao's)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from strongroom.core import identity
from strongroom.core.core import Core
from strongroom.core.login import Login
from strongroom.core.request import Operation, Request
from strongroom.core.token.entry import TokenEntry
from strongroom.engines.registry import catalogue
from strongroom.errors import PermissionDenied
from support.inproc import Server

READ_ALL_POLICIES = 'path "sys/policy/*" { capabilities = ["read"] }'


async def _ok(server: Server, method: str, path: str, body: Any = None) -> dict[str, Any]:
    resp = await server.call(method, path, body)
    assert resp.status_code in (200, 204), (path, resp.text)
    return {} if resp.status_code == 204 else dict(resp.json())


async def _login(server: Server, role: str = "r1") -> dict[str, Any]:
    role_id = (await _ok(server, "GET", f"auth/approle/role/{role}/role-id"))["data"]["role_id"]
    secret = (await _ok(server, "POST", f"auth/approle/role/{role}/secret-id", {}))["data"]
    body = {"role_id": role_id, "secret_id": secret["secret_id"]}
    resp = await server.call("POST", "auth/approle/login", body, token=None)
    assert resp.status_code == 200, resp.text
    return dict(resp.json()["auth"])


@pytest.fixture
async def role(server: Server, accessor: str) -> str:
    del accessor
    await _ok(server, "POST", "auth/approle/role/r1", {"token_policies": "default,tp"})
    return str((await _ok(server, "GET", "auth/approle/role/r1/role-id"))["data"]["role_id"])


async def test_an_approle_log_in_creates_its_entity_once(
    server: Server, accessor: str, role: str
) -> None:
    auth = await _login(server)
    entity_id = auth["entity_id"]
    assert entity_id
    assert "identity_policies" not in auth  # OpenBao leaves it out while there are none
    entity = (await _ok(server, "GET", f"identity/entity/id/{entity_id}"))["data"]
    assert entity["name"].startswith("entity_")
    [alias] = entity["aliases"]
    assert (alias["name"], alias["mount_accessor"], alias["mount_type"]) == (
        role,
        accessor,
        "approle",
    )
    assert (await _login(server))["entity_id"] == entity_id
    lookup = await server.call("GET", "auth/token/lookup-self", token=auth["client_token"])
    assert lookup.json()["data"]["entity_id"] == entity_id
    assert "identity_policies" not in lookup.json()["data"]


async def test_identity_policies_join_the_tokens(server: Server, role: str) -> None:
    del role
    auth = await _login(server)
    entity_id, token = auth["entity_id"], auth["client_token"]
    await _ok(server, "POST", f"identity/entity/id/{entity_id}", {"policies": ["ep1"]})
    parent = await _ok(server, "POST", "identity/group", {"name": "parent", "policies": ["pp"]})
    body = {"name": "lg", "policies": ["gp"], "member_entity_ids": [entity_id]}
    child = (await _ok(server, "POST", "identity/group", body))["data"]["id"]
    await _ok(
        server, "POST", f"identity/group/id/{parent['data']['id']}", {"member_group_ids": [child]}
    )
    looked = (await server.call("GET", "auth/token/lookup-self", token=token)).json()["data"]
    assert looked["identity_policies"] == ["ep1", "gp", "pp"]
    assert looked["external_namespace_policies"] == {}
    assert looked["policies"] == ["default", "tp"]
    again = await _login(server)
    assert again["identity_policies"] == ["ep1", "gp", "pp"]
    assert again["policies"] == ["default", "ep1", "gp", "pp", "tp"]
    assert again["token_policies"] == ["default", "tp"]
    # The policies take effect for the token already issued.
    await _ok(server, "PUT", "sys/policy/pp", {"policy": READ_ALL_POLICIES})
    assert (await server.call("GET", "sys/policy/pp", token=token)).status_code == 200
    await _ok(server, "POST", f"identity/group/id/{child}", {"policies": []})
    await _ok(server, "DELETE", f"identity/group/id/{parent['data']['id']}")
    assert (await server.call("GET", "sys/policy/pp", token=token)).status_code == 403


async def test_a_disabled_or_deleted_entity_stops_its_tokens(server: Server, role: str) -> None:
    del role
    auth = await _login(server)
    entity_id, token = auth["entity_id"], auth["client_token"]
    await _ok(server, "POST", f"identity/entity/id/{entity_id}", {"disabled": True})
    assert (await server.call("GET", "auth/token/lookup-self", token=token)).status_code == 403
    role_id = (await _ok(server, "GET", "auth/approle/role/r1/role-id"))["data"]["role_id"]
    secret = (await _ok(server, "POST", "auth/approle/role/r1/secret-id", {}))["data"]["secret_id"]
    refused = await server.call(
        "POST", "auth/approle/login", {"role_id": role_id, "secret_id": secret}, token=None
    )
    assert (refused.status_code, refused.json()) == (403, {"errors": ["permission denied"]})
    await _ok(server, "POST", f"identity/entity/id/{entity_id}", {"disabled": False})
    assert (await server.call("GET", "auth/token/lookup-self", token=token)).status_code == 200
    await _ok(server, "DELETE", f"identity/entity/id/{entity_id}")
    assert (await server.call("GET", "auth/token/lookup-self", token=token)).status_code == 403


async def test_another_worker_sees_a_disabled_entity_and_changed_policies(
    server: Server, role: str
) -> None:
    del role
    other = Core(
        physical=server.core.physical,
        keeper=server.core.keeper,
        clock=server.clock,
        backends=catalogue(),
    )
    await other.start()
    auth = await _login(server)
    entity_id, token = auth["entity_id"], auth["client_token"]
    await _ok(server, "PUT", "sys/policy/ep", {"policy": READ_ALL_POLICIES})
    probe = Request(id="r", operation=Operation.READ, path="sys/policy/ep", data={}, token=token)
    with pytest.raises(PermissionDenied):
        await other.handle(probe)
    await _ok(server, "POST", f"identity/entity/id/{entity_id}", {"policies": ["ep"]})
    assert (await other.handle(probe)).data is not None  # the other worker's cache moved on
    await _ok(server, "POST", f"identity/entity/id/{entity_id}", {"disabled": True})
    with pytest.raises(PermissionDenied):
        await other.handle(probe)


async def test_external_groups_follow_the_groups_a_method_vouches_for(
    server: Server, accessor: str
) -> None:
    """A log-in's `group_aliases` (JWT's groups claim, LDAP's groups) set the entity's
    memberships of the external groups aliased on that mount, at each log-in."""
    core = server.core
    ext = await _ok(
        server, "POST", "identity/group", {"name": "ext", "type": "external", "policies": ["xp"]}
    )
    ext_id = ext["data"]["id"]
    alias = {"name": "devs", "mount_accessor": accessor, "canonical_id": ext_id}
    await _ok(server, "POST", "identity/group-alias", alias)
    mounted, _ = core.mounts.route("auth/approle/login") or (None, "")
    assert mounted is not None
    login = Login(policies=("default",), alias_name="u1", group_aliases=("devs", "other"))
    entity_id = await identity.login_entity(core, login, mounted)
    group = (await _ok(server, "GET", f"identity/group/id/{ext_id}"))["data"]
    assert group["member_entity_ids"] == [entity_id]
    assert await identity.identity_policies(core, _token(entity_id)) == ("xp",)
    left = Login(policies=("default",), alias_name="u1", alias_metadata={"k": "v"})
    assert await identity.login_entity(core, left, mounted) == entity_id
    group = (await _ok(server, "GET", f"identity/group/id/{ext_id}"))["data"]
    assert group["member_entity_ids"] is None
    assert await identity.identity_policies(core, _token(entity_id)) == ()
    entity = (await _ok(server, "GET", f"identity/entity/id/{entity_id}"))["data"]
    assert entity["aliases"][0]["metadata"] == {"k": "v"}


def _token(entity_id: str) -> TokenEntry:
    return TokenEntry(entity_id=entity_id, policies=("default",))


async def test_concurrent_first_log_ins_make_one_entity(server: Server, accessor: str) -> None:
    del accessor
    mounted, _ = server.core.mounts.route("auth/approle/login") or (None, "")
    assert mounted is not None
    login = Login(policies=("default",), alias_name="same")
    ids = await asyncio.gather(
        *(identity.login_entity(server.core, login, mounted) for _ in range(8))
    )
    assert len(set(ids)) == 1
    listed = (await _ok(server, "LIST", "identity/entity/id"))["data"]["keys"]
    assert listed == [ids[0]]


async def test_a_child_token_inherits_the_entity_an_orphan_does_not(server: Server) -> None:
    policy = 'path "auth/token/create*" { capabilities = ["create", "update", "sudo"] }'
    await _ok(server, "PUT", "sys/policy/tc", {"policy": policy})
    await _ok(server, "POST", "sys/auth/approle", {"type": "approle"})
    await _ok(server, "POST", "auth/approle/role/r1", {"token_policies": "default,tc"})
    auth = await _login(server)
    child = await server.call(
        "POST", "auth/token/create", {"policies": ["default"]}, token=auth["client_token"]
    )
    assert child.json()["auth"]["entity_id"] == auth["entity_id"]
    orphan = await server.call(
        "POST", "auth/token/create-orphan", {"policies": ["default"]}, token=auth["client_token"]
    )
    assert orphan.json()["auth"]["entity_id"] == ""
