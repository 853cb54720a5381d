"""Attacks on the JWT/OIDC and Kubernetes methods: a role or an OIDC state of one namespace is
nothing in another, and no JWT, client secret or reviewer JWT reaches an answer, the audit log
(only HMACs) or the operator log."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from support.inproc import Server
from support.kube_api import running
from support.oidc_provider import CLIENT_SECRET, OidcProvider
from support.tls import make_pki
from unit.auth.jwt.conftest import REDIRECT, configure_oidc
from unit.auth.jwt.test_oidc_flow import _authorize
from unit.auth.kubernetes.conftest import configure

DENIED = {"errors": ["permission denied"]}


async def _in(
    server: Server, ns: str, method: str, path: str, body: Any = None, **kw: Any
) -> tuple[int, Any]:
    resp = await server.call(
        method, path, body, token=None, headers={"X-Vault-Namespace": ns}, **kw
    )
    return resp.status_code, resp.json()


async def test_a_role_and_a_state_of_one_namespace_are_nothing_in_another(
    server: Server, provider: OidcProvider
) -> None:
    for ns in ("ns-a", "ns-b"):
        assert (await server.call("POST", f"sys/namespaces/{ns}")).status_code == 200
        head = {"X-Vault-Namespace": ns}
        resp = await server.call("POST", "sys/auth/jwt", {"type": "jwt"}, headers=head)
        assert resp.status_code == 204
    # Only ns-a has the provider and its roles; ns-b has the mount alone.
    await configure_oidc(server, provider, namespace="ns-a")
    token = provider.sign(provider.claims())
    login = {"role": "ci", "jwt": token}
    status, body = await _in(server, "ns-a", "POST", "auth/jwt/login", login)
    assert status == 200, body
    assert await _in(server, "ns-b", "POST", "auth/jwt/login", login) == (403, DENIED)
    in_b = {"X-Vault-Namespace": "ns-b"}
    assert (await server.call("GET", "auth/jwt/role/ci", headers=in_b)).status_code == 404
    # An OIDC flow begun in ns-a cannot be finished in ns-b, and still finishes in ns-a.
    status, body = await _in(
        server, "ns-a", "POST", "auth/jwt/oidc/auth_url", {"role": "web", "redirect_uri": REDIRECT}
    )
    answer = await _authorize(provider, body["data"]["auth_url"])
    assert await _in(server, "ns-b", "GET", "auth/jwt/oidc/callback", params=answer) == (
        403,
        DENIED,
    )
    status, body = await _in(server, "ns-a", "GET", "auth/jwt/oidc/callback", params=answer)
    assert status == 200, body
    issued = body["auth"]["client_token"]
    other = await server.call(
        "GET", "auth/token/lookup-self", token=issued, headers={"X-Vault-Namespace": "ns-b"}
    )
    assert other.status_code == 403


async def test_no_secret_reaches_answers_audit_or_logs(
    server: Server,
    provider: OidcProvider,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    log_file = tmp_path / "audit.log"
    device = {"type": "file", "options": {"file_path": str(log_file)}}
    assert (await server.call("PUT", "sys/audit/file", device)).status_code == 204
    assert (await server.call("POST", "sys/auth/jwt", {"type": "jwt"})).status_code == 204
    await configure_oidc(server, provider)
    good = provider.sign(provider.claims())
    bad = provider.sign(provider.claims(aud="other"))
    answers = [
        await server.call("POST", "auth/jwt/login", {"role": "ci", "jwt": good}, token=None),
        await server.call("POST", "auth/jwt/login", {"role": "ci", "jwt": bad}, token=None),
        await server.call("POST", "auth/jwt/login", {"role": "web", "jwt": bad}, token=None),
    ]
    (tmp_path / "k8s").mkdir()
    with running(make_pki(tmp_path / "k8s"), server.clock.now) as kube:
        reviewer = await configure(server, kube)
        account = kube.account("prod", "app-web")
        sa_token = kube.projected_token(account)
        outside = kube.projected_token(kube.account("dev", "app-web"))
        for jwt in (sa_token, outside, sa_token[:-5] + "AAAAA"):
            body = {"role": "app", "jwt": jwt}
            answers += [await server.call("POST", "auth/kubernetes/login", body, token=None)]
        kube.delete("kube-system", "vault-reviewer")
        answers.append(
            await server.call(
                "POST", "auth/kubernetes/login", {"role": "app", "jwt": sa_token}, token=None
            )
        )
    assert [a.status_code for a in answers] == [200, 400, 400, 200, 403, 403, 403]
    secrets = {
        "jwt": good,
        "bad jwt": bad,
        "client secret": CLIENT_SECRET,
        "reviewer": reviewer,
        "sa token": sa_token,
        "outside": outside,
    }
    audit = log_file.read_text()
    assert "hmac-sha256:" in audit
    for label, value in secrets.items():
        signature = value.rsplit(".", 1)[-1]
        for a in answers:
            assert signature not in a.text, label
        assert signature not in audit, label
        assert signature not in caplog.text, label
