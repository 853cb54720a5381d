"""Entities and groups are per namespace: a log-in in a namespace makes its entity there, and
nothing of one namespace's identity store is reachable from another (DESIGN.md invariant 6;
the tenant-isolation sweep probes every identity route too)."""

from __future__ import annotations

from typing import Any

from support.inproc import Server


async def _ok(server: Server, method: str, path: str, body: Any = None, ns: str = "") -> Any:
    headers = {"X-Vault-Namespace": ns} if ns else {}
    resp = await server.call(method, path, body, headers=headers)
    assert resp.status_code in (200, 204), (path, resp.text)
    return None if resp.status_code == 204 else resp.json()


async def test_each_namespace_has_its_own_identity_store(server: Server) -> None:
    for ns in ("team-a", "team-b"):
        await _ok(server, "POST", f"sys/namespaces/{ns}")
    made = await _ok(server, "POST", "identity/entity", {"name": "alice"}, ns="team-a")
    entity_id = made["data"]["id"]
    read = await _ok(server, "GET", f"identity/entity/id/{entity_id}", ns="team-a")
    namespace_id = (await _ok(server, "GET", "sys/namespaces/team-a"))["data"]["id"]
    assert read["data"]["namespace_id"] == namespace_id
    for ns in ("team-b", ""):
        headers = {"X-Vault-Namespace": ns} if ns else {}
        missing = await server.call("GET", f"identity/entity/id/{entity_id}", headers=headers)
        assert missing.status_code == 404
        by_name = await server.call("GET", "identity/entity/name/alice", headers=headers)
        assert by_name.status_code == 404
    group = {"name": "g", "member_entity_ids": [entity_id]}
    refused = await server.call(
        "POST", "identity/group", group, headers={"X-Vault-Namespace": "team-b"}
    )
    assert refused.status_code == 400


async def test_a_log_in_in_a_namespace_makes_its_entity_there(server: Server) -> None:
    await _ok(server, "POST", "sys/namespaces/team-a")
    ns = "team-a"
    await _ok(server, "POST", "sys/auth/approle", {"type": "approle"}, ns=ns)
    await _ok(server, "POST", "auth/approle/role/r", {"token_policies": ["default"]}, ns=ns)
    role_id = (await _ok(server, "GET", "auth/approle/role/r/role-id", ns=ns))["data"]["role_id"]
    secret = (await _ok(server, "POST", "auth/approle/role/r/secret-id", {}, ns=ns))["data"]
    login = {"role_id": role_id, "secret_id": secret["secret_id"]}
    resp = await server.call(
        "POST", "auth/approle/login", login, token=None, headers={"X-Vault-Namespace": ns}
    )
    entity_id = resp.json()["auth"]["entity_id"]
    assert (await _ok(server, "GET", f"identity/entity/id/{entity_id}", ns=ns))["data"]["aliases"]
    assert (await server.call("GET", f"identity/entity/id/{entity_id}")).status_code == 404
    token = resp.json()["auth"]["client_token"]
    looked = await server.call(
        "GET", "auth/token/lookup-self", token=token, headers={"X-Vault-Namespace": ns}
    )
    assert looked.json()["data"]["entity_id"] == entity_id
