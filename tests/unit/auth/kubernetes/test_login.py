"""Kubernetes log-in (api-docs/auth/kubernetes "Login") against a real TLS server speaking
TokenReview: projected and legacy tokens, the role's globs, audiences, deleted accounts, a
reviewer token the API refuses (401, 403), the caller's own JWT as reviewer, local `pem_keys`
verification, and what the core is handed (alias and its metadata)."""

from __future__ import annotations

import asyncio

import pytest

from strongroom.auth.kubernetes.review import BAD_AUDIENCE
from strongroom.logical import Operation, Request
from support.inproc import Server
from support.kube_api import KubeApi
from unit.auth.kubernetes.conftest import configure, login

DENIED = (403, {"errors": ["permission denied"]})


async def test_a_projected_token_logs_in(server: Server, kube: KubeApi) -> None:
    await configure(server, kube)
    account = kube.account("prod", "app-web")
    status, body = await login(server, kube.projected_token(account))
    assert status == 200, body
    auth = body["auth"]
    assert auth["policies"] == ["app", "default"]
    assert auth["lease_duration"] == 600
    assert auth["metadata"] == {
        "role": "app",
        "service_account_name": "app-web",
        "service_account_namespace": "prod",
        "service_account_secret_name": "",
        "service_account_uid": account.uid,
    }
    assert kube.reviews == 1


async def test_the_core_is_handed_the_alias_and_its_metadata(server: Server, kube: KubeApi) -> None:
    await configure(server, kube)
    account = kube.account("stage-2", "app-api")
    routed = server.core.mounts.route("auth/kubernetes/login")
    assert routed is not None
    data = {"role": "app", "jwt": kube.legacy_token(account)}
    answer = await routed[0].backend.handle(Request("r", Operation.UPDATE, "x", data), "login")
    assert answer.login is not None
    assert answer.login.alias_name == account.uid
    assert answer.login.alias_metadata == {
        "service_account_name": "app-api",
        "service_account_namespace": "stage-2",
        "service_account_secret_name": "app-api-token-abcde",
        "service_account_uid": account.uid,
    }
    await server.call(
        "POST", "auth/kubernetes/role/app", {"alias_name_source": "serviceaccount_name"}
    )
    answer = await routed[0].backend.handle(Request("r", Operation.UPDATE, "x", data), "login")
    assert answer.login is not None
    assert answer.login.alias_name == "stage-2/app-api"


@pytest.mark.parametrize(
    ("namespace", "name", "reason"),
    [
        ("prod", "db", "service account name not authorized"),
        ("dev", "app-web", "namespace not authorized"),
        ("stage", "app-web", "namespace not authorized"),  # "stage-*" needs the dash
    ],
)
async def test_names_outside_the_roles_globs_are_refused(
    server: Server, kube: KubeApi, namespace: str, name: str, reason: str
) -> None:
    await configure(server, kube)
    token = kube.projected_token(kube.account(namespace, name))
    assert await login(server, token) == (403, {"errors": [reason]})
    assert kube.reviews == 0  # refused before the cluster is asked


async def test_what_the_api_server_does_not_authenticate_is_denied(
    server: Server, kube: KubeApi
) -> None:
    await configure(server, kube)
    account = kube.account("prod", "app-web")
    expired = kube.projected_token(account, ttl=60)
    server.clock.advance(61)
    assert await login(server, expired) == DENIED
    forged = kube.projected_token(account)[:-6] + "AAAAAA"
    assert await login(server, forged) == DENIED
    live = kube.projected_token(account)
    kube.delete("prod", "app-web")
    assert await login(server, live) == DENIED
    for junk in ("a.b.c", "not a jwt", "x" * 5000):
        assert await login(server, junk) == DENIED


async def test_the_roles_audience_is_asked_for(server: Server, kube: KubeApi) -> None:
    await configure(server, kube)
    await server.call("POST", "auth/kubernetes/role/app", {"audience": "strongroom"})
    account = kube.account("prod", "app-web")
    assert (await login(server, kube.projected_token(account, audience="strongroom")))[0] == 200
    reviews = kube.reviews
    wrong = (403, {"errors": [BAD_AUDIENCE]})  # OpenBao 2.7.2's answer, checked before review
    assert await login(server, kube.projected_token(account)) == wrong
    assert kube.reviews == reviews


async def test_a_reviewer_token_the_api_refuses(server: Server, kube: KubeApi) -> None:
    await configure(server, kube)
    token = kube.projected_token(kube.account("prod", "app-web"))
    kube.delete("kube-system", "vault-reviewer")  # its token now fails authentication: 401
    assert await login(server, token) == DENIED
    unprivileged = kube.projected_token(kube.account("kube-system", "nobody"))
    config = {"kubernetes_host": kube.host, "kubernetes_ca_cert": kube.ca_pem}
    resp = await server.call(
        "POST", "auth/kubernetes/config", {**config, "token_reviewer_jwt": unprivileged}
    )
    assert resp.status_code == 204
    assert await login(server, token) == DENIED  # 403: may not create token reviews


async def test_without_a_reviewer_jwt_the_callers_own_jwt_reviews(
    server: Server, kube: KubeApi
) -> None:
    await configure(server, kube, token_reviewer_jwt="")
    delegated = kube.account("prod", "app-delegator", reviewer=True)
    token = kube.projected_token(delegated)
    assert (await login(server, token))[0] == 200
    assert kube.bearer_tokens[-1] == token
    plain = kube.projected_token(kube.account("prod", "app-web"))
    assert await login(server, plain) == DENIED


async def test_tls_is_verified_against_the_configured_ca(
    server: Server, kube: KubeApi, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from support.tls import make_pki  # noqa: PLC0415

    other_ca = make_pki(tmp_path_factory.mktemp("other")).ca.read_text()
    await configure(server, kube, kubernetes_ca_cert=other_ca)
    token = kube.projected_token(kube.account("prod", "app-web"))
    status, body = await login(server, token)
    assert (status, body) == (
        400,
        {"errors": ["lookup failed: the Kubernetes API could not review the token"]},
    )
    assert kube.reviews == 0


async def test_pem_keys_verify_locally(server: Server, kube: KubeApi) -> None:
    await configure(
        server,
        kube,
        pem_keys=[kube.public_pem],
        disable_iss_validation=False,
        issuer="https://kubernetes.default.svc.cluster.local",
    )
    account = kube.account("prod", "app-web")
    assert (await login(server, kube.projected_token(account)))[0] == 200
    assert kube.reviews == 0
    assert await login(server, kube.projected_token(account)[:-6] + "AAAAAA") == DENIED
    assert await login(server, kube.legacy_token(account)) == DENIED  # issuer differs


async def test_concurrent_logins(server: Server, kube: KubeApi) -> None:
    await configure(server, kube)
    tokens = [kube.projected_token(kube.account("prod", f"app-{n}")) for n in range(16)]
    answers = await asyncio.gather(*(login(server, t) for t in tokens))
    assert [status for status, _ in answers] == [200] * 16
    assert len({body["auth"]["client_token"] for _, body in answers}) == 16


@pytest.mark.parametrize(
    ("body", "answer"),
    [
        ({}, "missing role"),
        ({"role": "app"}, "missing jwt"),
        ({"role": "zz", "jwt": "a.b.c"}, "invalid role name"),
    ],
)
async def test_bad_login_requests(
    server: Server, kube: KubeApi, body: dict[str, str], answer: str
) -> None:
    await configure(server, kube)
    resp = await server.call("POST", "auth/kubernetes/login", body, token=None)
    assert (resp.status_code, resp.json()) == (400, {"errors": [answer]})
