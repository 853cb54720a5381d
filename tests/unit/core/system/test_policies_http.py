"""ACL policies end to end: sys/policy CRUD, enforcement in the pipeline, capabilities."""

from __future__ import annotations

from support.inproc import Server

READ_MOUNTS = """
path "sys/mounts" {
  capabilities = ["read"]
}
path "sys/mounts/*" {
  capabilities = ["deny"]
}
"""


async def token_with(server: Server, *policies: str) -> str:
    resp = await server.call("POST", "auth/token/create", {"policies": list(policies)})
    assert resp.status_code == 200, resp.text
    token: str = resp.json()["auth"]["client_token"]
    return token


async def test_policy_crud_both_apis(server: Server) -> None:
    assert (
        await server.call("PUT", "sys/policy/reader", {"policy": READ_MOUNTS})
    ).status_code == 204
    legacy = (await server.call("GET", "sys/policy/reader")).json()
    assert legacy["data"]["rules"] == READ_MOUNTS
    assert legacy["rules"] == READ_MOUNTS  # top-level copy, as Vault
    listed = (await server.call("GET", "sys/policy")).json()["data"]
    assert listed["policies"] == ["default", "reader", "root"]
    acl = (await server.call("GET", "sys/policies/acl/reader")).json()["data"]
    assert acl == {"name": "reader", "policy": READ_MOUNTS}
    keys = (await server.call("LIST", "sys/policies/acl")).json()["data"]["keys"]
    assert "reader" in keys
    assert (await server.call("DELETE", "sys/policies/acl/reader")).status_code == 204
    assert (await server.call("GET", "sys/policy/reader")).status_code == 404


async def test_builtin_policies_are_protected(server: Server) -> None:
    assert (await server.call("PUT", "sys/policy/root", {"policy": READ_MOUNTS})).status_code == 400
    assert (await server.call("DELETE", "sys/policy/default")).status_code == 400
    assert (await server.call("DELETE", "sys/policy/root")).status_code == 400
    bad = await server.call("PUT", "sys/policy/broken", {"policy": 'path "x" { capabilities = ['})
    assert bad.status_code == 400


async def test_enforcement_deny_wins_and_default_policy(server: Server) -> None:
    await server.call("PUT", "sys/policy/reader", {"policy": READ_MOUNTS})
    token = await token_with(server, "reader")
    assert (await server.call("GET", "sys/mounts", token=token)).status_code == 200
    assert (await server.call("GET", "sys/mounts/sys", token=token)).status_code == 403
    assert (await server.call("GET", "sys/auth", token=token)).status_code == 403
    # the default policy lets every token look itself up
    assert (await server.call("GET", "auth/token/lookup-self", token=token)).status_code == 200
    forbidden = await server.call("GET", "sys/auth", token=token)
    missing = await server.call("GET", "no/such/mount", token=token)
    assert forbidden.json() == missing.json() == {"errors": ["permission denied"]}


async def test_policy_change_is_seen_at_once(server: Server) -> None:
    token = await token_with(server, "later")
    assert (await server.call("GET", "sys/mounts", token=token)).status_code == 403
    await server.call("PUT", "sys/policy/later", {"policy": READ_MOUNTS})
    assert (await server.call("GET", "sys/mounts", token=token)).status_code == 200
    await server.call("DELETE", "sys/policy/later")
    assert (await server.call("GET", "sys/mounts", token=token)).status_code == 403


async def test_sudo_paths_need_sudo(server: Server) -> None:
    everything = 'path "sys/*" { capabilities = ["create", "read", "update", "delete", "list"] }'
    await server.call("PUT", "sys/policy/almost", {"policy": everything})
    token = await token_with(server, "almost")
    assert (await server.call("PUT", "sys/seal", token=token)).status_code == 403
    assert (await server.call("PUT", "sys/rotate", token=token)).status_code == 403
    sudo = 'path "sys/rotate" { capabilities = ["update", "sudo"] }'
    await server.call("PUT", "sys/policy/rotator", {"policy": sudo})
    rotator = await token_with(server, "rotator")
    assert (await server.call("PUT", "sys/rotate", token=rotator)).status_code == 204


