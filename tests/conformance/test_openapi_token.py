"""The token store's OpenAPI document against a live OpenBao's (`bao server -dev`): the same
`auth/token/` paths, methods and request fields, with every difference listed and why."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from conformance.harness import Target

# (path, field) whose OpenAPI type is ours, not OpenBao's: OpenBao declares the creation
# durations as strings and parses them in its handler; our table converts them as Vault's
# TypeDurationSecond before the handler (so a bad value is a 400 naming the field).
DURATIONS = {"ttl", "explicit_max_ttl", "period", "lease"}
CREATES = {"/auth/token/create", "/auth/token/create-orphan", "/auth/token/create/{role_name}"}


def _document(target: Target) -> dict[str, Any]:
    resp = httpx.get(
        f"{target.address}/v1/sys/internal/specs/openapi",
        headers={"X-Vault-Token": target.root_token},
        timeout=30,
    )
    assert resp.status_code == 200, resp.text
    doc: dict[str, Any] = resp.json()
    return doc


def _fields(doc: dict[str, Any], item: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """The request body's fields of a path item's POST: name to (type, format)."""
    post = item.get("post", {})
    ref = post.get("requestBody", {}).get("content", {}).get("application/json", {})
    name = ref.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
    props = doc["components"]["schemas"].get(name, {}).get("properties", {})
    return {k: (v.get("type", ""), v.get("format", "")) for k, v in props.items()}


def _methods(item: dict[str, Any]) -> set[str]:
    return {m for m in ("get", "post", "delete", "patch") if m in item}


@pytest.mark.slow
def test_token_store_openapi_matches_openbaos(openbao: Target, strongroom: Target) -> None:
    theirs, ours = _document(openbao), _document(strongroom)
    bao_paths = {p: v for p, v in theirs["paths"].items() if p.startswith("/auth/token/")}
    our_paths = {p: v for p, v in ours["paths"].items() if p.startswith("/auth/token/")}
    assert set(our_paths) == set(bao_paths)
    for path, item in bao_paths.items():
        mine = our_paths[path]
        assert _methods(mine) == _methods(item), path
        assert mine.get("x-vault-sudo", False) == item.get("x-vault-sudo", False), path
        assert mine.get("x-vault-createSupported") == item.get("x-vault-createSupported"), path
        bao_fields, our_fields = _fields(theirs, item), _fields(ours, mine)
        assert set(our_fields) == set(bao_fields), path
        for name, kind in bao_fields.items():
            if path in CREATES and name in DURATIONS:
                assert (kind, our_fields[name]) == (("string", ""), ("integer", "seconds"))
                continue
            assert our_fields[name][0] == kind[0], (path, name)
