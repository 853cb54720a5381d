"""The database engine on the declarative path table: declared fields (OpenBao's, same types),
the plugin's own config fields kept as a free-form remainder without a warning, `?help=1` and
the OpenAPI document."""

from __future__ import annotations

from strongroom.engines.database.path_config import ConfigWrite, plugin_details
from strongroom.engines.database.paths import TABLE
from support.framework import (
    OPENBAO_DATABASE_RABBITMQ,
    assert_captures_declared,
    assert_openbao_fields_declared,
    openbao_schemas,
)
from unit.engines.database.db_support import PLUGIN, Api

UNKNOWN = "Endpoint ignored these unrecognized parameters"


def test_every_capture_is_a_declared_field_of_every_operation() -> None:
    assert_captures_declared(TABLE)


def test_openbao_database_fields_are_declared() -> None:
    """Each field OpenBao declares for a write we serve is in our Struct with the same type
    (credential_config is left out: only the password credential type is offered)."""
    theirs = openbao_schemas(OPENBAO_DATABASE_RABBITMQ)
    ours = {
        "config/x": "DatabaseConfigureConnectionRequest",
        "roles/x": "DatabaseWriteRoleRequest",
        "static-roles/x": "DatabaseWriteStaticRoleRequest",
    }
    for path, schema in ours.items():
        properties = theirs[schema]["properties"]
        assert_openbao_fields_declared(
            TABLE, path, properties, not_implemented={"credential_config"}
        )


def test_the_plugin_fields_are_what_the_engine_does_not_declare() -> None:
    body = {"name": "pg", "plugin_name": PLUGIN, "allowed_roles": "*", "max_open_connections": 4}
    assert plugin_details(body) == {"max_open_connections": 4}
    assert "connection_url" not in ConfigWrite.__struct_fields__


async def test_plugin_fields_are_stored_and_not_warned_about(api: Api) -> None:
    url = "postgresql://postgres:pw@127.0.0.1:5432/test"  # a literal password: an answer
    body = {"plugin_name": PLUGIN, "connection_url": url, "max_open_connections": 4}
    answer = await api.ok("POST", "config/extra", body)
    assert len(answer["warnings"]) == 1
    assert UNKNOWN not in answer["warnings"][0]
    details = (await api.ok("GET", "config/extra"))["data"]["connection_details"]
    assert details == {
        "connection_url": "postgresql://postgres:xxxxx@127.0.0.1:5432/test",
        "max_open_connections": 4,
    }


async def test_unknown_parameters_of_a_role_read_are_warned(api: Api) -> None:
    await api.ok("POST", "roles/warned", {"db_name": "pg", "creation_statements": "SELECT 1"})
    resp = await api.server.call("GET", "database/roles/warned", params={"zz": "1", "Z": "1"})
    assert resp.json()["warnings"] == [f"{UNKNOWN}: [Z zz]"]


async def test_a_statement_string_is_one_statement(api: Api) -> None:
    """Vault's TypeStringSlice: SQL is full of commas, so one string is never split."""
    statement = "CREATE ROLE \"{{name}}\" WITH LOGIN, PASSWORD '{{password}}';"
    await api.ok("POST", "roles/one", {"db_name": "pg", "creation_statements": statement})
    read = await api.ok("GET", "roles/one")
    assert read["data"]["creation_statements"] == [statement]


async def test_help_answers_vaults_shape(api: Api) -> None:
    resp = await api.server.call("GET", "database/config/pg", params={"help": "1"})
    assert resp.status_code == 200
    body = resp.json()
    assert body["help"].startswith("Request:        config/pg\nMatching Route: ^config/(?P<name>")
    assert "/config/{name}" in body["openapi"]["paths"]


async def test_openapi_document_describes_the_mount(api: Api) -> None:
    doc = (await api.server.call("GET", "sys/internal/specs/openapi")).json()
    assert {"/database/config/{name}", "/database/static-roles/{name}"} <= set(doc["paths"])
    schemas = doc["components"]["schemas"]
    writes = [s for name, s in schemas.items() if name.startswith("Database")]
    rotation = [
        s["properties"]["root_rotation_statements"]
        for s in writes
        if "root_rotation_statements" in s["properties"]
    ]
    assert rotation == [
        {"type": "array", "items": {"type": "string"}, "description": rotation[0]["description"]}
    ]
