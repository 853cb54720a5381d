"""The declarative path table over the token store: declared fields against OpenBao's OpenAPI
document, Vault's unknown-parameter warning, conversion before the handler, the sudo paths
(`accessors/`, and `revoke-orphan`'s own check), the role existence check, `?help=1` and the
OpenAPI document.
"""

from __future__ import annotations

import ast
import asyncio
import json
from pathlib import Path as FilePath
from typing import Any

import pytest

import strongroom.auth.token
from strongroom.auth.token import TokenBackend
from strongroom.auth.token.paths import TABLE
from strongroom.logical.openapi import SCHEMA_TYPES
from support.api import YieldingBackend, running
from support.framework import (
    OPENBAO,
    VECTORS,
    assert_captures_declared,
    assert_openbao_fields_declared,
    openbao_schemas,
)
from support.inproc import Server

# OpenBao's request schema of each write we serve (a sample name fills `{role_name}`).
SCHEMAS = {
    "create": "TokenCreateRequest",
    "create-orphan": "TokenCreateOrphanRequest",
    "create/r": "TokenCreateAgainstRoleRequest",
    "lookup": "TokenLookUpUpdateRequest",
    "lookup-self": "TokenLookUpSelfUpdateRequest",
    "lookup-accessor": "TokenLookUpByAccessorRequest",
    "renew": "TokenRenewRequest",
    "renew-self": "TokenRenewSelfRequest",
    "renew-accessor": "TokenRenewAccessorRequest",
    "revoke": "TokenRevokeRequest",
    "revoke-accessor": "TokenRevokeAccessorRequest",
    "revoke-orphan": "TokenRevokeOrphanRequest",
    "roles/r": "TokenWriteRoleRequest",
}
# OpenBao declares the creation durations as strings and parses them in its handler
# (mapstructure, then ParseDurationSecond); the table converts them as durations before the
# handler, so they read as Vault's TypeDurationSecond does (3600, "3600", "1h").
CREATION_DURATIONS = frozenset({"ttl", "explicit_max_ttl", "period", "lease"})

SUDO_ORPHAN = "root or sudo privileges required to revoke and orphan"
REVOKE_ORPHAN = "auth/token/revoke-orphan"


def _vector() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((VECTORS / OPENBAO).read_text())
    return loaded


def test_every_capture_is_a_declared_field_of_every_operation() -> None:
    assert_captures_declared(TABLE)


@pytest.mark.parametrize(("path", "schema"), sorted(SCHEMAS.items()))
def test_openbao_token_fields_are_declared_with_the_same_type(path: str, schema: str) -> None:
    """Each field OpenBao declares for a write we serve is in our Struct, with its type (the
    creation durations aside, see CREATION_DURATIONS); and we declare none OpenBao lacks."""
    theirs = openbao_schemas()[schema]["properties"]
    route, _ = TABLE.match(path)
    assert set(route.fields()) - set(route.captures()) == set(theirs), path
    durations = CREATION_DURATIONS if path.startswith("create") else frozenset()
    assert_openbao_fields_declared(TABLE, path, theirs, not_implemented=durations)
    for name in durations:
        ours = SCHEMA_TYPES[route.fields()[name].kind]
        assert (theirs[name]["type"], ours["format"]) == ("string", "seconds"), name


def test_sudo_paths_come_from_the_table() -> None:
    """OpenBao's table marks `accessors` alone; `revoke-orphan` checks sudo in its handler."""
    assert [r.pattern for r in TABLE.routes if r.sudo] == ["accessors/?"]
    assert TABLE.sudo("accessors/")
    assert not TABLE.sudo("revoke-orphan")


def test_no_path_is_unauthenticated() -> None:
    assert TokenBackend.unauthenticated == frozenset()


async def test_accessors_and_revoke_orphan_need_sudo(server: Server) -> None:
    plain = 'path "auth/token/*" { capabilities = ["update", "list"] }'
    token = await server.token_with(plain)
    assert (await server.call("LIST", "auth/token/accessors", token=token)).status_code == 403
    for body in ({"token": token}, {"token": "hvs.nothing"}):
        orphaned = await server.call("POST", "auth/token/revoke-orphan", body, token=token)
        assert orphaned.status_code == 400  # OpenBao's, found or not
        assert orphaned.json() == {"errors": [SUDO_ORPHAN]}
    sudo = await server.token_with(plain.replace('"list"', '"list", "sudo"'))
    assert (await server.call("LIST", "auth/token/accessors", token=sudo)).status_code == 200
    body = {"token": token}
    assert (await server.call("POST", REVOKE_ORPHAN, body, token=sudo)).status_code == 204
    assert (await server.call("GET", "auth/token/lookup-self", token=token)).status_code == 403


async def test_writing_a_new_role_needs_create(server: Server) -> None:
    """Vault's existence check on `roles/:role_name`: `update` changes a role, `create` makes
    one."""
    assert (await server.call("POST", "auth/token/roles/old", {})).status_code == 204
    token = await server.token_with('path "auth/token/roles/*" { capabilities = ["update"] }')
    changed = await server.call("POST", "auth/token/roles/old", {"orphan": True}, token=token)
    assert changed.status_code == 204
    made = await server.call("POST", "auth/token/roles/new", {}, token=token)
    assert made.status_code == 403


