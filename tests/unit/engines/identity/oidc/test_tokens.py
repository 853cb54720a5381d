"""Signed ID tokens end to end: minted for the caller's entity, verified offline from the JWKS
alone with PyJWT, refused by the wrong key, expired by the clock, and still verifiable after a
rotation for the key's verification_ttl (api-docs/secret/identity/tokens)."""

from __future__ import annotations

import jwt
import pytest

from support.oidc import API_ADDR, Alias, Entity, harness
from unit.engines.identity.oidc.oidc_api import OidcApi, verified

ALICE = Entity(
    id="7d3d5b3c-0000-4000-8000-000000000001",
    name="alice",
    metadata={"team": "ops"},
    aliases=(Alias(id="a1", mount_accessor="auth_userpass_1", name="al", metadata={"k": "v"}),),
    group_ids=("g1",),
    group_names=("admins",),
)
TEMPLATE = (
    '{"team": {{identity.entity.metadata.team}}, "groups": {{identity.entity.groups.names}},'
    ' "alias": {{identity.entity.aliases.auth_userpass_1.metadata.k}},'
    ' "later": {{time.now.plus.1h}}, "who": {{identity.entity.name}}}'
)


async def _minted(api: OidcApi, algorithm: str = "RS256", **role: object) -> dict[str, object]:
    await api.key("k", algorithm=algorithm, allowed_client_ids="*")
    await api.role("r", key="k", ttl="1h", **role)
    return await api.token("r", await api.add_entity(ALICE))


@pytest.mark.parametrize(
    "algorithm", ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "EdDSA"]
)
async def test_a_token_verifies_offline_from_the_jwks_alone(api: OidcApi, algorithm: str) -> None:
    minted = await _minted(api, algorithm, template=TEMPLATE)
    now = api.server.clock.now()
    claims = verified(str(minted["token"]), await api.jwks(), str(minted["client_id"]), now)
    assert claims == {
        "iss": f"{API_ADDR}/v1/identity/oidc",
        "sub": ALICE.id,
        "aud": minted["client_id"],
        "iat": int(now),
        "exp": int(now) + 3600,
        "namespace": "root",
        "team": "ops",
        "groups": ["admins"],
        "alias": "v",
        "later": int(now) + 3600,
        "who": "alice",
    }
    assert minted["ttl"] == 3600
    assert jwt.get_unverified_header(str(minted["token"]))["alg"] == algorithm


async def test_a_token_fails_with_another_keys_jwks(api: OidcApi) -> None:
    minted = await _minted(api)
    await api.key("other", allowed_client_ids="*")
    await api.role("r2", key="other", ttl="1h")
    other = [k for k in (await api.jwks())["keys"] if k["kid"] != _kid(minted)]
    forged = {"keys": [{**k, "kid": _kid(minted)} for k in other[:1]]}
    with pytest.raises(jwt.InvalidSignatureError):
        verified(str(minted["token"]), forged, str(minted["client_id"]), api.server.clock.now())


def _kid(minted: dict[str, object]) -> str:
    return str(jwt.get_unverified_header(str(minted["token"]))["kid"])


async def test_a_token_expires_with_the_clock_and_introspection_says_so(api: OidcApi) -> None:
    minted = await _minted(api)
    token, audience = str(minted["token"]), str(minted["client_id"])
    assert await api.introspect(token, audience) == {"active": True}
    api.server.clock.advance(3600 + 61)  # past exp and go-jose's one-minute leeway
    with pytest.raises(jwt.ExpiredSignatureError):
        verified(token, await api.jwks(), audience, api.server.clock.now())
    assert await api.introspect(token) == {
        "active": False,
        "error": "error validating claims: go-jose/go-jose/jwt: validation failed, "
        "token is expired (exp)",
    }


