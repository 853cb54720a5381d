"""Checks every route table gets (issue 14): each capture of a pattern is a declared field, and
each field OpenBao's OpenAPI document declares for a path we serve is in our Struct, with the
same OpenAPI type. The documents are test vectors (tests/vectors/openapi/README.md)."""

from __future__ import annotations

import functools
import json
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from strongroom.logical import PathTable
from strongroom.logical.openapi import SCHEMA_TYPES

VECTORS = Path(__file__).parents[1] / "vectors" / "openapi"
OPENBAO = "openbao-2.7.2.json"
OPENBAO_DATABASE_RABBITMQ = "openbao-2.7.2-database-rabbitmq.json"
OPENBAO_JWT_KUBERNETES = "openbao-2.7.2-auth-jwt-kubernetes.json"


@functools.cache
def openbao_schemas(document: str = OPENBAO) -> Mapping[str, Any]:
    """The request schemas (`components.schemas`) of one of OpenBao's documents, by name."""
    schemas: Mapping[str, Any] = json.loads((VECTORS / document).read_text())["components"][
        "schemas"
    ]
    return schemas


def assert_captures_declared(table: PathTable[Any]) -> None:
    """What a pattern captures reaches the handler as a field, so each operation declares it."""
    for route in table.routes:
        for spec in route.operations.values():
            assert set(route.captures()) <= set(spec.schema.fields), route.pattern


def assert_openbao_fields_declared(
    table: PathTable[Any],
    path: str,
    properties: Mapping[str, Any],
    *,
    not_implemented: Collection[str] = (),
    with_format: bool = False,
) -> int:
    """Each of OpenBao's `properties` for `path` (below the mount, names filled in) is declared
    by the route that serves it, with the same type (and format, when asked); the number checked.
    """
    fields = table.match(path)[0].fields()
    checked = 0
    for name, prop in properties.items():
        if name in not_implemented:
            continue
        assert name in fields, (path, name)
        ours = SCHEMA_TYPES[fields[name].kind]
        if with_format:
            assert (ours["type"], ours.get("format")) == (prop["type"], prop.get("format")), name
        else:
            assert ours["type"] == prop["type"], (path, name)
        checked += 1
    return checked
