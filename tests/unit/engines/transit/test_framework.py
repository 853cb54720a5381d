"""The declarative path table over transit: declared fields against OpenBao's OpenAPI document,
Vault's unknown-parameter warning, weakly typed batch items, `?help=1` and the OpenAPI paths."""

from __future__ import annotations

import json
from typing import Any

from strongroom.engines.transit.paths import TABLE
from strongroom.errors import NotFound
from support.framework import (
    OPENBAO,
    VECTORS,
    assert_captures_declared,
    assert_openbao_fields_declared,
)
from unit.engines.transit.transit_api import Api, b64

VECTOR = VECTORS / OPENBAO
# OpenBao fields of features we do not implement (managed keys, datakey AAD, import context).
NOT_IMPLEMENTED = {("keys/{name}", "external_key_ref"), ("keys/{name}/rotate", "external_key_ref")}
NOT_IMPLEMENTED |= {("datakey/{plaintext}/{name}", "associated_data")}
NOT_IMPLEMENTED |= {("keys/{name}/import", "context")}


def test_every_capture_is_a_declared_field_of_every_operation() -> None:
    assert_captures_declared(TABLE)


def _openbao_bodies() -> dict[str, dict[str, Any]]:
    """OpenBao's transit paths (below the mount) and the schema of each body field."""
    document = json.loads(VECTOR.read_text())
    schemas = document["components"]["schemas"]
    found: dict[str, dict[str, str]] = {}
    for path, item in document["paths"].items():
        if not path.startswith("/transit/") or "post" not in item:
            continue
        ref = item["post"].get("requestBody", {}).get("content", {})
        ref = ref.get("application/json", {}).get("schema", {}).get("$ref", "")
        if ref:
            properties = schemas[ref.rsplit("/", 1)[1]]["properties"]
            found[path.removeprefix("/transit/")] = properties
    return found


def test_openbao_transit_fields_are_declared_with_the_same_type() -> None:
    checked = 0
    for path, properties in _openbao_bodies().items():
        concrete = path.replace("{plaintext}", "wrapped").replace("{", "").replace("}", "")
        try:
            TABLE.match(concrete)
        except NotFound:
            continue  # a path we do not implement (derive-key, csr, byok-export, ...)
        skip = {name for p, name in NOT_IMPLEMENTED if p == path}
        checked += assert_openbao_fields_declared(TABLE, concrete, properties, not_implemented=skip)
    assert checked > 100


async def test_unknown_parameters_are_warned(api: Api) -> None:
    await api.create("k")
    answer = await api.post("encrypt/k", {"plaintext": b64(b"x"), "zz": 1, "Z": 2})
    assert answer["warnings"] == ["Endpoint ignored these unrecognized parameters: [Z zz]"]


async def test_batch_items_are_weakly_typed_and_fail_alone(api: Api) -> None:
    await api.create("k")
    items = [
        {"plaintext": b64(b"a"), "key_version": "1", "reference": "one"},
        {"plaintext": b64(b"b"), "key_version": "x", "reference": "two"},
    ]
    resp = await api.call("POST", "encrypt/k", {"batch_input": items})
    assert resp.status_code == 400
    first, second = resp.json()["data"]["batch_results"]
    assert first["key_version"] == 1
    assert first["reference"] == "one"
    assert second == {
        "error": 'error converting input for field "key_version": expected integer',
        "reference": "two",
    }


async def test_one_batch_item_alone_is_a_batch_of_one(api: Api) -> None:
    """Vault's TypeSlice: a single object for `batch_input` is a list of one."""
    await api.create("k")
    answer = await api.data("encrypt/k", {"batch_input": {"plaintext": b64(b"a")}})
    assert len(answer["batch_results"]) == 1


async def test_help_answers_vaults_shape(api: Api) -> None:
    resp = await api.server.call("GET", "transit/encrypt/k", params={"help": "1"})
    assert resp.status_code == 200
    body = resp.json()
    assert body["help"].startswith("Request:        encrypt/k\nMatching Route: ^encrypt/")
    assert "/encrypt/{name}" in body["openapi"]["paths"]


async def test_openapi_document_declares_transit_fields(api: Api) -> None:
    doc = (await api.server.call("GET", "sys/internal/specs/openapi")).json()
    assert {"/transit/encrypt/{name}", "/transit/sign/{name}/{urlalgorithm}"} <= set(doc["paths"])
    schema = doc["components"]["schemas"]["TransitWriteEncryptNameRequest"]["properties"]
    assert schema["batch_input"] == {
        "type": "array",
        "items": {"type": "object"},
        "description": schema["batch_input"]["description"],
    }
