"""The OIDC authorization-code flow through Strongroom against a real provider (authlib's
server on loopback HTTPS): `oidc/auth_url` → the provider's authorization endpoint (the test
is the browser) → `oidc/callback` (GET and POST), with PKCE S256, state and nonce
(api-docs/auth/jwt "OIDC Authorization URL Request", "OIDC Callback")."""

from __future__ import annotations

import asyncio
import ssl
from urllib.parse import parse_qs, urlsplit

import httpx

from support.inproc import Server
from support.oidc_provider import CLIENT_ID, OidcProvider
from unit.auth.jwt.conftest import REDIRECT, configure_oidc, mount


async def _authorize(provider: OidcProvider, auth_url: str) -> dict[str, str]:
    """What the browser does: follow the auth URL; the provider approves and redirects."""
    trust = ssl.create_default_context(cafile=provider.pki.ca)
    async with httpx.AsyncClient(verify=trust) as browser:
        resp = await browser.get(auth_url)
    assert resp.status_code == 302, resp.text
    location = urlsplit(resp.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    return {k: v[0] for k, v in parse_qs(location.query).items()}


async def _begin(server: Server, provider: OidcProvider, **extra: str) -> str:
    resp = await server.call(
        "POST",
        "auth/jwt/oidc/auth_url",
        {"role": "web", "redirect_uri": REDIRECT, **extra},
        token=None,
    )
    assert resp.status_code == 200, resp.text
    url = resp.json()["data"]["auth_url"]
    assert url.startswith(provider.issuer + "/authorize?")
    return str(url)


async def test_code_flow_with_pkce_logs_in(server: Server, provider: OidcProvider) -> None:
    await mount(server)
    await configure_oidc(server, provider)
    auth_url = await _begin(server, provider)
    query = parse_qs(urlsplit(auth_url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"] == ["openid profile email"]
    assert len(query["state"][0]) >= 43
    assert len(query["nonce"][0]) >= 43
    answer = await _authorize(provider, auth_url)
    resp = await server.call("GET", "auth/jwt/oidc/callback", token=None, params=answer)
    assert resp.status_code == 200, resp.text
    auth = resp.json()["auth"]
    assert auth["policies"] == ["default", "web"]
    assert auth["metadata"] == {"email": "alice@example.test", "role": "web"}
    assert auth["lease_duration"] == 3600
    assert provider.token_requests == 1
    looked = await server.call("GET", "auth/token/lookup-self", token=auth["client_token"])
    # Vault names it "jwt-alice"; the core puts "token-" in front of every display name.
    assert looked.json()["data"]["display_name"].endswith("jwt-alice")
    # The state is spent: the same callback again is refused.
    again = await server.call("GET", "auth/jwt/oidc/callback", token=None, params=answer)
    assert again.status_code == 400
    assert again.json() == {"errors": ["OpenBao login failed. Expired or missing OAuth state."]}


async def test_form_post_callback_and_a_client_nonce(
    server: Server, provider: OidcProvider
) -> None:
    await mount(server)
    await configure_oidc(server, provider)
    answer = await _authorize(provider, await _begin(server, provider, client_nonce="cn-1"))
    wrong = await server.call(
        "POST", "auth/jwt/oidc/callback", {**answer, "client_nonce": "cn-2"}, token=None
    )
    assert (wrong.status_code, wrong.json()) == (400, {"errors": ["invalid client_nonce"]})
    # The failed attempt spent the state, as a one-time value must be.
    answer = await _authorize(provider, await _begin(server, provider, client_nonce="cn-1"))
    resp = await server.call(
        "POST", "auth/jwt/oidc/callback", {**answer, "client_nonce": "cn-1"}, token=None
    )
    assert resp.status_code == 200, resp.text


async def test_racing_callbacks_with_one_state_log_in_once(
    server: Server, provider: OidcProvider
) -> None:
    await mount(server)
    await configure_oidc(server, provider)
    answer = await _authorize(provider, await _begin(server, provider))
    results = await asyncio.gather(
        *(server.call("GET", "auth/jwt/oidc/callback", token=None, params=answer) for _ in range(8))
    )
    assert sorted(r.status_code for r in results) == [200] + [400] * 7
    assert provider.token_requests == 1


async def test_a_code_from_another_flow_fails_pkce(server: Server, provider: OidcProvider) -> None:
    """An attacker's code injected into a victim's flow: the victim's verifier does not match
    the attacker's challenge, so the provider refuses the exchange."""
    await mount(server)
    await configure_oidc(server, provider)
    victim = await _authorize(provider, await _begin(server, provider))
    attacker = await _authorize(provider, await _begin(server, provider))
    injected = {"state": victim["state"], "code": attacker["code"]}
    resp = await server.call("GET", "auth/jwt/oidc/callback", token=None, params=injected)
    assert (resp.status_code, resp.json()) == (400, {"errors": ["Error exchanging oidc code"]})


async def test_an_id_token_with_another_nonce_is_refused(
    server: Server, provider: OidcProvider
) -> None:
    await mount(server)
    await configure_oidc(server, provider)
    answer = await _authorize(provider, await _begin(server, provider))
    replayed = provider.sign(provider.claims(nonce="from-another-flow"))
    resp = await server.call(
        "POST",
        "auth/jwt/oidc/callback",
        {"state": answer["state"], "id_token": replayed},
        token=None,
    )
    assert (resp.status_code, resp.json()) == (400, {"errors": ["invalid ID token nonce"]})


async def test_the_state_expires_after_five_minutes(server: Server, provider: OidcProvider) -> None:
    await mount(server)
    await configure_oidc(server, provider)
    answer = await _authorize(provider, await _begin(server, provider))
    server.clock.advance(301)
    resp = await server.call("GET", "auth/jwt/oidc/callback", token=None, params=answer)
    assert resp.status_code == 400
    routed = server.core.mounts.route("auth/jwt/login")
    assert routed is not None
    await _begin(server, provider)
    server.clock.advance(301)
    await routed[0].backend.tick()  # type: ignore[attr-defined]
    assert await routed[0].backend._ctx.store.view.list("state/") == []  # type: ignore[attr-defined]


async def test_auth_url_refusals(server: Server, provider: OidcProvider) -> None:
    await mount(server)
    url = "auth/jwt/oidc/auth_url"
    body = {"role": "web", "redirect_uri": REDIRECT}
    not_configured = await server.call("POST", url, body, token=None)
    assert not_configured.json() == {"errors": ["OIDC login is not configured for this mount"]}
    await configure_oidc(server, provider)
    cases = [
        ({**body, "redirect_uri": "https://evil.test/cb"}, "unauthorized redirect_uri"),
        ({**body, "redirect_uri": ""}, "missing redirect_uri"),
        ({**body, "role": "ci"}, "role is not an OIDC role"),
        ({**body, "role": "nope"}, "role could not be found"),
    ]
    for sent, reason in cases:
        resp = await server.call("POST", url, sent, token=None)
        assert (resp.status_code, resp.json()) == (400, {"errors": [reason]}), sent
    # No role named: the config's default_role ("web").
    resp = await server.call("POST", url, {"redirect_uri": REDIRECT}, token=None)
    assert resp.status_code == 200


async def test_the_same_flow_on_an_oidc_type_mount(server: Server, provider: OidcProvider) -> None:
    await mount(server, "oidc", "oidc")
    await configure_oidc(server, provider, "oidc")
    resp = await server.call(
        "POST", "auth/oidc/oidc/auth_url", {"redirect_uri": REDIRECT}, token=None
    )
    answer = await _authorize(provider, resp.json()["data"]["auth_url"])
    done = await server.call("GET", "auth/oidc/oidc/callback", token=None, params=answer)
    assert done.status_code == 200, done.text
    assert done.json()["auth"]["metadata"]["role"] == "web"
