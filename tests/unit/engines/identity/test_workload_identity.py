"""The workload-identity issue's done-when, end to end in one server: a "pod" logs in with its
service-account token (Kubernetes TokenReview against a real TLS API server), and a CI job
with its OIDC provider's JWT; each gets a token bound to its entity, fetches a signed identity
JWT from `identity/oidc/token/:role`, and the JWT verifies offline from the JWKS alone (PyJWT,
not the library that signed), naming the entity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jwt

from support.inproc import Server
from support.kube_api import running as kube_api
from support.oidc_provider import running as oidc_provider
from support.tls import make_pki
from unit.auth.jwt.conftest import REDIRECT, configure_oidc, mount
from unit.auth.kubernetes.conftest import configure, login

WORKLOAD = 'path "identity/oidc/token/workload" { capabilities = ["read"] }'


async def _identity_jwt_for(server: Server, token: str) -> dict[str, Any]:
    """The token's identity JWT, verified with nothing but the published JWKS."""
    await server.call(
        "POST", "identity/oidc/key/k", {"algorithm": "ES256", "allowed_client_ids": "*"}
    )
    resp = await server.call("POST", "identity/oidc/role/workload", {"key": "k", "ttl": "15m"})
    assert resp.status_code == 204, resp.text
    role = (await server.call("GET", "identity/oidc/role/workload")).json()["data"]
    resp = await server.call("GET", "identity/oidc/token/workload", token=token)
    assert resp.status_code == 200, resp.text
    signed = resp.json()["data"]["token"]
    keys = (await server.call("GET", "identity/oidc/.well-known/keys", token=None)).json()
    kid = jwt.get_unverified_header(signed)["kid"]
    key = jwt.PyJWKSet.from_dict(keys)[kid]
    return jwt.decode(
        signed,
        key,
        algorithms=["ES256"],
        audience=role["client_id"],
        options={"verify_iat": False, "verify_exp": False, "verify_nbf": False},
    )


async def _policies(server: Server) -> None:
    for name in ("app", "ci"):
        resp = await server.call("POST", f"sys/policies/acl/{name}", {"policy": WORKLOAD})
        assert resp.status_code == 204, resp.text


async def test_a_pod_proves_who_it_is_with_a_signed_identity_token(
    server: Server, tmp_path: Path
) -> None:
    await _policies(server)
    with kube_api(make_pki(tmp_path), server.clock.now) as kube:
        await configure(server, kube)
        pod = kube.projected_token(kube.account("prod", "app-api"))
        status, answer = await login(server, pod)
    assert status == 200, answer
    auth = answer["auth"]
    assert auth["entity_id"]
    claims = await _identity_jwt_for(server, auth["client_token"])
    assert claims["sub"] == auth["entity_id"]
    assert claims["namespace"] == "root"
    entity = (await server.call("GET", f"identity/entity/id/{auth['entity_id']}")).json()["data"]
    (alias,) = entity["aliases"]
    assert alias["metadata"]["service_account_name"] == "app-api"
    assert alias["metadata"]["service_account_namespace"] == "prod"


async def test_a_ci_job_proves_who_it_is_with_a_signed_identity_token(
    server: Server, tmp_path: Path
) -> None:
    await _policies(server)
    with oidc_provider(make_pki(tmp_path), server.clock.now, [REDIRECT]) as provider:
        await mount(server)
        await configure_oidc(server, provider)
        job = provider.sign(provider.claims())
        resp = await server.call("POST", "auth/jwt/login", {"role": "ci", "jwt": job}, token=None)
    assert resp.status_code == 200, resp.text
    auth = resp.json()["auth"]
    claims = await _identity_jwt_for(server, auth["client_token"])
    assert claims["sub"] == auth["entity_id"]
    entity = (await server.call("GET", f"identity/entity/id/{auth['entity_id']}")).json()["data"]
    assert entity["aliases"][0]["name"] == provider.user.sub
