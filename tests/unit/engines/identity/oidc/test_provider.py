"""The OIDC provider: its objects as OpenBao 2.7.2 renders them, and the authorization code
flow end to end (authorize with the user's token, token exchange by the client with its secret
or PKCE, the ID token verified offline from the provider's JWKS, userinfo)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from support.oidc import API_ADDR, Entity
from unit.engines.identity.oidc.oidc_api import MOUNT, OidcApi, verified

REDIRECT = "http://127.0.0.1:9999/cb"
BOB = Entity(
    id="e-bob", name="bob", metadata={"team": "ops"}, group_ids=("g1",), group_names=("admins",)
)
ISSUER = f"{API_ADDR}/v1/identity/oidc/provider/p1"


def _s256(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


async def _open(api: OidcApi, method: str, path: str, body: Any = None, **kw: Any) -> Any:
    resp = await api.server.call(method, f"{MOUNT}/{path}", body, token=None, **kw)
    return resp.status_code, resp.json()


async def _setup(api: OidcApi, client_type: str = "confidential") -> dict[str, Any]:
    await api.key("pk", algorithm="ES256", allowed_client_ids="*")
    await api.expect(
        "POST",
        "scope/groups",
        {"template": '{"groups": {{identity.entity.groups.names}}}', "description": "g"},
        204,
    )
    await api.expect("POST", "assignment/ops", {"entity_ids": BOB.id}, 204)
    body = {
        "redirect_uris": REDIRECT,
        "assignments": "ops",
        "key": "pk",
        "id_token_ttl": "30m",
        "access_token_ttl": "1h",
        "client_type": client_type,
    }
    await api.expect("POST", "client/app", body, 204)
    client: dict[str, Any] = (await api.get("client/app"))["data"]
    await api.expect(
        "POST",
        "provider/p1",
        {"allowed_client_ids": client["client_id"], "scopes_supported": "groups"},
        204,
    )
    return client


async def test_objects_render_as_openbao_does(api: OidcApi) -> None:
    client = await _setup(api)
    assert len(client.pop("client_id")) == 32
    assert client.pop("client_secret").startswith("hvo_secret_")
    assert client == {
        "access_token_ttl": 3600,
        "assignments": ["ops"],
        "authorization_code": True,
        "client_credentials": False,
        "client_type": "confidential",
        "id_token_ttl": 1800,
        "key": "pk",
        "redirect_uris": [REDIRECT],
    }
    assert (await api.get("scope/groups"))["data"] == {
        "description": "g",
        "template": '{"groups": {{identity.entity.groups.names}}}',
    }
    assert (await api.get("assignment/allow_all"))["data"] == {
        "entity_ids": ["*"],
        "group_ids": ["*"],
    }
    assert (await api.expect("LIST", "assignment"))["data"] == {"keys": ["allow_all", "ops"]}
    assert (await api.get("provider/default"))["data"] == {
        "allowed_client_ids": ["*"],
        "issuer": f"{API_ADDR}/v1/identity/oidc/provider/default",
        "scopes_supported": [],
    }
    listed = (await api.expect("LIST", "provider?allowed_client_id=nobody"))["data"]
    assert listed["keys"] == ["default"]
    assert (await api.error("POST", "scope/openid", {})) == 'the "openid" scope name is reserved'
    assert await api.error("POST", "client/c2", {"assignments": "nope"}) == (
        "assignment does not exist"
    )
    assert await api.error("POST", "provider/p2", {"scopes_supported": "nope"}) == (
        "scope does not exist"
    )
    assert (await api.error("DELETE", "scope/groups")).startswith("unable to delete scope")
    assert await api.error("DELETE", "key/pk") == (
        "unable to delete key because it is currently referenced by these clients: app"
    )
    assert await api.error("DELETE", "assignment/allow_all") == (
        'deletion of assignment "allow_all" not allowed'
    )
    assert await api.error("DELETE", "provider/default") == (
        'deletion of OIDC provider "default" not allowed'
    )
    public = {"client_type": "public", "redirect_uris": REDIRECT}
    await api.expect("POST", "client/pub", public, 204)
    assert "client_secret" not in (await api.get("client/pub"))["data"]


async def test_discovery_and_keys_need_no_token(api: OidcApi) -> None:
    await _setup(api)
    status, document = await _open(api, "GET", "provider/p1/.well-known/openid-configuration")
    assert status == 200
    assert document["issuer"] == ISSUER
    assert document["token_endpoint"] == f"{ISSUER}/token"
    assert document["authorization_endpoint"] == (
        f"{API_ADDR}/ui/vault/identity/oidc/provider/p1/authorize"
    )
    assert document["scopes_supported"] == ["groups", "openid"]
    status, jwks = await _open(api, "GET", "provider/p1/.well-known/keys")
    assert status == 200
    assert {k["alg"] for k in jwks["keys"]} == {"ES256"}
    status, _ = await _open(api, "GET", "provider/p1")
    assert status == 403  # only the well-known, token and userinfo paths are open


def _minimal(client: dict[str, Any]) -> dict[str, str]:
    """The fewest fields a valid authorization request sends."""
    return {
        "client_id": client["client_id"],
        "scope": "openid",
        "redirect_uri": REDIRECT,
        "response_type": "code",
    }


async def _code(api: OidcApi, client: dict[str, Any], bearer: str, **extra: str) -> str:
    query = {
        **_minimal(client),
        "scope": "openid groups",
        "state": "st",
        "nonce": "n0",
        **extra,
    }
    answer = await api.expect("POST", "provider/p1/authorize", query, token=bearer)
    assert answer["state"] == "st"
    code: str = answer["code"]
    return code


async def test_the_code_flow_with_a_confidential_client(api: OidcApi) -> None:
    client = await _setup(api)
    bearer = await api.add_entity(BOB)
    code = await _code(api, client, bearer)
    basic = base64.b64encode(f"{client['client_id']}:{client['client_secret']}".encode()).decode()
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    status, tokens = await _open(
        api, "POST", "provider/p1/token", exchange, headers={"Authorization": f"Basic {basic}"}
    )
    assert status == 200, tokens
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 3600
    _, jwks = await _open(api, "GET", "provider/p1/.well-known/keys")
    claims = verified(tokens["id_token"], jwks, client["client_id"], api.server.clock.now())
    assert claims["iss"] == ISSUER
    assert claims["sub"] == BOB.id
    assert claims["nonce"] == "n0"
    assert claims["groups"] == ["admins"]
    assert claims["exp"] - claims["iat"] == 1800
    for claim, value in (("at_hash", tokens["access_token"]), ("c_hash", code)):
        digest = hashlib.sha256(value.encode()).digest()[:16]
        assert claims[claim] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert "auth_time" not in claims  # only when the client sends max_age, as in OpenBao
    status, again = await _open(
        api, "POST", "provider/p1/token", exchange, headers={"Authorization": f"Basic {basic}"}
    )
    assert (status, again["error"]) == (400, "invalid_grant")  # a code is redeemed once
    status, info = await _open(
        api,
        "GET",
        "provider/p1/userinfo",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert (status, info) == (200, {"sub": BOB.id, "groups": ["admins"]})
    api.server.clock.advance(3601)
    status, info = await _open(
        api,
        "GET",
        "provider/p1/userinfo",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert (status, info["error"]) == (401, "invalid_token")


async def test_a_wrong_secret_and_a_code_as_access_token_are_refused(api: OidcApi) -> None:
    client = await _setup(api)
    code = await _code(api, client, await api.add_entity(BOB))
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": client["client_id"],
        "client_secret": "hvo_secret_wrong",
    }
    status, refused = await _open(api, "POST", "provider/p1/token", exchange)
    assert (status, refused["error"]) == (401, "invalid_client")
    basic = {"Authorization": "Basic \u00e9t\u00e9".encode("latin-1")}  # was a 500
    status, refused = await _open(api, "POST", "provider/p1/token", exchange, headers=basic)
    assert (status, refused["error"]) == (401, "invalid_client")
    status, _ = await _open(
        api, "GET", "provider/p1/userinfo", headers={"Authorization": f"Bearer {code}"}
    )
    assert status == 401
    exchange["client_secret"] = client["client_secret"]  # client_secret_post, as a form
    resp = await api.server.call(
        "POST", f"{MOUNT}/provider/p1/token", None, token=None, data=exchange
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["token_type"] == "Bearer"


async def test_a_public_client_needs_pkce(api: OidcApi) -> None:
    client = await _setup(api, client_type="public")
    bearer = await api.add_entity(BOB)
    query = _minimal(client)
    refused = await api.expect("POST", "provider/p1/authorize", query, 400, token=bearer)
    assert refused == {
        "error": "invalid_request",
        "error_description": "PKCE is required for public clients",
    }
    verifier = "v" * 50
    code = await _code(
        api, client, bearer, code_challenge=_s256(verifier), code_challenge_method="S256"
    )
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "client_id": client["client_id"],
        "code_verifier": "w" * 50,
    }
    status, wrong = await _open(api, "POST", "provider/p1/token", exchange)
    assert (status, wrong["error"]) == (400, "invalid_grant")
    code = await _code(
        api, client, bearer, code_challenge=_s256(verifier), code_challenge_method="S256"
    )
    exchange |= {"code": code, "code_verifier": verifier}
    status, tokens = await _open(api, "POST", "provider/p1/token", exchange)
    assert status == 200, tokens


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"scope": "groups"}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"redirect_uri": "http://evil/cb"}, "invalid_redirect_uri"),
        ({"client_id": "nope"}, "invalid_client_id"),
    ],
)
async def test_bad_authorization_requests(api: OidcApi, change: dict[str, str], error: str) -> None:
    client = await _setup(api)
    bearer = await api.add_entity(BOB)
    query = _minimal(client) | change
    answer = await api.expect(
        "POST", "provider/p1/authorize", query | {"state": "st"}, 400, token=bearer
    )
    assert answer["error"] == error
    assert answer["state"] == "st"  # echoed on errors too, as OpenBao does


async def test_only_assigned_entities_are_authorized(api: OidcApi) -> None:
    client = await _setup(api)
    stranger = await api.add_entity(Entity(id="e-x", name="x"))
    query = _minimal(client)
    answer = await api.expect("POST", "provider/p1/authorize", query, 400, token=stranger)
    assert answer == {
        "error": "access_denied",
        "error_description": "identity entity not authorized by client assignment",
    }
    root = await api.expect("POST", "provider/p1/authorize", query, 400)
    assert root["error"] == "access_denied"  # the root token has no entity
