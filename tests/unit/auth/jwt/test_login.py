"""JWT log-in (`login`, api-docs/auth/jwt "JWT Login") against keys served by a real provider's
JWKS over HTTPS: claims checks, leeways on the manual clock, algorithm confusion, key rotation,
and what the core is handed (alias, its metadata, the group names)."""

from __future__ import annotations

import asyncio
import base64
import hmac
import json
from typing import Any

import pytest

from strongroom.auth.jwt.keys import REFETCH_BUDGET
from strongroom.logical import Operation, Request
from support.inproc import Server
from support.oidc_provider import CLIENT_ID, OidcProvider
from unit.auth.jwt.conftest import mount


async def _jwks_config(server: Server, provider: OidcProvider, **extra: Any) -> None:
    await mount(server)
    config = {"jwks_url": provider.issuer + "/jwks", "jwks_ca_pem": provider.ca_pem, **extra}
    resp = await server.call("POST", "auth/jwt/config", config)
    assert resp.status_code == 204, resp.text


async def _role(server: Server, name: str = "ci", **fields: Any) -> None:
    body = {
        "role_type": "jwt",
        "user_claim": "sub",
        "bound_audiences": [CLIENT_ID],
        "groups_claim": "groups",
        "claim_mappings": {"email": "email"},
        "token_policies": "ci",
        **fields,
    }
    resp = await server.call("POST", f"auth/jwt/role/{name}", body)
    assert resp.status_code == 204, resp.text


async def _login(server: Server, token: str, role: str = "ci") -> tuple[int, Any]:
    resp = await server.call("POST", "auth/jwt/login", {"role": role, "jwt": token}, token=None)
    return resp.status_code, resp.json()


def _refused(reason: str) -> tuple[int, Any]:
    return 400, {"errors": [reason]}


def _b64(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


async def test_a_signed_jwt_logs_in_with_the_roles_token(
    server: Server, provider: OidcProvider
) -> None:
    await _jwks_config(server, provider)
    await _role(server)
    status, body = await _login(server, provider.sign(provider.claims()))
    assert status == 200, body
    assert body["auth"]["policies"] == ["ci", "default"]
    assert body["auth"]["metadata"] == {"email": "alice@example.test", "role": "ci"}
    assert body["data"] is None


async def test_the_login_hands_the_core_alias_metadata_and_groups(
    server: Server, provider: OidcProvider
) -> None:
    await _jwks_config(server, provider)
    await _role(server)
    routed = server.core.mounts.route("auth/jwt/login")
    assert routed is not None
    data = {"role": "ci", "jwt": provider.sign(provider.claims())}
    request = Request("r", Operation.UPDATE, "auth/jwt/login", data)
    answer = await routed[0].backend.handle(request, routed[1])
    login = answer.login
    assert login is not None
    assert login.alias_name == "alice"
    assert login.alias_metadata == {"email": "alice@example.test", "role": "ci"}
    assert login.group_aliases == ("engineers", "oncall")
    assert login.policies == ("ci",)


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        (
            {"aud": "someone-else"},
            (
                "error validating token: invalid audience (aud) claim: audience claim does not "
                "match any expected audience"
            ),
        ),
        ({"sub": None}, 'claim "sub" not found in token'),
        ({"sub": 5}, "error validating token: invalid subject (sub) claim"),
        ({"groups": [1, 2]}, "value in groups claim could not be parsed as string"),
        ({"email": {"a": 1}}, "error converting claim 'email' to string"),
        (
            {"exp": None, "iat": None},
            (
                "error validating token: no issued at (iat), not before (nbf), or expiration time "
                "(exp) claims in token"
            ),
        ),
    ],
)
async def test_claims_the_role_refuses(
    server: Server, provider: OidcProvider, claims: dict[str, Any], reason: str
) -> None:
    await _jwks_config(server, provider)
    await _role(server)
    assert await _login(server, provider.sign(provider.claims(**claims))) == _refused(reason)


