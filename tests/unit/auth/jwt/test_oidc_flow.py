"""The OIDC authorization-code flow through Strongroom against a real provider (authlib's
server on loopback HTTPS): `oidc/auth_url` → the provider's authorization endpoint (the test
is the browser) → `oidc/callback` (GET and POST), with PKCE S256, state and nonce
(api-docs/auth/jwt "OIDC Authorization URL Request", "OIDC Callback")."""

from __future__ import annotations

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
    assert len(query["state"][0]) >= 43 and len(query["nonce"][0]) >= 43
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
