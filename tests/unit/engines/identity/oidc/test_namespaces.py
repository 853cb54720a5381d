"""Tenants are hard boundaries (DESIGN.md invariant 6): the keys, roles and JWKS of one
namespace's OIDC issuer are invisible from another, and its tokens name its own namespace and
issuer."""

from __future__ import annotations

from typing import Any

import httpx

from support.oidc import API_ADDR, HARNESS, Entity, entity_token, harness
from unit.engines.identity.oidc.oidc_api import MOUNT, OidcApi, verified


async def _in(api: OidcApi, ns: str, method: str, path: str, body: Any = None) -> httpx.Response:
    headers = {"X-Vault-Namespace": ns}
    return await api.server.call(method, f"{MOUNT}/{path}", body, headers=headers)


async def test_one_namespaces_keys_and_roles_are_invisible_from_another(api: OidcApi) -> None:
    for ns in ("team-a", "team-b"):
        assert (await api.server.call("POST", f"sys/namespaces/{ns}")).status_code == 200
        mounted = await api.server.call(
            "POST", f"sys/mounts/{MOUNT}", {"type": HARNESS}, headers={"X-Vault-Namespace": ns}
        )
        assert mounted.status_code == 204, mounted.text
    key = {"allowed_client_ids": "*", "verification_ttl": "1h", "rotation_period": "1h"}
    assert (await _in(api, "team-a", "POST", "key/secret-key", key)).status_code == 204
    role = {"key": "secret-key", "ttl": "1h"}
    assert (await _in(api, "team-a", "POST", "role/secret-role", role)).status_code == 204
    for method, path in (("GET", "key/secret-key"), ("GET", "role/secret-role")):
        assert (await _in(api, "team-b", method, path)).status_code == 404
        assert (await api.call(method, path)).status_code == 404  # nor from the root
    assert (await _in(api, "team-b", "LIST", "role")).status_code == 404
    assert (await _in(api, "team-b", "LIST", "key")).json()["data"] == {"keys": ["default"]}
    b_jwks = (await _in(api, "team-b", "GET", ".well-known/keys")).json()
    assert b_jwks == {"keys": []}

    team_a = (await api.server.call("GET", "sys/namespaces/team-a")).json()["data"]
    backend = await harness(api.server, f"{MOUNT}/", "team-a/")
    backend.directory.add(Entity(id="ea", name="alice", namespace_id=team_a["id"]))
    bearer = await entity_token(api.server, "ea", namespace_id=team_a["id"])
    minted = await _in(api, "team-a", "GET", "token/secret-role")
    assert minted.status_code == 400  # the root token has no entity
    headers = {"X-Vault-Namespace": "team-a", "X-Vault-Token": bearer}
    minted = await api.server.client.get(f"/v1/{MOUNT}/token/secret-role", headers=headers)
    assert minted.status_code == 200, minted.text
    data = minted.json()["data"]
    a_jwks = (await _in(api, "team-a", "GET", ".well-known/keys")).json()
    claims = verified(data["token"], a_jwks, data["client_id"], api.server.clock.now())
    assert claims["iss"] == f"{API_ADDR}/v1/team-a/identity/oidc"
    assert claims["namespace"] == "team-a"
    from_b = await _in(api, "team-b", "POST", "introspect", {"token": data["token"]})
    assert from_b.json() == {"active": False, "error": "unable to validate the token signature"}
    b_token = await api.server.client.get(
        f"/v1/{MOUNT}/token/secret-role", headers={**headers, "X-Vault-Namespace": "team-b"}
    )
    assert b_token.status_code in (400, 403)
