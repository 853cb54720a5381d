"""The system backend's declarative table: every capture a declared field, OpenBao's sys fields
in our Structs (each difference named with its reason), handlers that read only their Struct,
the sudo and unauthenticated paths from the table, Vault's unknown-parameter warning,
`?help=1`, the OpenAPI document of `sys/`, and the root-only paths inside a namespace."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path as FilePath
from typing import Any

import pytest

from strongroom.core.acl import needs_sudo
from strongroom.core.system import backend as system_backend
from strongroom.core.system.paths import TABLE
from strongroom.core.system.reach import Reach, SysPath
from strongroom.errors import NotFound
from strongroom.logical.openapi import SCHEMA_TYPES, Document, paths_of
from strongroom.logical.paths import Operation
from support.framework import VECTORS, assert_captures_declared
from support.inproc import Server, make_core

VECTOR = VECTORS / "openbao-2.7.2.json"
SYSTEM = FilePath(system_backend.__file__).parent
# OpenBao's request fields of paths we serve that we do not declare, and why.
NOT_BUILT = {
    ("auth/{path}", "external_entropy_access"): "no external entropy source",
    ("auth/{path}", "plugin_name"): "no external plugins: `type` names the built-in",
    ("auth/{path}", "plugin_version"): "no external plugins",
    ("auth/{path}/tune", "plugin_version"): "no external plugins",
    ("auth/{path}/tune", "token_type"): "token types per auth mount are not built",
    ("auth/{path}/tune", "user_lockout_config"): "user lockout is AppRole's own option",
    ("init", "recovery_pgp_keys"): "no auto-unseal, so no recovery keys",
    ("init", "recovery_shares"): "no auto-unseal, so no recovery keys",
    ("init", "recovery_threshold"): "no auto-unseal, so no recovery keys",
    ("namespaces/{path}", "pgp_keys"): "no per-namespace seals (OpenBao 2.x)",
    ("namespaces/{path}", "seal"): "no per-namespace seals (OpenBao 2.x)",
}
NOT_BUILT |= {
    (path, name): "policy CAS, expiration and TTL are not built"
    for path in ("policies/acl/{name}", "policy/{name}")
    for name in ("cas", "cas_required", "expiration", "ttl")
}
NOT_BUILT |= {
    (path, name): "identity templating is not built"
    for path in ("policies/acl/{name}", "policy/{name}")
    for name in ("allow_slashes_in_identity_templates", "allow_wildcards_in_identity_templates")
}
NOT_BUILT |= {
    (path.replace("auth", "mounts"), name): reason
    for (path, name), reason in NOT_BUILT.items()
    if path.startswith("auth/")
}
# Declared with another type than OpenBao's, and why.
OTHER_TYPE = {
    ("quotas/rate-limit/{name}", "rate"): "Vault's TypeFloat: taken as sent, checked positive",
    ("namespaces/{path}", "custom_metadata"): "a merge patch on PATCH (null removes a key)",
}
# OpenBao paths that one of our patterns matches but that we do not serve as OpenBao does.
OPENBAO_ONLY = {
    "internal/specs/openapi": "a GET only here (what hvac and the UI call), no POST `context`",
    "namespaces/api-lock/lock": "no namespace API locks: a namespace named so, here",
    "namespaces/api-lock/unlock": "no namespace API locks: a namespace named so, here",
    "namespaces/api-lock/unlock/{path}": "no namespace API locks: a namespace named so, here",
    "namespaces/{path}/unseal": "no per-namespace seals: a namespace named so, here",
    "raw/{path}": "raw storage access is never enabled (404 after the sudo check)",
}


def _openbao_bodies() -> dict[str, dict[str, tuple[str, str | None]]]:
    """OpenBao's sys paths (below `sys/`) with a request body, each field's type and format."""
    document = json.loads(VECTOR.read_text())
    schemas = document["components"]["schemas"]
    found: dict[str, dict[str, tuple[str, str | None]]] = {}
    for path, item in document["paths"].items():
        if not path.startswith("/sys/"):
            continue
        for method in ("post", "patch"):
            content = item.get(method, {}).get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
            if ref:
                props = schemas[ref.rsplit("/", 1)[1]]["properties"]
                found.setdefault(path.removeprefix("/sys/"), {}).update(
                    {n: (p.get("type"), p.get("format")) for n, p in props.items()}
                )
    return found


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", r"x\1", path)


def test_every_capture_is_a_declared_field_of_every_operation() -> None:
    assert_captures_declared(TABLE)


def test_every_route_is_a_sys_path_with_a_synopsis() -> None:
    for route in TABLE.routes:
        assert isinstance(route, SysPath), route.pattern
        assert route.synopsis, route.pattern


def test_openbao_sys_fields_are_declared_with_the_same_type() -> None:
    checked = 0
    for path, properties in _openbao_bodies().items():
        try:
            route, _ = TABLE.match(_concrete(path))
        except NotFound:
            continue  # a path we do not serve (plugins, tools, config/...)
        if path in OPENBAO_ONLY:
            continue
        assert {Operation.UPDATE, Operation.PATCH} & set(route.operations), path
        fields = route.fields()
        for name, (kind, fmt) in properties.items():
            if (path, name) in NOT_BUILT or (path, name) in OTHER_TYPE:
                continue
            assert name in fields, (path, name)
            ours = SCHEMA_TYPES[fields[name].kind]
            assert (ours["type"], ours.get("format")) == (kind, fmt), (path, name)
            checked += 1
    assert checked > 80


def test_every_listed_difference_is_still_one() -> None:
    """A difference that OpenBao no longer has, or we fixed, leaves the lists."""
    bodies = _openbao_bodies()
    for path, name in {**NOT_BUILT, **OTHER_TYPE}:
        assert name in bodies[path], (path, name)
        route, _ = TABLE.match(_concrete(path))
        assert (name in route.fields()) == ((path, name) in OTHER_TYPE), (path, name)


def test_handlers_read_nothing_outside_their_struct() -> None:
    """Only a route that takes arbitrary input (sys/wrapping/wrap) reads `req.data`; no
    module of the system backend parses a field by hand."""
    for route in TABLE.routes:
        for spec in route.operations.values():
            source = inspect.getsource(spec.handler)
            assert ("req.data" in source) == route.arbitrary_input, spec.handler
    hand_parsing = re.compile(r"\bget_(str|int|bool|duration|list|map|strings|str_list|str_map)\(")
    for module in SYSTEM.glob("*.py"):
        assert not hand_parsing.search(module.read_text()), module.name


# Where a path both documents differs in its flags or methods from OpenBao's, and why.
FLAG_DIFFERENCES = {
    ("/sys/decode-token", "x-vault-unauthenticated"): "needs a token here (it always has)",
    ("/sys/internal/ui/mounts/{path}", "x-vault-unauthenticated"): (
        "the CLI's preflight answers from the token's ACL, so a token is needed"
    ),
    ("/sys/seal", "x-vault-sudo"): "in Vault's PathsSpecial.Root (OpenBao's handler checks)",
    ("/sys/step-down", "x-vault-sudo"): "in Vault's PathsSpecial.Root",
    ("/sys/wrapping/unwrap", "x-vault-unauthenticated"): (
        "OpenBao takes the wrapping token before its ACL; the table says so"
    ),
    ("/sys/wrapping/rewrap", "x-vault-unauthenticated"): (
        "OpenBao takes the wrapping token before its ACL; the table says so"
    ),
    ("/sys/internal/specs/openapi", "post"): "not built: the POST with a `context`",
    ("/sys/policies/acl/{name}", "patch"): "not built: PATCH of a policy (CAS)",
}


def test_flags_and_methods_are_openbaos_but_the_listed() -> None:
    ours = Document()
    ours.add_table("/sys/", "system", "system", TABLE.routes)
    mine = ours.render()["paths"]
    theirs = json.loads(VECTOR.read_text())["paths"]
    found = set()
    for path in set(mine) & set(theirs):
        for key in ("x-vault-sudo", "x-vault-unauthenticated", "get", "post", "patch", "delete"):
            if (key in mine[path]) != (key in theirs[path]):
                found.add((path, key))
    assert found == set(FLAG_DIFFERENCES)


SUDO = (
    "auth/approle",
    "auth/approle/tune",
    "remount",
    "audit",
    "audit/file",
    "raw/core/keyring",
    "rotate",
    "seal",
    "step-down",
    "leases/revoke-prefix/secret/",
    "leases/revoke-force/secret/",
    "leases/lookup/secret/",
    "revoke-prefix/secret/",
    "revoke-force/secret/",
)
NOT_SUDO = ("mounts/kv", "mounts/kv/tune", "auth", "leases/lookup", "remount/status/x", "health")


def test_the_sudo_paths_are_vaults() -> None:
    """Vault's PathsSpecial.Root of the system backend, marked `sudo=True` in the table."""
    system = make_core().system
    for path in SUDO:
        assert needs_sudo(system, path), path
    for path in NOT_SUDO:
        assert not needs_sudo(system, path), path


