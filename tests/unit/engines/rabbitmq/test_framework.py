"""The RabbitMQ engine on the declarative path table: declared fields (OpenBao's, same types),
Vault's unknown-parameter warning and `?help=1`."""

from __future__ import annotations

from strongroom.engines.rabbitmq.paths import TABLE
from support.framework import (
    OPENBAO_DATABASE_RABBITMQ,
    assert_captures_declared,
    assert_openbao_fields_declared,
    openbao_schemas,
)
from unit.engines.rabbitmq.conftest import Api


def test_every_capture_is_a_declared_field_of_every_operation() -> None:
    assert_captures_declared(TABLE)


def test_openbao_rabbitmq_fields_are_declared() -> None:
    theirs = openbao_schemas(OPENBAO_DATABASE_RABBITMQ)
    ours = {
        "config/connection": "RabbitMqConfigureConnectionRequest",
        "config/lease": "RabbitMqConfigureLeaseRequest",
        "roles/x": "RabbitMqWriteRoleRequest",
    }
    for path, schema in ours.items():
        assert_openbao_fields_declared(TABLE, path, theirs[schema]["properties"])


async def test_unknown_parameters_are_warned_sorted_bytewise(api: Api) -> None:
    await api.ok("POST", "config/lease", {"ttl": "1h"})
    resp = await api.server.call("GET", "rabbitmq/config/lease", params={"zz": "1", "Z": "1"})
    assert resp.json()["warnings"] == ["Endpoint ignored these unrecognized parameters: [Z zz]"]


async def test_vhosts_is_a_json_string(api: Api) -> None:
    """OpenBao's TypeString: an object in its place does not convert."""
    resp = await api.call("POST", "roles/obj", {"vhosts": {"/": {"read": ".*"}}})
    assert resp.status_code == 400
    assert resp.json() == {"errors": ['error converting input for field "vhosts": expected string']}


async def test_help_answers_vaults_shape(api: Api) -> None:
    resp = await api.server.call("GET", "rabbitmq/roles/x", params={"help": "1"})
    assert resp.status_code == 200
    assert resp.json()["help"].startswith("Request:        roles/x\nMatching Route: ^roles/")
