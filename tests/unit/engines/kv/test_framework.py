"""The declarative path table over KV: declared fields, Vault's unknown-parameter warning,
`?help=1` and the generated OpenAPI document compared with OpenBao's."""

from __future__ import annotations

from typing import Any

import pytest

from strongroom.engines.kv.paths import V1, V2
from strongroom.logical import PathTable
from strongroom.logical.paths import SEALED_DATA
from support.framework import (
    assert_captures_declared,
    assert_openbao_fields_declared,
    openbao_schemas,
)
from support.inproc import Server

TABLES: tuple[PathTable[Any], ...] = (V1, V2)


def test_every_capture_is_a_declared_field_of_every_operation() -> None:
    for table in TABLES:
        assert_captures_declared(table)


def test_openbao_kv_fields_are_declared() -> None:
    """Each field OpenBao's kv-v2 declares for a write we serve is in our Struct, same type
    (OpenBao's extras we do not implement, metadata_cas and friends, are left out)."""
    theirs = openbao_schemas()
    ours = {"config": "KvWriteConfigRequest", "data/x": "KvWriteDataPathRequest"}
    ours |= {f"{verb}/x": f"KvWrite{verb.capitalize()}PathRequest" for verb in ("delete",)}
    ours |= {"metadata/x": "KvWriteMetadataPathRequest"}
    for path, schema in ours.items():
        properties = theirs[schema]["properties"]
        extras = {n for n in properties if n.startswith("metadata_cas") or n == "version"}
        assert_openbao_fields_declared(V2, path, properties, not_implemented=extras)


def test_handlers_cannot_read_request_data() -> None:
    with pytest.raises(RuntimeError, match="declare the field"):
        SEALED_DATA.get("anything")


async def test_unknown_parameters_are_warned_sorted_bytewise(kv2: Server) -> None:
    body = {"data": {"a": 1}, "m": 1, "c": 2, "Z": 1, "a1": 1}
    answer = (await kv2.call("POST", "kv2/data/x", body)).json()
    assert answer["warnings"] == ["Endpoint ignored these unrecognized parameters: [Z a1 c m]"]


async def test_no_warning_on_an_empty_answer(kv2: Server) -> None:
    resp = await kv2.call("POST", "kv2/config", {"max_versions": 3, "zz": 1})
    assert resp.status_code == 204


async def test_help_answers_vaults_shape(kv2: Server) -> None:
    resp = await kv2.call("GET", "kv2/data/x", params={"help": "1"})
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) == {"help", "openapi", "see_also"}
    assert body["help"].startswith("Request:        data/x\nMatching Route: ^data/(?P<path>.*)$")
    assert "/data/{path}" in body["openapi"]["paths"]


async def test_openapi_document_covers_every_mount(kv2: Server) -> None:
    resp = await kv2.call("GET", "sys/internal/specs/openapi")
    assert resp.status_code == 200
    doc = resp.json()
    paths = doc["paths"]
    assert "/sys/policies/acl/{name}" in paths  # a plain Router: by path and operation
    assert {"/kv2/config", "/kv2/data/{path}", "/kv2/metadata/{path}"} <= set(paths)
    schema = doc["components"]["schemas"]["KvWriteConfigRequest"]["properties"]
    assert schema["delete_version_after"]["format"] == "seconds"
    assert "/auth/token/create" in paths


async def _token_with(server: Server, policy: str) -> str:
    resp = await server.call("PUT", "sys/policies/acl/h", {"policy": policy})
    assert resp.status_code == 204, resp.text
    created = await server.call("POST", "auth/token/create", {"policies": ["h"]})
    token: str = created.json()["auth"]["client_token"]
    return token


async def test_help_needs_any_capability_on_the_path(kv2: Server) -> None:
    """OpenBao answers help to a token holding only `list` there, and 403 with nothing."""
    token = await _token_with(kv2, 'path "kv2/data/*" { capabilities = ["list"] }')
    listed = await kv2.call("GET", "kv2/data/x", token=token, params={"help": "1"})
    assert listed.status_code == 200
    other = await kv2.call("GET", "kv2/config", token=token, params={"help": "1"})
    assert other.status_code == 403


async def test_openapi_without_a_token_lists_no_paths(kv2: Server) -> None:
    resp = await kv2.call("GET", "sys/internal/specs/openapi", token=None)
    assert resp.status_code == 200
    assert resp.json()["paths"] == {}
