"""The declarative path table over the cert method: OpenBao's OpenAPI fields in our Structs,
`login` unauthenticated, `?help=1` and the OpenAPI document of a mount."""

from __future__ import annotations

import json
from pathlib import Path as FilePath

import pytest

from strongroom.auth.cert import CertBackend
from strongroom.auth.cert.paths import TABLE
from strongroom.logical.openapi import SCHEMA_TYPES
from support.inproc import Server

VECTOR = FilePath(__file__).parents[3] / "vectors" / "openapi" / "openbao-2.7.2-cert.json"
SCHEMAS = {
    "login": "CertLoginRequest",
    "certs/c": "CertWriteCertificateRequest",
    "crls/c": "CertWriteCrlRequest",
    "config": "CertConfigureRequest",
}


def test_every_capture_is_a_declared_field_of_every_operation() -> None:
    for route in TABLE.routes:
        for spec in route.operations.values():
            assert set(route.captures()) <= set(spec.schema.fields), route.pattern


@pytest.mark.parametrize(("path", "schema"), sorted(SCHEMAS.items()))
def test_openbao_cert_fields_are_declared(path: str, schema: str) -> None:
    theirs = json.loads(VECTOR.read_text())["components"]["schemas"][schema]["properties"]
    route, _ = TABLE.match(path)
    fields = route.fields()
    for name, prop in theirs.items():
        assert name in fields, (path, name)
        ours = SCHEMA_TYPES[fields[name].kind]
        assert (ours["type"], ours.get("format")) == (prop["type"], prop.get("format")), name


def test_every_openbao_cert_path_is_served() -> None:
    for path in json.loads(VECTOR.read_text())["paths"]:
        sample = path.removeprefix("/auth/cert/").replace("{name}", "c")
        TABLE.match(sample if sample not in ("certs", "crls") else sample + "/")


def test_login_is_the_one_unauthenticated_path() -> None:
    assert CertBackend.unauthenticated == frozenset({"login"})


async def test_help_and_openapi_cover_the_mount(fronted: Server) -> None:
    resp = await fronted.call("GET", "auth/cert/certs/web", params={"help": "1"})
    assert resp.status_code == 200
    assert "allowed_common_names" in resp.json()["help"]
    doc = (await fronted.call("GET", "sys/internal/specs/openapi")).json()
    assert doc["paths"]["/auth/cert/login"]["x-vault-unauthenticated"] is True
    assert doc["paths"]["/auth/cert/certs/{name}"]["x-vault-createSupported"] is True
    assert "/auth/cert/crls/{name}" in doc["paths"]