async def test_issuer_and_subject_bounds(server: Server, provider: OidcProvider) -> None:
    await _jwks_config(server, provider, bound_issuer=provider.issuer)
    await _role(server, bound_subject="alice")
    assert (await _login(server, provider.sign(provider.claims())))[0] == 200
    wrong_iss = provider.sign(provider.claims(iss="https://evil.example"))
    assert await _login(server, wrong_iss) == _refused(
        "error validating token: invalid issuer (iss) claim"
    )
    wrong_sub = provider.sign(provider.claims(sub="mallory"))
    assert await _login(server, wrong_sub) == _refused("sub claim does not match bound subject")


async def test_an_audience_with_no_bound_audiences_is_refused(
    server: Server, provider: OidcProvider
) -> None:
    await _jwks_config(server, provider)
    await _role(server, bound_audiences=[], bound_subject="alice")
    assert await _login(server, provider.sign(provider.claims())) == _refused(
        "audience claim found in JWT but no audiences bound to the role"
    )
    assert (await _login(server, provider.sign(provider.claims(aud=None))))[0] == 200


async def test_bound_claims_globs(server: Server, provider: OidcProvider) -> None:
    await _jwks_config(server, provider)
    bound = {"email": ["*@example.test", "root@*"], "/nested/team": "pay*"}
    await _role(server, bound_claims=bound, bound_claims_type="glob")
    ok = provider.claims(nested={"team": "payments"})
    assert (await _login(server, provider.sign(ok)))[0] == 200
    other_domain = provider.claims(email="alice@evil.test", nested={"team": "payments"})
    assert await _login(server, provider.sign(other_domain)) == _refused(
        'error validating claims: claim "email" does not match any associated bound claim values'
    )
    no_team = provider.claims()
    assert await _login(server, provider.sign(no_team)) == _refused(
        'error validating claims: claim "/nested/team" is missing'
    )
    # As plain strings (the default type), "*" is a literal.
    await _role(server, bound_claims={"email": "*@example.test"}, bound_claims_type="string")
    assert (await _login(server, provider.sign(ok)))[0] == 400


async def test_expiry_and_not_before_with_leeways(server: Server, provider: OidcProvider) -> None:
    await _jwks_config(server, provider)
    await _role(server, clock_skew_leeway=-1)
    token = provider.sign(provider.claims())  # exp = now + 600
    server.clock.advance(600)
    assert (await _login(server, token))[0] == 200
    server.clock.advance(1)
    expired = "error validating token: invalid expiration time (exp) claim: token is expired"
    assert await _login(server, token) == _refused(expired)
    await _role(server, clock_skew_leeway=-1, expiration_leeway=30)
    assert (await _login(server, token))[0] == 200
    server.clock.advance(30)
    assert await _login(server, token) == _refused(expired)
    # The default clock skew (60 s) applies to a token from the future too.
    now = server.clock.now()
    early = provider.sign(provider.claims(nbf=int(now) + 60, iat=int(now)))
    await _role(server, clock_skew_leeway=0, expiration_leeway="0s")
    assert (await _login(server, early))[0] == 200
    later = provider.sign(provider.claims(nbf=int(now) + 61, iat=int(now)))
    assert await _login(server, later) == _refused(
        "error validating token: invalid not before (nbf) claim: token not yet valid"
    )
    await _role(server, not_before_leeway=1)
    assert (await _login(server, later))[0] == 200


async def test_alg_none_and_hmac_with_the_public_key_are_refused(
    server: Server, provider: OidcProvider
) -> None:
    await _jwks_config(server, provider)
    await _role(server)
    claims = provider.claims()
    unsigned = f"{_b64({'alg': 'none', 'kid': provider.key.kid})}.{_b64(claims)}."
    # HS256 "signed" with the public key's PEM as the HMAC secret (the classic confusion).
    signing_input = f"{_b64({'alg': 'HS256', 'kid': provider.key.kid})}.{_b64(claims)}"
    secret = provider.key.as_pem(private=False)
    mac = hmac.digest(secret, signing_input.encode(), "sha256")
    confused = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    bad = "error validating token: error verifying token signature"
    for token in (unsigned, confused, "garbage", "a.b.c", provider.sign(claims)[:-4] + "AAAA"):
        assert await _login(server, token) == _refused(bad)


