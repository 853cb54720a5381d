"""The declarative path table over AppRole: declared fields, OpenBao's OpenAPI fields in our
Structs, Vault's unknown-parameter warning, `login` unauthenticated, `?help=1` and the OpenAPI
document of a mount."""

from __future__ import annotations

import pytest

from strongroom.auth.approle import AppRoleBackend
from strongroom.auth.approle.paths import TABLE
from support.framework import (
    assert_captures_declared,
    assert_openbao_fields_declared,
    openbao_schemas,
)
from support.inproc import Server

# OpenBao's request schema for each path we serve (a sample name fills `{role_name}`).
SCHEMAS = {
    "login": "AppRoleLoginRequest",
    "role/r": "AppRoleWriteRoleRequest",
    "role/r/role-id": "AppRoleWriteRoleIdRequest",
    "role/r/secret-id": "AppRoleWriteSecretIdRequest",
    "role/r/custom-secret-id": "AppRoleWriteCustomSecretIdRequest",
    "role/r/secret-id/lookup": "AppRoleLookUpSecretIdRequest",
    "role/r/secret-id/destroy": "AppRoleDestroySecretIdRequest",
    "role/r/secret-id-accessor/lookup": "AppRoleLookUpSecretIdByAccessorRequest",
    "role/r/secret-id-accessor/destroy": "AppRoleDestroySecretIdByAccessorRequest",
}
NOT_IMPLEMENTED = {"token_strictly_bind_ip"}  # OpenBao's extra we do not implement


def test_every_capture_is_a_declared_field_of_every_operation() -> None:
    assert_captures_declared(TABLE)


@pytest.mark.parametrize(("path", "schema"), sorted(SCHEMAS.items()))
def test_openbao_approle_fields_are_declared(path: str, schema: str) -> None:
    """Each field OpenBao declares for a write we serve is in our Struct, with the same type."""
    theirs = openbao_schemas()[schema]["properties"]
    assert_openbao_fields_declared(
        TABLE, path, theirs, not_implemented=NOT_IMPLEMENTED, with_format=True
    )


def test_login_is_the_one_unauthenticated_path() -> None:
    assert AppRoleBackend.unauthenticated == frozenset({"login"})


async def _mounted(server: Server) -> None:
    resp = await server.call("POST", "sys/auth/approle", {"type": "approle"})
    assert resp.status_code == 204, resp.text


async def test_unknown_parameters_are_warned_sorted_bytewise(server: Server) -> None:
    await _mounted(server)
    await server.call("POST", "auth/approle/role/web", {"token_ttl": "1h"})
    resp = await server.call("POST", "auth/approle/role/web/secret-id", {"zz": 1, "B": 2})
    assert resp.status_code == 200, resp.text
    expected = "Endpoint ignored these unrecognized parameters: [B zz]"
    assert resp.json()["warnings"] == [expected]


async def test_metadata_as_a_json_object_reads_as_its_text(server: Server) -> None:
    """Vault's `metadata` is a string; the object itself (as hvac sends) is accepted too."""
    await _mounted(server)
    await server.call("POST", "auth/approle/role/web", {})
    issued = await server.call(
        "POST", "auth/approle/role/web/secret-id", {"metadata": {"team": "pay"}}
    )
    assert issued.status_code == 200, issued.text
    assert issued.json()["warnings"] is None
    body = {"secret_id": issued.json()["data"]["secret_id"]}
    looked = await server.call("POST", "auth/approle/role/web/secret-id/lookup", body)
    assert looked.json()["data"]["metadata"] == {"team": "pay"}


async def test_a_field_that_does_not_convert_is_a_400_naming_it(server: Server) -> None:
    await _mounted(server)
    resp = await server.call("POST", "auth/approle/role/web", {"secret_id_num_uses": "many"})
    assert resp.status_code == 400
    expected = 'error converting input for field "secret_id_num_uses": expected integer'
    assert resp.json() == {"errors": [expected]}


async def test_help_answers_vaults_shape(server: Server) -> None:
    await _mounted(server)
    resp = await server.call("GET", "auth/approle/role/web", params={"help": "1"})
    assert resp.status_code == 200
    body = resp.json()
    assert body["help"].startswith("Request:        role/web\nMatching Route: ^role/(?P<role_name>")
    assert "Register an role with the backend." in body["help"]
    assert "    token_ttl (duration (sec))" in body["help"]


async def test_openapi_document_lists_approles_fields(server: Server) -> None:
    await _mounted(server)
    resp = await server.call("GET", "sys/internal/specs/openapi")
    doc = resp.json()
    login = doc["paths"]["/auth/approle/login"]
    assert login["x-vault-unauthenticated"] is True
    assert doc["paths"]["/auth/approle/role/{role_name}"]["x-vault-createSupported"] is True
    schemas = doc["components"]["schemas"]
    ref = login["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert set(schemas[ref.rsplit("/", 1)[1]]["properties"]) == {"role_id", "secret_id"}
