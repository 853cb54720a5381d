"""sys/blueprints end to end: CRUD wire shapes, the default blueprint, 400s that say why,
storage behind the barrier."""

from __future__ import annotations

import json

import pytest

from strongroom.blueprints import DEFAULT_BLUEPRINT, default_blueprint, to_document
from strongroom.core.system.blueprints import BlueprintStore
from strongroom.errors import BadRequest
from support.inproc import Server

HCL = """
description = "Payments team"
mount "kv" {
  type    = "kv"
  options = { version = "2" }
}
policy "reader" {
  text = <<-EOT
    path "kv/data/{{tenant}}/*" {
      capabilities = ["read"]
    }
    EOT
}
"""
DOCUMENT = {
    "description": "Payments team",
    "mounts": [
        {
            "path": "kv/",
            "type": "kv",
            "description": "",
            "options": {"version": "2"},
            "config": {"default_lease_ttl": 0, "max_lease_ttl": 0},
        }
    ],
    "transit_keys": [],
    "policies": {"reader": 'path "kv/data/{{tenant}}/*" {\n  capabilities = ["read"]\n}'},
    "approle_roles": [],
    "service": None,
    "token": None,
}


async def test_the_default_blueprint_is_there_without_being_stored(server: Server) -> None:
    listed = await server.call("LIST", "sys/blueprints")
    assert listed.status_code == 200, listed.text
    assert listed.json()["data"] == {"keys": ["default"]}
    assert (await server.call("GET", "sys/blueprints?list=true")).json()["data"]["keys"] == [
        "default"
    ]
    read = await server.call("GET", "sys/blueprints/default")
    assert read.status_code == 200, read.text
    data = read.json()["data"]
    assert data == {
        "name": "default",
        "blueprint": to_document(default_blueprint()),
        "source": DEFAULT_BLUEPRINT,
    }
    assert await server.core.barrier.list("core/blueprints/") == []


async def test_write_read_list_delete(server: Server) -> None:
    written = await server.call("PUT", "sys/blueprints/payments", {"blueprint": HCL})
    assert written.status_code == 204, written.text
    read = (await server.call("GET", "sys/blueprints/payments")).json()["data"]
    assert read == {"name": "payments", "blueprint": DOCUMENT, "source": HCL}
    keys = (await server.call("LIST", "sys/blueprints")).json()["data"]["keys"]
    assert keys == ["default", "payments"]
    assert (await server.call("DELETE", "sys/blueprints/payments")).status_code == 204
    assert (await server.call("GET", "sys/blueprints/payments")).status_code == 404
    assert (await server.call("DELETE", "sys/blueprints/payments")).status_code == 204


async def test_json_object_and_json_text(server: Server) -> None:
    resp = await server.call("POST", "sys/blueprints/obj", {"blueprint": DOCUMENT})
    assert resp.status_code == 204, resp.text
    read = (await server.call("GET", "sys/blueprints/obj")).json()["data"]
    assert read["blueprint"] == DOCUMENT
    assert json.loads(read["source"]) == DOCUMENT
    text = json.dumps(DOCUMENT)
    assert (await server.call("PUT", "sys/blueprints/txt", {"blueprint": text})).status_code == 204
    read = (await server.call("GET", "sys/blueprints/txt")).json()["data"]
    assert (read["blueprint"], read["source"]) == (DOCUMENT, text)


async def test_writing_again_replaces_and_names_are_lower_cased(server: Server) -> None:
    await server.call("PUT", "sys/blueprints/Team-A", {"blueprint": HCL})
    await server.call("PUT", "sys/blueprints/team-a", {"blueprint": "{}"})
    read = (await server.call("GET", "sys/blueprints/TEAM-A")).json()["data"]
    assert (read["name"], read["blueprint"]["mounts"], read["source"]) == ("team-a", [], "{}")


async def test_stored_behind_the_barrier(server: Server) -> None:
    await server.call("PUT", "sys/blueprints/payments", {"blueprint": HCL})
    entry = await server.core.physical.get("core/blueprints/payments")
    assert entry is not None
    assert b"Payments team" not in entry.value
    assert await server.core.barrier.get("core/blueprints/payments") is not None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "'blueprint' parameter not supplied or empty"),
        ({"blueprint": ""}, "'blueprint' parameter not supplied or empty"),
        ({"blueprint": " \n"}, "'blueprint' parameter not supplied or empty"),
        ({"blueprint": 5}, 'field "blueprint": expected string or object'),
        ({"blueprint": ["x"]}, 'field "blueprint": expected string or object'),
        ({"blueprint": 'mount "a" {'}, "invalid blueprint: invalid HCL"),
        ({"blueprint": {"mounts": [{"path": "a", "type": "s3"}]}}, 'mounts["a/"].type: must be'),
        ({"blueprint": '{"policies": {"p": "nonsense"}}'}, 'policies["p"]: failed to parse'),
    ],
)
async def test_invalid_writes_are_400s_that_say_why(
    server: Server, body: dict[str, object], message: str
) -> None:
    resp = await server.call("PUT", "sys/blueprints/bad", body)
    assert resp.status_code == 400, resp.text
    (error,) = resp.json()["errors"]
    assert message in error
    assert (await server.call("GET", "sys/blueprints/bad")).status_code == 404


@pytest.mark.parametrize("name", ["under_score", "-lead", "a" * 64, "dot.ted"])
async def test_invalid_names(server: Server, name: str) -> None:
    resp = await server.call("PUT", f"sys/blueprints/{name}", {"blueprint": "{}"})
    assert resp.status_code == 400
    assert "invalid blueprint name" in resp.json()["errors"][0]
    assert (await server.call("GET", f"sys/blueprints/{name}")).status_code == 400


async def test_the_default_blueprint_cannot_be_changed(server: Server) -> None:
    put = await server.call("PUT", "sys/blueprints/default", {"blueprint": "{}"})
    assert (put.status_code, put.json()["errors"]) == (
        400,
        ["cannot update the default blueprint"],
    )
    deleted = await server.call("DELETE", "sys/blueprints/default")
    assert (deleted.status_code, deleted.json()["errors"]) == (
        400,
        ["cannot delete the default blueprint"],
    )


async def test_needs_a_policy_that_allows_it(server: Server) -> None:
    created = await server.call("POST", "auth/token/create", {"policies": ["default"]})
    token = created.json()["auth"]["client_token"]
    assert (await server.call("LIST", "sys/blueprints", token=token)).status_code == 403
    put = await server.call("PUT", "sys/blueprints/x", {"blueprint": "{}"}, token=token)
    assert put.status_code == 403


async def test_the_store_hands_out_parsed_blueprints(server: Server) -> None:
    store = BlueprintStore(server.core.barrier)
    assert await store.blueprint("default") is default_blueprint()
    await store.write("payments", HCL)
    blueprint = await store.blueprint("PAYMENTS")
    assert blueprint.description == "Payments team"
    with pytest.raises(BadRequest, match='no blueprint named "nope"'):
        await store.blueprint("nope")