async def test_capabilities_endpoints(server: Server) -> None:
    await server.call("PUT", "sys/policy/reader", {"policy": READ_MOUNTS})
    created = await server.call("POST", "auth/token/create", {"policies": ["reader"]})
    token, accessor = created.json()["auth"]["client_token"], created.json()["auth"]["accessor"]
    body = {"token": token, "paths": ["sys/mounts", "sys/mounts/x", "other"]}
    caps = (await server.call("POST", "sys/capabilities", body)).json()["data"]
    assert caps["sys/mounts"] == ["read"]
    assert caps["sys/mounts/x"] == ["deny"]
    assert caps["other"] == ["deny"]
    mine = await server.call("POST", "sys/capabilities-self", {"path": "sys/mounts"}, token=token)
    assert mine.json()["data"]["capabilities"] == ["read"]
    by_accessor = await server.call(
        "POST", "sys/capabilities-accessor", {"accessor": accessor, "paths": ["sys/mounts"]}
    )
    assert by_accessor.json()["data"]["sys/mounts"] == ["read"]
    root_caps = await server.call("POST", "sys/capabilities-self", {"paths": ["anything"]})
    assert root_caps.json()["data"]["anything"] == ["root"]


async def test_templated_policy_uses_entity_metadata(server: Server) -> None:
    """Templates fill from the token's entity (tests/unit/engines/identity/test_templates.py
    has the rest); a token's own metadata is not its entity's, as in Vault."""
    template = 'path "sys/policy/{{identity.entity.metadata.team}}" { capabilities = ["read"] }'
    await server.call("PUT", "sys/policy/team-scoped", {"policy": template})
    await server.call("PUT", "sys/policy/blue", {"policy": READ_MOUNTS})
    resp = await server.call(
        "POST", "auth/token/create", {"policies": ["team-scoped"], "meta": {"team": "blue"}}
    )
    token = resp.json()["auth"]["client_token"]
    assert (await server.call("GET", "sys/policy/blue", token=token)).status_code == 403


async def test_child_policies_must_be_a_subset(server: Server) -> None:
    await server.call(
        "PUT",
        "sys/policy/maker",
        {"policy": 'path "auth/token/create" { capabilities = ["update"] }'},
    )
    maker = await token_with(server, "maker")
    ok = await server.call("POST", "auth/token/create", {"policies": ["maker"]}, token=maker)
    assert ok.status_code == 200
    wider = await server.call("POST", "auth/token/create", {"policies": ["root"]}, token=maker)
    assert wider.status_code == 400


async def test_create_versus_update_follows_existence(server: Server) -> None:
    await server.call("POST", "sys/mounts/secret", {"type": "kv", "options": {"version": "2"}})
    create_only = 'path "secret/data/*" { capabilities = ["create"] }'
    await server.call("PUT", "sys/policy/creator", {"policy": create_only})
    token = await token_with(server, "creator")
    first = await server.call("POST", "secret/data/app", {"data": {"a": "1"}}, token=token)
    assert first.status_code == 200
    again = await server.call("POST", "secret/data/app", {"data": {"a": "2"}}, token=token)
    assert again.status_code == 403  # the secret exists now: this is an update
    update_only = 'path "secret/data/*" { capabilities = ["update"] }'
    await server.call("PUT", "sys/policy/updater", {"policy": update_only})
    updater = await token_with(server, "updater")
    fresh = await server.call("POST", "secret/data/new", {"data": {"a": "1"}}, token=updater)
    assert fresh.status_code == 403
    assert (
        await server.call("POST", "secret/data/app", {"data": {"b": "1"}}, token=updater)
    ).status_code == 200


async def test_read_only_token_cannot_list_or_destroy(server: Server) -> None:
    await server.call("POST", "sys/mounts/secret", {"type": "kv", "options": {"version": "2"}})
    await server.call("POST", "secret/data/app/db", {"data": {"pw": "x"}})
    reader = 'path "secret/data/app/*" { capabilities = ["read"] }'
    await server.call("PUT", "sys/policy/app-reader", {"policy": reader})
    token = await token_with(server, "app-reader")
    assert (await server.call("GET", "secret/data/app/db", token=token)).status_code == 200
    assert (await server.call("LIST", "secret/metadata/app", token=token)).status_code == 403
    destroy = await server.call("POST", "secret/destroy/app/db", {"versions": [1]}, token=token)
    assert destroy.status_code == 403


async def test_resultant_acl(server: Server) -> None:
    await server.call("PUT", "sys/policy/reader", {"policy": READ_MOUNTS})
    token = await token_with(server, "reader")
    body = (await server.call("GET", "sys/internal/ui/resultant-acl", token=token)).json()["data"]
    assert body["root"] is False
    assert body["exact_paths"]["sys/mounts"] == {"capabilities": ["read"]}
    assert body["glob_paths"]["sys/mounts/"] == {"capabilities": ["deny"]}
    assert "auth/token/lookup-self" in body["exact_paths"]  # from the default policy
    root = (await server.call("GET", "sys/internal/ui/resultant-acl")).json()["data"]
    assert root["root"] is True
