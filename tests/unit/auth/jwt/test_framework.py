"""The declarative path table over JWT/OIDC: OpenBao's request fields in our Structs (the
vector `openbao-2.7.2-auth-jwt-kubernetes.json`), the three open paths, help and OpenAPI."""

from __future__ import annotations

import json
from pathlib import Path as FilePath

import pytest

from strongroom.auth.jwt import JwtBackend
from strongroom.auth.jwt.paths import TABLE
from strongroom.logical.openapi import SCHEMA_TYPES
from support.inproc import Server
from unit.auth.jwt.conftest import mount

VECTOR = (
    FilePath(__file__).parents[3] / "vectors" / "openapi" / "openbao-2.7.2-auth-jwt-kubernetes.json"
)
SCHEMAS = {
    "config": "JwtConfigureRequest",
    "login": "JwtLoginRequest",
    "oidc/auth_url": "JwtOidcRequestAuthorizationUrlRequest",
}
# OpenBao's "lowercase" string format and its provider-specific map: same JSON types.
FORMATS_AS_PLAIN = {"lowercase", "map"}


def test_every_capture_is_a_declared_field_of_every_operation() -> None:
    for route in TABLE.routes:
        for spec in route.operations.values():
            assert set(route.captures()) <= set(spec.schema.fields), route.pattern


@pytest.mark.parametrize(("path", "schema"), sorted(SCHEMAS.items()))
def test_openbao_fields_are_declared(path: str, schema: str) -> None:
    theirs = json.loads(VECTOR.read_text())["components"]["schemas"][schema]["properties"]
    route, _ = TABLE.match(path)
    fields = route.fields()
    for name, prop in theirs.items():
        assert name in fields, (path, name)
        ours = SCHEMA_TYPES[fields[name].kind]
        assert ours["type"] == prop["type"], name
        if prop.get("format") not in FORMATS_AS_PLAIN:
            assert ours.get("format") == prop.get("format"), name


def test_the_open_paths() -> None:
    assert JwtBackend.unauthenticated == frozenset({"login", "oidc/auth_url", "oidc/callback"})


async def test_help_and_openapi(server: Server) -> None:
    await mount(server)
    resp = await server.call("GET", "auth/jwt/role/web", params={"help": "1"})
    assert resp.status_code == 200
    assert "    bound_claims_type (string)" in resp.json()["help"]
    doc = (await server.call("GET", "sys/internal/specs/openapi")).json()
    assert doc["paths"]["/auth/jwt/oidc/callback"]["x-vault-unauthenticated"] is True
    assert doc["paths"]["/auth/jwt/role/{name}"]["x-vault-createSupported"] is True


async def test_unknown_parameters_are_warned(server: Server) -> None:
    await mount(server)
    body = {"role_type": "jwt", "user_claim": "sub", "bound_subject": "a", "zz": 1}
    resp = await server.call("POST", "auth/jwt/role/r", body)
    assert resp.status_code == 204  # Vault adds the warning to a response, never makes one
