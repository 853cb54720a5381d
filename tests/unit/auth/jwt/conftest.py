"""Fixtures for JWT/OIDC: the in-process server, a real OIDC provider on loopback HTTPS (its
times from the server's manual clock), and a `jwt/` mount configured against it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.inproc import Server
from support.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider, running
from support.tls import Pki, make_pki

REDIRECT = "https://app.example.test/oidc/callback"


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return make_pki(tmp_path)


@pytest.fixture
def provider(pki: Pki, server: Server) -> Iterator[OidcProvider]:
    with running(pki, server.clock.now, [REDIRECT]) as live:
        yield live


async def mount(server: Server, path: str = "jwt", kind: str = "jwt") -> None:
    resp = await server.call("POST", f"sys/auth/{path}", {"type": kind})
    assert resp.status_code == 204, resp.text


async def configure_oidc(
    server: Server, provider: OidcProvider, path: str = "jwt", namespace: str = ""
) -> None:
    """Discovery, client and CA, then an `oidc` role `web` and a `jwt` role `ci` (in
    `namespace`, by path prefix)."""
    path = f"{namespace}/auth/{path}" if namespace else f"auth/{path}"
    config = {
        "oidc_discovery_url": provider.issuer,
        "oidc_discovery_ca_pem": provider.ca_pem,
        "oidc_client_id": CLIENT_ID,
        "oidc_client_secret": CLIENT_SECRET,
        "default_role": "web",
    }
    resp = await server.call("POST", f"{path}/config", config)
    assert resp.status_code == 204, resp.text
    web = {
        "role_type": "oidc",
        "user_claim": "sub",
        "groups_claim": "groups",
        "claim_mappings": {"email": "email"},
        "allowed_redirect_uris": [REDIRECT],
        "oidc_scopes": "profile,email",
        "token_policies": "web",
        "token_ttl": "1h",
    }
    resp = await server.call("POST", f"{path}/role/web", web)
    assert resp.status_code == 204, resp.text
    ci = {
        "role_type": "jwt",
        "user_claim": "sub",
        "bound_audiences": CLIENT_ID,
        "groups_claim": "groups",
        "token_policies": ["ci"],
    }
    resp = await server.call("POST", f"{path}/role/ci", ci)
    assert resp.status_code == 204, resp.text