def test_the_unauthenticated_paths_come_from_the_table() -> None:
    node = {"health", "seal-status", "init", "unseal", "leader", "rekey/init", "rekey/update"}
    node |= {"rekey/verify", "generate-root/attempt", "generate-root/update"}
    wrapping = {"wrapping/unwrap", "wrapping/lookup", "wrapping/rewrap"}
    anonymous = {"internal/ui/mounts", "internal/specs/openapi"}
    assert TABLE.unauthenticated == node | wrapping | anonymous
    reach = {r.pattern: r.reach for r in TABLE.routes if isinstance(r, SysPath)}
    assert {p for p, r in reach.items() if r is Reach.NODE} == node
    assert {p for p, r in reach.items() if r is Reach.WRAPPING} == wrapping


def test_reach_alone_makes_a_route_unauthenticated() -> None:
    assert SysPath("x", {}, reach=Reach.WRAPPING).unauthenticated
    with pytest.raises(TypeError, match="reach"):
        SysPath("x", {}, unauthenticated=True)


async def test_unknown_parameters_are_warned_sorted_bytewise(server: Server) -> None:
    resp = await server.call("GET", "sys/mounts", params={"zz": "1", "B": "2"})
    expected = "Endpoint ignored these unrecognized parameters: [B zz]"
    assert resp.json()["warnings"] == [expected]
    body = {"paths": ["secret/x"], "zz": 1}
    resp = await server.call("POST", "sys/capabilities-self", body)
    assert resp.json()["warnings"] == ["Endpoint ignored these unrecognized parameters: [zz]"]


