"""The OIDC path table: every capture a declared field, OpenBao's fields declared with its
types, unknown parameters warned, and `?help=1` and the OpenAPI document from the table."""

from __future__ import annotations

import json

from strongroom.engines.identity.oidc.paths import OIDC_TABLE
from support.framework import (
    OPENBAO,
    VECTORS,
    assert_captures_declared,
    assert_openbao_fields_declared,
)
from unit.engines.identity.oidc.oidc_api import OidcApi

PREFIX = "/identity/oidc/"


def test_every_capture_is_a_declared_field_of_every_operation() -> None:
    assert_captures_declared(OIDC_TABLE)


def test_openbao_fields_are_declared_with_the_same_type() -> None:
    document = json.loads((VECTORS / OPENBAO).read_text())
    schemas, checked = document["components"]["schemas"], 0
    for path, item in document["paths"].items():
        if not path.startswith(PREFIX) or "post" not in item:
            continue
        ref = item["post"].get("requestBody", {}).get("content", {})
        ref = ref.get("application/json", {}).get("schema", {}).get("$ref", "")
        properties = schemas[ref.rsplit("/", 1)[1]]["properties"] if ref else {}
        concrete = path.removeprefix(PREFIX).replace("{name}", "x")
        checked += assert_openbao_fields_declared(OIDC_TABLE, concrete, properties)
    assert checked >= 40


async def test_unknown_parameters_are_warned(api: OidcApi) -> None:
    answer = await api.post("introspect", {"token": "a.b.c", "zz": 1})
    assert answer["active"] is False  # a raw body: Vault adds no warning to it either
    await api.key("k", verification_ttl="1h", rotation_period="1h")
    resp = await api.call("POST", "config", {"issuer": "https://a.example", "zz": 1})
    assert "Endpoint ignored these unrecognized parameters: [zz]" in resp.json()["warnings"]


async def test_help_and_openapi_come_from_the_table(api: OidcApi) -> None:
    resp = await api.server.call("GET", "identity-oidc/role/r", params={"help": "1"})
    assert resp.status_code == 200
    assert resp.json()["help"].startswith("Request:        role/r\nMatching Route: ^role/")
    doc = (await api.server.call("GET", "sys/internal/specs/openapi")).json()
    assert {"/identity-oidc/key/{name}", "/identity-oidc/token/{name}"} <= set(doc["paths"])