async def test_unknown_parameters_are_warned_sorted_bytewise(server: Server) -> None:
    resp = await server.call("POST", "auth/token/create", {"zz": 1, "B": 2, "ttl": "1h"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["warnings"] == ["Endpoint ignored these unrecognized parameters: [B zz]"]


async def test_a_field_that_does_not_convert_is_a_400_naming_it(server: Server) -> None:
    resp = await server.call("POST", "auth/token/create", {"num_uses": "many"})
    assert resp.status_code == 400
    expected = 'error converting input for field "num_uses": expected integer'
    assert resp.json() == {"errors": [expected]}


async def test_a_role_write_changes_only_the_fields_sent(server: Server) -> None:
    body = {"allowed_policies": "b,A", "token_period": "1h", "renewable": False}
    assert (await server.call("POST", "auth/token/roles/web", body)).status_code == 204
    assert (await server.call("POST", "auth/token/roles/web", {"orphan": "1"})).status_code == 204
    data = (await server.call("GET", "auth/token/roles/web")).json()["data"]
    assert (data["allowed_policies"], data["token_period"]) == (["a", "b"], 3600)
    assert (data["renewable"], data["orphan"], data["token_type"]) == (
        False,
        True,
        "default-service",
    )


async def test_deprecated_role_names_fill_the_token_ones(server: Server) -> None:
    """OpenBao reads `period`, `explicit_max_ttl` and `bound_cidrs` when the `token_` names are
    not sent, and the `token_` names win when both are."""
    body = {"period": "1h", "explicit_max_ttl": 7200, "bound_cidrs": "10.0.0.0/8"}
    assert (await server.call("POST", "auth/token/roles/old", body)).status_code == 204
    data = (await server.call("GET", "auth/token/roles/old")).json()["data"]
    assert (data["token_period"], data["token_explicit_max_ttl"]) == (3600, 7200)
    assert data["token_bound_cidrs"] == ["10.0.0.0/8"]
    both = {"period": "1h", "token_period": "2h"}
    assert (await server.call("POST", "auth/token/roles/old", both)).status_code == 204
    data = (await server.call("GET", "auth/token/roles/old")).json()["data"]
    assert data["token_period"] == 7200


async def test_a_role_name_outside_vaults_pattern_is_unsupported(server: Server) -> None:
    assert (await server.call("POST", "auth/token/roles/-x", {})).status_code == 404


async def test_lease_is_the_deprecated_ttl(server: Server) -> None:
    created = await server.call("POST", "auth/token/create", {"lease": "1h"})
    assert created.json()["auth"]["lease_duration"] == 3600


async def test_help_answers_vaults_shape(server: Server) -> None:
    resp = await server.call("GET", "auth/token/create", params={"help": "1"})
    assert resp.status_code == 200
    body = resp.json()
    assert body["help"].startswith("Request:        create\nMatching Route: ^create$")
    assert "The token create path is used to create new tokens." in body["help"]
    assert "    no_parent (bool)" in body["help"]


async def test_openapi_document_lists_the_token_stores_fields(server: Server) -> None:
    doc = (await server.call("GET", "sys/internal/specs/openapi")).json()
    paths = doc["paths"]
    assert paths["/auth/token/accessors"]["x-vault-sudo"] is True
    assert "x-vault-sudo" not in paths["/auth/token/revoke-orphan"]
    assert paths["/auth/token/roles/{role_name}"]["x-vault-createSupported"] is True
    create = paths["/auth/token/create"]["post"]
    ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    fields = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert fields["renewable"]["type"] == "boolean"
    assert fields["meta"]["format"] == "kvpairs"
    documented = _vector()["paths"]
    assert {p for p in paths if p.startswith("/auth/token/")} == {
        p for p in documented if p.startswith("/auth/token/")
    }


async def test_concurrent_role_writes_of_different_fields_both_stay() -> None:
    """Each write is a checked read-modify-write: interleaved between read and write (storage
    that yields), neither writer's field is lost."""
    async with running(YieldingBackend()) as server:
        assert (await server.call("POST", "auth/token/roles/web", {})).status_code == 204
        writes = [
            server.call("POST", "auth/token/roles/web", {"orphan": True}),
            server.call("POST", "auth/token/roles/web", {"path_suffix": "ci"}),
            server.call("POST", "auth/token/roles/web", {"token_num_uses": 3}),
        ]
        assert [r.status_code for r in await asyncio.gather(*writes)] == [204, 204, 204]
        data = (await server.call("GET", "auth/token/roles/web")).json()["data"]
    assert (data["orphan"], data["path_suffix"], data["token_num_uses"]) == (True, "ci", 3)


def test_the_package_imports_nothing_of_the_core() -> None:
    """`auth/token` sees the core only through `strongroom.logical` (the core hands it a
    TokenContext), so the core can change shape behind it and no import cycle forms."""
    allowed = (
        "strongroom.logical",
        "strongroom.auth.token",
        "strongroom.errors",
        "strongroom.clock",
    )
    package = FilePath(strongroom.auth.token.__file__).parent
    for module in package.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.startswith("strongroom"):
                    assert name.startswith(allowed), (module.name, name)
