"""The declarative path table over Kubernetes: OpenBao's request fields in our Structs (the
vector `openbao-2.7.2-auth-jwt-kubernetes.json`), `login` the one open path, help, OpenAPI."""

from __future__ import annotations

import json
from pathlib import Path as FilePath

import pytest

from strongroom.auth.kubernetes import KubernetesBackend
from strongroom.auth.kubernetes.paths import TABLE
from strongroom.logical.openapi import SCHEMA_TYPES
from support.inproc import Server

VECTOR = (
    FilePath(__file__).parents[3] / "vectors" / "openapi" / "openbao-2.7.2-auth-jwt-kubernetes.json"
)
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
    theirs = json.loads(VECTOR.read_text())["components"]["schemas"][schema]["properties"]
    route, _ = TABLE.match(path)
    fields = route.fields()
    for name, prop in theirs.items():
        if name in NOT_IMPLEMENTED:
            continue
        assert name in fields, (path, name)
        ours = SCHEMA_TYPES[fields[name].kind]
        assert (ours["type"], ours.get("format")) == (prop["type"], prop.get("format")), name


def test_login_is_the_one_open_path() -> None:
    assert KubernetesBackend.unauthenticated == frozenset({"login"})


async def test_help_and_openapi(server: Server) -> None:
    await server.call("POST", "sys/auth/kubernetes", {"type": "kubernetes"})
    resp = await server.call("GET", "auth/kubernetes/role/app", params={"help": "1"})
    assert "    bound_service_account_names (comma-string slice)" in resp.json()["help"]
    doc = (await server.call("GET", "sys/internal/specs/openapi")).json()
    assert doc["paths"]["/auth/kubernetes/login"]["x-vault-unauthenticated"] is True