async def test_introspection_refuses_a_tampered_token_and_a_wrong_audience(api: OidcApi) -> None:
    token = str((await _minted(api))["token"])
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload}.{signature[:-4]}AAAA"
    assert await api.introspect(tampered) == {
        "active": False,
        "error": "unable to validate the token signature",
    }
    assert (await api.introspect(token, "someone-else"))["error"].endswith(
        "invalid audience claim (aud)"
    )
    assert (await api.introspect("abc"))["active"] is False


async def test_a_rotated_key_stays_published_for_its_verification_ttl(api: OidcApi) -> None:
    await api.key("k", allowed_client_ids="*", verification_ttl="2h", rotation_period="1h")
    await api.role("r", key="k", ttl="1h")
    bearer = await api.add_entity(ALICE)
    first = await api.token("r", bearer)
    published = {k["kid"] for k in (await api.jwks())["keys"]}
    assert len(published) == 2  # signing and next, as Vault publishes both
    await api.expect("POST", "key/k/rotate", {}, 204)
    second = await api.token("r", bearer)
    assert _kid(second) != _kid(first)
    assert _kid(second) in published  # the next key was published before it signed
    clock, backend = api.server.clock, await harness(api.server)
    for minted in (first, second):
        verified(str(minted["token"]), await api.jwks(), str(minted["client_id"]), clock.now())
    clock.advance(2 * 3600 + 1)
    await backend.tick()  # the scheduler's round: expiry and the hourly rotation
    kids = {k["kid"] for k in (await api.jwks())["keys"]}
    assert _kid(first) not in kids  # retired 2h+1s ago with a 2h verification_ttl
    assert _kid(second) in kids  # retired by this tick's rotation: published 2h more
    assert len(kids) == 3


async def test_the_tick_rotates_on_the_rotation_period(api: OidcApi) -> None:
    await api.key("k", allowed_client_ids="*", rotation_period="1m", verification_ttl="1m")
    await api.role("r", key="k", ttl="1m")
    bearer = await api.add_entity(ALICE)
    before = _kid(await api.token("r", bearer))
    backend = await harness(api.server)
    await backend.tick()
    assert _kid(await api.token("r", bearer)) == before  # not due yet
    api.server.clock.advance(61)
    await backend.tick()
    after = _kid(await api.token("r", bearer))
    assert after != before
    assert before in {k["kid"] for k in (await api.jwks())["keys"]}  # within verification_ttl
    api.server.clock.advance(61)
    await backend.tick()
    assert before not in {k["kid"] for k in (await api.jwks())["keys"]}


async def test_tokens_need_an_entity_an_allowed_client_and_a_role(api: OidcApi) -> None:
    await api.key("k")  # allowed_client_ids empty: no role may use it
    await api.role("r", key="k", ttl="1h")
    assert await api.error("GET", "token/r") == "no entity associated with the request's token"
    bearer = await api.add_entity(ALICE)
    denied = await api.expect("GET", "token/r", status=400, token=bearer)
    assert denied["errors"] == ["the role's key does not list the role's client ID as allowed"]
    missing = await api.expect("GET", "token/nope", status=400, token=bearer)
    assert missing["errors"] == ["role not found"]
    disabled = await api.add_entity(Entity(id="e-off", name="off", disabled=True))
    assert (await api.expect("GET", "token/r", status=400, token=disabled))["errors"] == [
        "no entity associated with the request's token"
    ]


async def test_discovery_and_jwks_answer_without_a_token(api: OidcApi) -> None:
    resp = await api.server.call(
        "GET", "identity-oidc/.well-known/openid-configuration", token=None
    )
    assert resp.status_code == 200
    assert resp.json() == {
        "issuer": f"{API_ADDR}/v1/identity/oidc",
        "jwks_uri": f"{API_ADDR}/v1/identity/oidc/.well-known/keys",
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [
            "RS256",
            "RS384",
            "RS512",
            "ES256",
            "ES384",
            "ES512",
            "EdDSA",
        ],
    }
    assert await api.jwks() == {"keys": []}  # no role uses a key yet, as in OpenBao
