"""The declarative path table over identity: every capture a declared field, OpenBao's OpenAPI
fields in our Structs with the same types, Vault's unknown-parameter warning and weak typing,
`?help=1` and the OpenAPI document of the builtin mount."""

from __future__ import annotations

import json
from pathlib import Path as FilePath

from strongroom.engines.identity.paths import TABLE
from strongroom.errors import NotFound
from strongroom.logical.openapi import SCHEMA_TYPES
from support.inproc import Server

VECTOR = FilePath(__file__).parents[3] / "vectors" / "openapi" / "openbao-2.7.2.json"
# OpenBao paths we do not serve: the pre-0.9 `alias` and `persona` names of entity-alias,
# MFA, and OIDC (its own package, `engines/identity/oidc/`).
NOT_SERVED = ("alias", "persona", "mfa/", "oidc/")


def test_every_capture_is_a_declared_field_of_every_operation() -> None:
    for route in TABLE.routes:
        for spec in route.operations.values():
            assert set(route.captures()) <= set(spec.schema.fields), route.pattern


def _openbao_bodies() -> dict[str, dict[str, str]]:
    document = json.loads(VECTOR.read_text())
    schemas = document["components"]["schemas"]
    found: dict[str, dict[str, str]] = {}
    for path, item in document["paths"].items():
        below = path.removeprefix("/identity/")
        if below == path or below.startswith(NOT_SERVED) or "post" not in item:
            continue
        ref = item["post"].get("requestBody", {}).get("content", {})
        ref = ref.get("application/json", {}).get("schema", {}).get("$ref", "")
        if ref:
            properties = schemas[ref.rsplit("/", 1)[1]]["properties"]
            found[below] = {n: p["type"] for n, p in properties.items()}
    return found


def test_openbao_identity_fields_are_declared_with_the_same_type() -> None:
    checked = 0
    for path, properties in _openbao_bodies().items():
        concrete = path.replace("{", "").replace("}", "")
        try:
            route, _ = TABLE.match(concrete)
        except NotFound:
            raise AssertionError(path) from None
        fields = route.fields()
        for name, kind in properties.items():
            assert name in fields, (path, name)
            assert SCHEMA_TYPES[fields[name].kind]["type"] == kind, (path, name)
            checked += 1
    assert checked > 50


async def test_unknown_parameters_are_warned_and_inputs_weakly_typed(server: Server) -> None:
    body = {"name": "a", "disabled": "true", "policies": "p1, p2", "zz": 1}
    resp = await server.call("POST", "identity/entity", body)
    assert resp.json()["warnings"] == ["Endpoint ignored these unrecognized parameters: [zz]"]
    read = (await server.call("GET", "identity/entity/name/a")).json()["data"]
    assert (read["disabled"], read["policies"]) == (True, ["p1", "p2"])
    bad = await server.call("POST", "identity/entity", {"disabled": "maybe"})
    assert bad.status_code == 400
    null = await server.call("POST", "identity/group", None)
    assert null.status_code == 200, null.text


async def test_help_and_openapi(server: Server) -> None:
    helped = await server.call("GET", "identity/entity/id/x", params={"help": "1"})
    assert "Update, read or delete an entity using entity ID" in helped.json()["help"]
    doc = (await server.call("GET", "sys/internal/specs/openapi")).json()
    assert "/identity/entity/id/{id}" in doc["paths"]
    assert "/identity/group-alias" in doc["paths"]
