"""The PKI engine on the declarative path table: its routes' fields against OpenBao's OpenAPI
document, captures declared, `?help=1`, unknown-parameter warnings and the OpenAPI paths."""

from __future__ import annotations

import json
from pathlib import Path as FilePath

from strongroom.engines.pki.paths import TABLE
from strongroom.errors import NotFound
from strongroom.logical.openapi import SCHEMA_TYPES
from unit.engines.pki.conftest import Api

VECTOR = FilePath(__file__).parents[3] / "vectors" / "openapi" / "openbao-2.7.2-pki.json"
# OpenBao fields of features outside this engine's scope (managed keys, ACME, cross-signing
# helpers, CMPv2/EST, unified CRLs and cluster-wide revocation), each named with its path.
NOT_IMPLEMENTED = {
    "backend",  # a deprecated role field OpenBao ignores
    "external_key_ref",  # KMS-held keys
    "managed_key_name",
    "managed_key_id",
    "key_usage_oids",
    "exclude_cn_from_sans_for_csr",
    "user_ids",
    "ttl_in_auto_tidy",
    "alt_names_template",
}


def _openbao_bodies() -> dict[str, dict[str, str]]:
    document = json.loads(VECTOR.read_text())
    schemas = document["components"]["schemas"]
    found: dict[str, dict[str, str]] = {}
    for path, item in document["paths"].items():
        for method in ("post",):
            ref = item.get(method, {}).get("requestBody", {}).get("content", {})
            ref = ref.get("application/json", {}).get("schema", {}).get("$ref", "")
            if ref:
                properties = schemas[ref.rsplit("/", 1)[1]]["properties"]
                found[path.removeprefix("/pki/")] = {n: p["type"] for n, p in properties.items()}
    return found


def test_every_capture_is_a_declared_field_of_every_operation() -> None:
    for route in TABLE.routes:
        for spec in route.operations.values():
            assert set(route.captures()) <= set(spec.schema.fields), route.pattern


def test_openbao_pki_fields_are_declared_with_the_same_type() -> None:
    checked = 0
    missing = []
    mistyped = []
    for path, properties in _openbao_bodies().items():
        concrete = path.replace("{exported}", "internal").replace("{", "").replace("}", "")
        try:
            route, _ = TABLE.match(concrete)
        except NotFound:
            continue  # a path outside this engine's scope (acme, cross-sign, unified, ...)
        fields = route.fields()
        for name, kind in properties.items():
            if name in NOT_IMPLEMENTED:
                continue
            if name not in fields:
                missing.append((path, name))
                continue
            if SCHEMA_TYPES[fields[name].kind]["type"] != kind:
                mistyped.append((path, name, kind))
            checked += 1
    assert missing == []
    assert mistyped == []
    assert checked > 300


async def test_unknown_parameters_are_warned(api: Api) -> None:
    body = await api.post("root/generate/internal", {"common_name": "r", "zz": 1, "Z": 2})
    assert "Endpoint ignored these unrecognized parameters: [Z zz]" in body["warnings"]


async def test_help_answers_vaults_shape(api: Api) -> None:
    resp = await api.server.call("GET", "pki/roles/x", params={"help": "1"})
    assert resp.status_code == 200
    assert resp.json()["help"].startswith("Request:        roles/x\nMatching Route: ^roles/")


async def test_openapi_lists_pki_paths(api: Api) -> None:
    resp = await api.server.call("GET", "sys/internal/specs/openapi")
    paths = resp.json()["paths"]
    for path in (
        "/pki/issue/{role}",
        "/pki/issuer/{issuer_ref}",
        "/pki/roles/{name}",
        "/pki/root/generate/{exported}",
        "/pki/crl/rotate",
        "/pki/config/urls",
    ):
        assert path in paths, path