async def test_no_warning_on_an_empty_answer(server: Server) -> None:
    resp = await server.call("PUT", "sys/policies/acl/p", {"policy": "", "zz": 1})
    assert resp.status_code == 400
    resp = await server.call("PUT", "sys/policies/acl/p", {"policy": 'path "a" {}', "zz": 1})
    assert resp.status_code == 204


async def test_a_field_that_does_not_convert_is_a_400_naming_it(server: Server) -> None:
    resp = await server.call("POST", "sys/leases/renew", {"lease_id": "x", "increment": "soon"})
    assert resp.status_code == 400
    expected = 'error converting input for field "increment": expected duration'
    assert resp.json() == {"errors": [expected]}


async def test_help_answers_vaults_shape(server: Server) -> None:
    resp = await server.call("GET", "sys/policies/acl/default", params={"help": "1"})
    assert resp.status_code == 200
    body = resp.json()
    assert body["help"].startswith("Request:        policies/acl/default\nMatching Route: ^")
    assert "    policy (string)" in body["help"]
    assert "/policies/acl/{name}" in body["openapi"]["paths"]


async def test_help_of_a_node_path_needs_no_token(server: Server) -> None:
    """As OpenBao: `sys/health?help=1` answers without a token."""
    resp = await server.call("GET", "sys/health", token=None, params={"help": "1"})
    assert resp.status_code == 200
    assert resp.json()["help"].startswith("Request:        health\nMatching Route: ^health$")


def _document_paths(route: Any) -> list[str]:
    return ["/sys/" + p for p in paths_of(route.pattern)]


async def test_openapi_document_covers_every_sys_route(server: Server) -> None:
    doc = (await server.call("GET", "sys/internal/specs/openapi")).json()
    for route in TABLE.routes:
        for path in _document_paths(route):
            assert path in doc["paths"], path
    assert doc["paths"]["/sys/health"]["x-vault-unauthenticated"] is True
    assert doc["paths"]["/sys/auth/{path}"]["x-vault-sudo"] is True
    assert "x-vault-sudo" not in doc["paths"]["/sys/mounts/{path}"]
    post = doc["paths"]["/sys/mounts/{path}"]["post"]
    ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    properties = doc["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert {"type", "config", "options", "description", "local", "seal_wrap"} <= set(properties)
    assert properties["options"]["format"] == "kvpairs"


def _in(namespace: str) -> dict[str, str]:
    return {"X-Vault-Namespace": namespace}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "sys/health"),
        ("GET", "sys/seal-status"),
        ("GET", "sys/audit"),
        ("GET", "sys/metrics"),
        ("GET", "sys/quotas/config"),
        ("GET", "sys/rotate/root/init"),
        ("POST", "sys/wrapping/lookup"),  # unauthenticated, but never through the pipeline
    ],
)
async def test_root_only_paths_are_404_inside_a_namespace(
    server: Server, method: str, path: str
) -> None:
    await server.call("POST", "sys/namespaces/team-a")
    resp = await server.call(method, path, headers=_in("team-a"), token="root")
    if path == "sys/wrapping/lookup":  # answered without the pipeline: the token is no wrap
        assert resp.status_code == 400, resp.text
        return
    assert resp.status_code == 404, resp.text


async def test_namespace_paths_answer_inside_a_namespace(server: Server) -> None:
    await server.call("POST", "sys/namespaces/team-a")
    for path in ("sys/key-status", "sys/mounts", "sys/policies/acl?list=true"):
        resp = await server.call("GET", path, headers=_in("team-a"))
        assert resp.status_code == 200, (path, resp.text)


async def test_a_non_ascii_nonce_is_a_wrong_nonce(server: Server) -> None:
    """Schemathesis over our own document found this 500 once the fields were declared."""
    started = await server.call("POST", "sys/generate-root-token/attempt", {})
    assert started.status_code == 200, started.text
    body = {"key": "00" * 32, "nonce": "n\u00f6nce"}
    resp = await server.call("POST", "sys/generate-root-token/update", body)
    assert resp.status_code == 400, resp.text
    assert resp.json() == {"errors": ["incorrect nonce supplied"]}
