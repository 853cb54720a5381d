"""The declarative path tables of userpass and LDAP: declared fields, the one unauthenticated
route, `?help=1`, and the OpenAPI document of a mount."""

from __future__ import annotations

import pytest

from strongroom.auth.ldap import LdapBackend
from strongroom.auth.ldap.paths import TABLE as LDAP
from strongroom.auth.userpass import UserpassBackend
from strongroom.auth.userpass.paths import TABLE as USERPASS
from strongroom.logical import PathTable
from support.framework import assert_captures_declared
from support.inproc import Server

TABLES = {"userpass": USERPASS, "ldap": LDAP}


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES.keys())
def test_every_capture_is_a_declared_field_of_every_operation(table: PathTable[object]) -> None:
    assert_captures_declared(table)


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES.keys())
def test_login_is_the_one_unauthenticated_route(table: PathTable[object]) -> None:
    open_routes = [r for r in table.routes if r.unauthenticated]
    assert len(open_routes) == 1
    assert table.match("login/someone")[0] is open_routes[0]


def test_backends_declare_vaults_login_prefix() -> None:
    assert UserpassBackend.unauthenticated == LdapBackend.unauthenticated == {"login/*"}


@pytest.mark.parametrize("kind", TABLES)
async def test_openapi_and_help_cover_the_mount(server: Server, kind: str) -> None:
    resp = await server.call("POST", f"sys/auth/{kind}", {"type": kind})
    assert resp.status_code == 204
    doc = (await server.call("GET", "sys/internal/specs/openapi")).json()
    login = doc["paths"][f"/auth/{kind}/login/{{username}}"]
    assert login["x-vault-unauthenticated"] is True
    assert f"/auth/{kind}/users/{{{'username' if kind == 'userpass' else 'name'}}}" in doc["paths"]
    helped = await server.call("GET", f"auth/{kind}/login/x", params={"help": "1"})
    assert "Log in with a username and password." in helped.json()["help"]


async def test_unknown_parameters_are_warned(server: Server) -> None:
    await server.call("POST", "sys/auth/userpass", {"type": "userpass"})
    await server.call("POST", "auth/userpass/users/a", {"password": "pw"})
    resp = await server.call("POST", "auth/userpass/login/a", {"password": "pw", "zz": 1}, None)
    assert resp.status_code == 200
    assert resp.json()["warnings"] == ["Endpoint ignored these unrecognized parameters: [zz]"]
