"""Fixtures for Kubernetes: the in-process server and a real TLS API server speaking
TokenReview (its times from the server's manual clock), with a `kubernetes/` mount."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.inproc import Server
from support.kube_api import KubeApi, running
from support.tls import make_pki


@pytest.fixture
def kube(tmp_path: Path, server: Server) -> Iterator[KubeApi]:
    with running(make_pki(tmp_path), server.clock.now) as api:
        yield api


async def configure(server: Server, kube: KubeApi, path: str = "kubernetes", **extra: Any) -> str:
    """Mount, configure with a reviewer account's token and the CA, and add role `app`
    (names `app*` in namespaces `prod`, `stage-*`). Returns the reviewer JWT."""
    resp = await server.call("POST", f"sys/auth/{path}", {"type": "kubernetes"})
    assert resp.status_code == 204, resp.text
    reviewer = kube.projected_token(kube.account("kube-system", "vault-reviewer", reviewer=True))
    config = {
        "kubernetes_host": kube.host,
        "kubernetes_ca_cert": kube.ca_pem,
        "token_reviewer_jwt": reviewer,
        "disable_local_ca_jwt": True,
        **extra,
    }
    resp = await server.call("POST", f"auth/{path}/config", config)
    assert resp.status_code == 204, resp.text
    role = {
        "bound_service_account_names": "app*",
        "bound_service_account_namespaces": ["prod", "stage-*"],
        "token_policies": "app",
        "token_ttl": 600,
    }
    resp = await server.call("POST", f"auth/{path}/role/app", role)
    assert resp.status_code == 204, resp.text
    return reviewer


async def login(
    server: Server, jwt: str, role: str = "app", path: str = "kubernetes"
) -> tuple[int, Any]:
    resp = await server.call("POST", f"auth/{path}/login", {"role": role, "jwt": jwt}, token=None)
    return resp.status_code, resp.json()
