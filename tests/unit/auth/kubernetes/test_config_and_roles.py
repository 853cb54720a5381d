"""Kubernetes `config` and `role/:name`: OpenBao's read shapes (from `bao server -dev` 2.7.2),
clear 400s, and the reviewer JWT never read back."""

from __future__ import annotations

from typing import Any

import pytest

from support.inproc import Server
from support.kube_api import KubeApi
from unit.auth.kubernetes.conftest import configure

# OpenBao 2.7.2's read of a role written with {"bound_service_account_names": "a*",
# "bound_service_account_namespaces": "ns"}.
OPENBAO_ROLE = {
    "alias_name_source": "serviceaccount_uid",
    "bound_service_account_names": ["a*"],
    "bound_service_account_namespace_selector": "",
    "bound_service_account_namespaces": ["ns"],
    "token_bound_cidrs": [],
    "token_explicit_max_ttl": 0,
    "token_max_ttl": 0,
    "token_no_default_policy": False,
    "token_num_uses": 0,
    "token_period": 0,
    "token_policies": [],
    "token_ttl": 0,
    "token_type": "default",
}
NOT_IMPLEMENTED = {"token_strictly_bind_ip"}  # OpenBao reads it; Strongroom does not have it


async def _mounted(server: Server) -> None:
    assert (
        await server.call("POST", "sys/auth/kubernetes", {"type": "kubernetes"})
    ).status_code == 204


async def test_role_read_has_openbaos_shape(server: Server) -> None:
    await _mounted(server)
    body = {"bound_service_account_names": "a*", "bound_service_account_namespaces": "ns"}
    assert (await server.call("POST", "auth/kubernetes/role/k1", body)).status_code == 204
    assert (await server.call("GET", "auth/kubernetes/role/k1")).json()["data"] == OPENBAO_ROLE
    assert (await server.call("LIST", "auth/kubernetes/role")).json()["data"] == {"keys": ["k1"]}
    await server.call("POST", "auth/kubernetes/role/k1", {"audience": "vault"})
    data = (await server.call("GET", "auth/kubernetes/role/k1")).json()["data"]
    assert data["audience"] == "vault"
    assert data["bound_service_account_names"] == ["a*"]  # only the fields sent changed
    assert (await server.call("DELETE", "auth/kubernetes/role/k1")).status_code == 204
    assert (await server.call("LIST", "auth/kubernetes/role")).status_code == 404


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({}, '"bound_service_account_names" can not be empty'),
        (
            {"bound_service_account_names": "a"},
            (
                '"bound_service_account_namespaces" can not be empty if '
                '"bound_service_account_namespace_selector" is not set'
            ),
        ),
        (
            {
                "bound_service_account_names": "a",
                "bound_service_account_namespaces": "b",
                "alias_name_source": "canary",
            },
            "invalid alias_name_source, must be one of: serviceaccount_uid, serviceaccount_name",
        ),
        (
            {
                "bound_service_account_names": "a",
                "bound_service_account_namespaces": "b",
                "token_ttl": "2h",
                "token_max_ttl": "1h",
            },
            "'token_ttl' cannot be greater than 'token_max_ttl'",
        ),
    ],
)
async def test_bad_roles(server: Server, body: dict[str, Any], reason: str) -> None:
    await _mounted(server)
    resp = await server.call("POST", "auth/kubernetes/role/r", body)
    assert (resp.status_code, resp.json()) == (400, {"errors": [reason]})


async def test_config_read_says_only_whether_a_reviewer_jwt_is_set(
    server: Server, kube: KubeApi
) -> None:
    reviewer = await configure(server, kube)
    resp = await server.call("GET", "auth/kubernetes/config")
    assert resp.json()["data"] == {
        "disable_iss_validation": True,
        "disable_local_ca_jwt": True,
        "issuer": "",
        "kubernetes_ca_cert": kube.ca_pem,
        "kubernetes_host": kube.host,
        "pem_keys": [],
        "token_reviewer_jwt_set": True,
    }
    assert reviewer not in resp.text


async def test_bad_configs(server: Server) -> None:
    await _mounted(server)
    assert (await server.call("GET", "auth/kubernetes/config")).status_code == 404
    cases = [
        ({}, "no host provided"),
        (
            {"kubernetes_host": "https://k8s.test", "kubernetes_ca_cert": "canary"},
            "kubernetes_ca_cert: no PEM certificate found",
        ),
        (
            {"kubernetes_host": "https://k8s.test", "pem_keys": "canary"},
            "data does not contain any valid public keys",
        ),
    ]
    for body, reason in cases:
        resp = await server.call("POST", "auth/kubernetes/config", body)
        assert (resp.status_code, resp.json()) == (400, {"errors": [reason]}), body
    resp = await server.call(
        "POST", "auth/kubernetes/login", {"role": "r", "jwt": "a.b.c"}, token=None
    )
    assert resp.json() == {"errors": ["invalid role name"]}


async def test_a_host_without_a_scheme_is_https(server: Server) -> None:
    await _mounted(server)
    await server.call("POST", "auth/kubernetes/config", {"kubernetes_host": "10.0.0.1:6443/"})
    data = (await server.call("GET", "auth/kubernetes/config")).json()["data"]
    assert data["kubernetes_host"] == "https://10.0.0.1:6443"