async def test_an_unknown_kid_refetches_the_jwks_after_rotation(
    server: Server, provider: OidcProvider
) -> None:
    await _jwks_config(server, provider)
    await _role(server)
    old_key = provider.key
    assert (await _login(server, provider.sign(provider.claims())))[0] == 200
    fetched = provider.jwks_requests
    assert (await _login(server, provider.sign(provider.claims())))[0] == 200
    assert provider.jwks_requests == fetched  # cached
    provider.rotate()
    assert (await _login(server, provider.sign(provider.claims())))[0] == 200
    assert provider.jwks_requests == fetched + 1
    # The retired key is no longer published: its tokens fail even after another refetch.
    stale = provider.sign(provider.claims(), key=old_key)
    assert (await _login(server, stale))[0] == 400
    # A rotation that keeps the previous key published: tokens of both verify.
    previous = provider.key
    provider.rotate(keep_old=True)
    assert (await _login(server, provider.sign(provider.claims())))[0] == 200
    assert (await _login(server, provider.sign(provider.claims(), key=previous)))[0] == 200


async def test_made_up_kids_cannot_flood_the_provider(
    server: Server, provider: OidcProvider
) -> None:
    await _jwks_config(server, provider)
    await _role(server)
    assert (await _login(server, provider.sign(provider.claims())))[0] == 200
    fetched = provider.jwks_requests
    for n in range(REFETCH_BUDGET + 5):
        token = provider.sign(provider.claims(), kid=f"made-up-{n}")
        assert (await _login(server, token))[0] == 400
    assert provider.jwks_requests == fetched + REFETCH_BUDGET
    server.clock.advance(60)
    provider.rotate()
    assert (await _login(server, provider.sign(provider.claims())))[0] == 200


async def test_static_public_keys(server: Server, provider: OidcProvider) -> None:
    await mount(server)
    other = OidcProvider(provider.pki, server.clock.now)
    keys = [other.key.as_pem(private=False).decode(), provider.key.as_pem(private=False).decode()]
    resp = await server.call("POST", "auth/jwt/config", {"jwt_validation_pubkeys": keys})
    assert resp.status_code == 204, resp.text
    await _role(server)
    assert (await _login(server, provider.sign(provider.claims())))[0] == 200
    assert (await _login(server, other.sign(other.claims())))[0] == 200
    provider.rotate()
    assert (await _login(server, provider.sign(provider.claims())))[0] == 400


async def test_concurrent_logins_all_succeed(server: Server, provider: OidcProvider) -> None:
    await _jwks_config(server, provider)
    await _role(server)
    tokens = [provider.sign(provider.claims(sub=f"user{n}")) for n in range(20)]
    answers = await asyncio.gather(*(_login(server, t) for t in tokens))
    assert [status for status, _ in answers] == [200] * 20
    issued = {body["auth"]["client_token"] for _, body in answers}
    assert len(issued) == 20


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"jwt": "x.y.z"}, "missing role"),
        ({"role": "ci"}, "missing token"),
        ({"role": "nope", "jwt": "x.y.z"}, "role could not be found"),
        ({"role": "web", "jwt": "x.y.z"}, "role with oidc role_type is not allowed"),
    ],
)
async def test_bad_login_requests(
    server: Server, provider: OidcProvider, body: dict[str, str], reason: str
) -> None:
    await _jwks_config(server, provider)
    await _role(server)
    await _role(server, "web", role_type="oidc", allowed_redirect_uris="https://a.test/cb")
    resp = await server.call("POST", "auth/jwt/login", body, token=None)
    assert (resp.status_code, resp.json()) == _refused(reason)


async def test_default_role_is_used_when_none_is_named(
    server: Server, provider: OidcProvider
) -> None:
    await _jwks_config(server, provider, default_role="CI")
    await _role(server)
    resp = await server.call(
        "POST", "auth/jwt/login", {"jwt": provider.sign(provider.claims())}, token=None
    )
    assert resp.status_code == 200, resp.text
