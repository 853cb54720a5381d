"""hvac's `auth.jwt`, `auth.oidc` and `auth.kubernetes` against the real server process, with
a real OIDC provider (authlib, loopback HTTPS) and a real TLS TokenReview server in the test
process: every method the brief names, as hvac's docs call it."""

from __future__ import annotations

import ssl
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import hvac
import hvac.exceptions
import pytest

from support.hvac_client import unsealed_client
from support.kube_api import running as kube_running
from support.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider
from support.oidc_provider import running as oidc_running
from support.procs import RunningServer
from support.tls import make_pki

pytestmark = pytest.mark.slow
REDIRECT = "http://localhost:8250/oidc/callback"


@pytest.fixture
def client(sqlite_server: RunningServer) -> Iterator[hvac.Client]:
    client = unsealed_client(sqlite_server)
    yield client
    client.adapter.close()


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[OidcProvider]:
    with oidc_running(make_pki(tmp_path), time.time, [REDIRECT]) as live:
        yield live


def _browser(provider: OidcProvider, auth_url: str) -> dict[str, str]:
    """Follow the authorization URL as a browser would, up to the redirect."""

    class Stop(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *_args: object, **_kw: object) -> None:
            return None

    trust = ssl.create_default_context(cafile=provider.pki.ca)
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=trust), Stop)
    try:
        opener.open(auth_url)
    except urllib.error.HTTPError as redirect:
        location = redirect.headers["Location"]
    query = parse_qs(urlsplit(location).query)
    return {k: v[0] for k, v in query.items()}


@pytest.mark.parametrize("method", ["jwt", "oidc"])
def test_hvac_jwt_and_oidc(client: hvac.Client, provider: OidcProvider, method: str) -> None:
    client.sys.enable_auth_method(method)
    api = client.auth.jwt if method == "jwt" else client.auth.oidc
    api.configure(
        oidc_discovery_url=provider.issuer,
        oidc_discovery_ca_pem=provider.ca_pem,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        default_role="web",
        path=method,
    )
    config = api.read_config(path=method)["data"]
    assert config["oidc_client_id"] == CLIENT_ID
    assert "oidc_client_secret" not in config
    api.create_role(
        name="web",
        role_type="oidc",
        user_claim="sub",
        allowed_redirect_uris=[REDIRECT],
        groups_claim="groups",
        claim_mappings={"email": "email"},
        token_policies=["web"],
        path=method,
    )
    api.create_role(
        name="ci",
        role_type="jwt",
        user_claim="sub",
        allowed_redirect_uris=[],
        bound_audiences=[CLIENT_ID],
        bound_claims={"email": "*@example.test"},
        bound_claims_type="glob",
        token_policies=["ci"],
        path=method,
    )
    assert api.read_role("web", path=method)["data"]["role_type"] == "oidc"
    assert sorted(api.list_roles(path=method)["data"]["keys"]) == ["ci", "web"]
    url = api.oidc_authorization_url_request(role="web", redirect_uri=REDIRECT, path=method)
    answer = _browser(provider, url["data"]["auth_url"])
    done = api.oidc_callback(state=answer["state"], nonce="", code=answer["code"], path=method)
    assert done["auth"]["policies"] == ["default", "web"]
    assert done["auth"]["metadata"] == {"email": "alice@example.test", "role": "web"}
    logged = api.jwt_login(
        role="ci", jwt=provider.sign(provider.claims()), use_token=False, path=method
    )
    assert logged["auth"]["policies"] == ["ci", "default"]
    with pytest.raises(hvac.exceptions.InvalidRequest):
        api.jwt_login(role="ci", jwt=provider.sign(provider.claims(aud="x")), path=method)
    api.delete_role("ci", path=method)
    assert api.list_roles(path=method)["data"]["keys"] == ["web"]


def test_hvac_kubernetes(client: hvac.Client, tmp_path: Path) -> None:
    client.sys.enable_auth_method("kubernetes")
    k8s = client.auth.kubernetes
    with kube_running(make_pki(tmp_path), time.time) as kube:
        reviewer = kube.projected_token(kube.account("kube-system", "vault", reviewer=True))
        k8s.configure(
            kubernetes_host=kube.host,
            kubernetes_ca_cert=kube.ca_pem,
            token_reviewer_jwt=reviewer,
            disable_local_ca_jwt=True,
        )
        assert k8s.read_config()["token_reviewer_jwt_set"] is True
        k8s.create_role(
            name="app",
            bound_service_account_names=["app-*"],
            bound_service_account_namespaces=["prod"],
            ttl="10m",
            policies=["app"],
            audience="strongroom",
        )
        role = k8s.read_role("app")
        assert role["token_ttl"] == 600
        assert role["token_policies"] == ["app"]
        assert k8s.list_roles()["keys"] == ["app"]
        account = kube.account("prod", "app-web")
        auth = k8s.login(
            "app", kube.projected_token(account, audience="strongroom"), use_token=False
        )
        assert auth["auth"]["metadata"]["service_account_uid"] == account.uid
        assert auth["auth"]["lease_duration"] == 600
        with pytest.raises(hvac.exceptions.Forbidden):
            k8s.login("app", kube.projected_token(account))  # another audience
        k8s.delete_role("app")
        with pytest.raises(hvac.exceptions.InvalidPath):
            k8s.list_roles()
