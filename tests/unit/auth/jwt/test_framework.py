"""The declarative path table over JWT/OIDC: OpenBao's request fields in our Structs (the
vector `openbao-2.7.2-auth-jwt-kubernetes.json`), the three open paths, help and OpenAPI."""

from __future__ import annotations

import pytest

from strongroom.auth.jwt import JwtBackend
from strongroom.auth.jwt.paths import TABLE
from support.framework import (
    OPENBAO_JWT_KUBERNETES,
    assert_captures_declared,
    assert_openbao_fields_declared,
    openbao_schemas,
)
from support.inproc import Server
from unit.auth.jwt.conftest import mount

SCHEMAS = {
    "config": "JwtConfigureRequest",
    "login": "JwtLoginRequest",
    "oidc/auth_url": "JwtOidcRequestAuthorizationUrlRequest",
}


def test_every_capture_is_a_declared_field_of_every_operation() -> None:
    assert_captures_declared(TABLE)


@pytest.mark.parametrize(("path", "schema"), sorted(SCHEMAS.items()))
def test_openbao_fields_are_declared(path: str, schema: str) -> None:
    """Same JSON types (OpenBao's formats "lowercase" and "map" are not ours to copy)."""
    theirs = openbao_schemas(OPENBAO_JWT_KUBERNETES)[schema]["properties"]
    assert assert_openbao_fields_declared(TABLE, path, theirs) == len(theirs)


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
