"""The declarative path table over Kubernetes: OpenBao's request fields in our Structs (the
vector `openbao-2.7.2-auth-jwt-kubernetes.json`), `login` the one open path, help, OpenAPI."""

from __future__ import annotations

import pytest

from strongroom.auth.kubernetes import KubernetesBackend
from strongroom.auth.kubernetes.paths import TABLE
from support.framework import (
    OPENBAO_JWT_KUBERNETES,
    assert_captures_declared,
    assert_openbao_fields_declared,
    openbao_schemas,
)
from support.inproc import Server

SCHEMAS = {
    "config": "KubernetesConfigureAuthRequest",
    "login": "KubernetesLoginRequest",
    "role/r": "KubernetesWriteAuthRoleRequest",
}
# OpenBao's namespace selector and IP binding.
NOT_IMPLEMENTED = {
    "bound_service_account_namespace_selector",
    "token_strictly_bind_ip",
}


@pytest.mark.parametrize(("path", "schema"), sorted(SCHEMAS.items()))
def test_openbao_fields_are_declared(path: str, schema: str) -> None:
    theirs = openbao_schemas(OPENBAO_JWT_KUBERNETES)[schema]["properties"]
    checked = assert_openbao_fields_declared(
        TABLE, path, theirs, not_implemented=NOT_IMPLEMENTED, with_format=True
    )
    assert checked == len(set(theirs) - NOT_IMPLEMENTED)


def test_every_capture_is_a_declared_field_of_every_operation() -> None:
    assert_captures_declared(TABLE)


def test_login_is_the_one_open_path() -> None:
    assert KubernetesBackend.unauthenticated == frozenset({"login"})


async def test_help_and_openapi(server: Server) -> None:
    await server.call("POST", "sys/auth/kubernetes", {"type": "kubernetes"})
    resp = await server.call("GET", "auth/kubernetes/role/app", params={"help": "1"})
    assert "    bound_service_account_names (comma-string slice)" in resp.json()["help"]
    doc = (await server.call("GET", "sys/internal/specs/openapi")).json()
    assert doc["paths"]["/auth/kubernetes/login"]["x-vault-unauthenticated"] is True
