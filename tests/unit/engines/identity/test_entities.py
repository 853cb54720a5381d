"""Entity and entity-alias paths, with the answers `bao server -dev` (OpenBao 2.7.2) gives."""

from __future__ import annotations

from typing import Any

from support.inproc import Server

ENTITY_KEYS = {
    "aliases",
    "creation_time",
    "direct_group_ids",
    "disabled",
    "group_ids",
    "id",
    "inherited_group_ids",
    "last_update_time",
    "merged_entity_ids",
    "metadata",
    "name",
    "namespace_id",
    "policies",
}


async def _ok(server: Server, method: str, path: str, body: Any = None) -> dict[str, Any]:
    resp = await server.call(method, path, body)
    assert resp.status_code in (200, 204), (path, resp.text)
    return {} if resp.status_code == 204 else dict(resp.json()["data"])


async def test_create_answers_the_id_and_an_update_204(server: Server) -> None:
    body = {"name": "alice", "policies": ["p1"], "metadata": {"team": "x"}}
    created = await _ok(server, "POST", "identity/entity", body)
    assert set(created) == {"aliases", "id", "name"}
    assert (created["aliases"], created["name"]) == (None, "alice")
    entity_id = created["id"]
    updated = await server.call("POST", f"identity/entity/id/{entity_id}", {"policies": "p2,p3"})
    assert updated.status_code == 204
    # A write naming an existing entity updates it, whichever path it comes through.
    assert (await server.call("POST", "identity/entity", {"name": "alice"})).status_code == 204
    read = await _ok(server, "GET", f"identity/entity/id/{entity_id}")
    assert set(read) == ENTITY_KEYS
    assert read["policies"] == ["p2", "p3"]
    assert read["metadata"] == {"team": "x"}
    assert (read["namespace_id"], read["aliases"], read["merged_entity_ids"]) == ("root", [], None)
    assert read["creation_time"].endswith("Z")
    assert (await _ok(server, "GET", "identity/entity/name/alice"))["id"] == entity_id


async def test_lists_and_missing_entities(server: Server) -> None:
    assert (await server.call("LIST", "identity/entity/id")).status_code == 404
    entity_id = (await _ok(server, "POST", "identity/entity", {"name": "a"}))["id"]
    listed = await _ok(server, "LIST", "identity/entity/id")
    assert listed == {"keys": [entity_id], "key_info": {entity_id: {"name": "a"}}}
    assert await _ok(server, "LIST", "identity/entity/name") == {"keys": ["a"]}
    missing = await server.call("GET", "identity/entity/id/nope")
    assert (missing.status_code, missing.json()) == (404, {"errors": []})
    assert (await server.call("DELETE", "identity/entity/id/nope")).status_code == 204
    unknown = await server.call("POST", "identity/entity/id/nope", {"policies": ["x"]})
    assert unknown.json() == {"errors": ["entity not found from id"]}


async def test_a_generated_name_and_create_by_name(server: Server) -> None:
    created = await _ok(server, "POST", "identity/entity", {})
    assert created["name"].startswith("entity_")
    by_name = await _ok(server, "POST", "identity/entity/name/enew", {"policies": ["x"]})
    assert by_name["name"] == "enew"
    assert (await server.call("POST", "identity/entity/name/enew", {})).status_code == 204
    assert (await server.call("DELETE", "identity/entity/name/enew")).status_code == 204
    assert (await server.call("GET", "identity/entity/name/enew")).status_code == 404


async def test_a_name_held_by_another_entity_is_refused(server: Server) -> None:
    await _ok(server, "POST", "identity/entity", {"name": "one"})
    other = (await _ok(server, "POST", "identity/entity", {"name": "two"}))["id"]
    clash = await server.call("POST", f"identity/entity/id/{other}", {"name": "one"})
    assert clash.status_code == 400


async def test_aliases(server: Server, accessor: str) -> None:
    entity_id = (await _ok(server, "POST", "identity/entity", {"name": "alice"}))["id"]
    body = {"name": "bob", "canonical_id": entity_id, "mount_accessor": accessor}
    made = await _ok(
        server, "POST", "identity/entity-alias", {**body, "custom_metadata": {"k": "v"}}
    )
    assert made["canonical_id"] == entity_id
    alias_id = made["id"]
    read = await _ok(server, "GET", f"identity/entity-alias/id/{alias_id}")
    assert read["mount_path"] == "auth/approle/"
    assert read["mount_type"] == "approle"
    assert (read["custom_metadata"], read["metadata"], read["local"]) == ({"k": "v"}, None, False)
    assert read["namespace_id"] == "root"
    again = await _ok(server, "POST", "identity/entity-alias", body)  # the same alias: its id
    assert again["id"] == alias_id
    second = await server.call("POST", "identity/entity-alias", {**body, "name": "bob2"})
    assert second.json() == {
        "errors": ["Alias already exists for requested entity and mount accessor"]
    }
    bad_mount = await server.call("POST", "identity/entity-alias", {**body, "mount_accessor": "x"})
    assert bad_mount.json() == {"errors": ["invalid mount accessor"]}
    bad_entity = await server.call(
        "POST", "identity/entity-alias", {**body, "name": "z", "canonical_id": "nope"}
    )
    assert bad_entity.json() == {"errors": ["invalid canonical ID"]}
    listed = await _ok(server, "LIST", "identity/entity-alias/id")
    assert listed["keys"] == [alias_id]
    entity = await _ok(server, "GET", f"identity/entity/id/{entity_id}")
    assert [a["id"] for a in entity["aliases"]] == [alias_id]
    renamed = await _ok(server, "POST", f"identity/entity-alias/id/{alias_id}", {"name": "n2"})
    assert renamed == {"canonical_id": entity_id, "id": alias_id}
    assert (await _ok(server, "GET", f"identity/entity-alias/id/{alias_id}"))["name"] == "n2"
    assert (await server.call("DELETE", f"identity/entity-alias/id/{alias_id}")).status_code == 204
    assert (await server.call("GET", f"identity/entity-alias/id/{alias_id}")).status_code == 404
    assert (await server.call("DELETE", f"identity/entity-alias/id/{alias_id}")).status_code == 204


async def test_an_alias_without_an_entity_makes_one(server: Server, accessor: str) -> None:
    made = await _ok(
        server, "POST", "identity/entity-alias", {"name": "n", "mount_accessor": accessor}
    )
    entity = await _ok(server, "GET", f"identity/entity/id/{made['canonical_id']}")
    assert entity["name"].startswith("entity_")
    incomplete = await server.call("POST", "identity/entity-alias", {"name": "n1"})
    assert incomplete.json() == {"errors": ["'id' or 'mount_accessor' and 'name' must be provided"]}
    unknown = await server.call("POST", "identity/entity-alias/id/nope", {"name": "x"})
    assert unknown.json() == {"errors": ["invalid alias ID provided"]}


async def test_merge_moves_aliases_and_deletes_the_merged(server: Server, accessor: str) -> None:
    into = (await _ok(server, "POST", "identity/entity", {"name": "m1", "policies": ["a"]}))["id"]
    gone = (await _ok(server, "POST", "identity/entity", {"name": "m2", "policies": ["b"]}))["id"]
    alias = {"name": "x2", "canonical_id": gone, "mount_accessor": accessor}
    alias_id = (await _ok(server, "POST", "identity/entity-alias", alias))["id"]
    group = await _ok(server, "POST", "identity/group", {"name": "g", "member_entity_ids": [gone]})
    merge = {"to_entity_id": into, "from_entity_ids": [gone]}
    assert (await server.call("POST", "identity/entity/merge", merge)).status_code == 204
    merged = await _ok(server, "GET", f"identity/entity/id/{into}")
    assert merged["merged_entity_ids"] == [gone]
    assert merged["policies"] == ["a"]
    assert [(a["id"], a["merged_from_canonical_ids"]) for a in merged["aliases"]] == [
        (alias_id, [gone])
    ]
    assert merged["direct_group_ids"] == [group["id"]]
    assert (await server.call("GET", f"identity/entity/id/{gone}")).status_code == 404
    lookup = {"alias_name": "x2", "alias_mount_accessor": accessor}
    assert (await _ok(server, "POST", "identity/lookup/entity", lookup))["id"] == into
    bad = await server.call("POST", "identity/entity/merge", {**merge, "from_entity_ids": ["no"]})
    assert bad.json() == {"errors": ["entity id to merge from is invalid"]}
    no_target = await server.call("POST", "identity/entity/merge", {"from_entity_ids": [into]})
    assert no_target.json() == {"errors": ["missing entity id to merge to"]}


async def test_merge_conflicting_aliases_needs_a_choice(server: Server, accessor: str) -> None:
    one = (await _ok(server, "POST", "identity/entity", {"name": "c1"}))["id"]
    two = (await _ok(server, "POST", "identity/entity", {"name": "c2"}))["id"]
    for entity_id, name in ((one, "a1"), (two, "a2")):
        body = {"name": name, "canonical_id": entity_id, "mount_accessor": accessor}
        await _ok(server, "POST", "identity/entity-alias", body)
    merge = {"to_entity_id": one, "from_entity_ids": [two]}
    assert (await server.call("POST", "identity/entity/merge", merge)).status_code == 400
    kept = (await _ok(server, "POST", "identity/lookup/entity", {"name": "c2"}))["aliases"][0]["id"]
    chosen = {**merge, "conflicting_alias_ids_to_keep": [kept]}
    assert (await server.call("POST", "identity/entity/merge", chosen)).status_code == 204
    merged = await _ok(server, "GET", f"identity/entity/id/{one}")
    assert [a["name"] for a in merged["aliases"]] == ["a2"]
    lookup = {"alias_name": "a1", "alias_mount_accessor": accessor}
    assert (await server.call("POST", "identity/lookup/entity", lookup)).status_code == 204


async def test_batch_delete(server: Server) -> None:
    ids = [(await _ok(server, "POST", "identity/entity", {"name": n}))["id"] for n in "ab"]
    missing = await server.call("POST", "identity/entity/batch-delete", {})
    assert missing.json() == {"errors": ["missing entity ids to delete"]}
    batch = {"entity_ids": [*ids, "nope"]}
    assert (await server.call("POST", "identity/entity/batch-delete", batch)).status_code == 204
    assert (await server.call("LIST", "identity/entity/id")).status_code == 404
    assert (await server.call("LIST", "identity/entity/name")).status_code == 404


async def test_lookup_entity_rules(server: Server) -> None:
    entity_id = (await _ok(server, "POST", "identity/entity", {"name": "alice"}))["id"]
    assert (await _ok(server, "POST", "identity/lookup/entity", {"id": entity_id}))[
        "name"
    ] == "alice"
    assert (await _ok(server, "POST", "identity/lookup/entity", {"name": "alice"}))[
        "id"
    ] == entity_id
    nobody = await server.call("POST", "identity/lookup/entity", {"name": "nobody"})
    assert nobody.status_code == 204
    none = await server.call("POST", "identity/lookup/entity", {})
    assert none.json() == {"errors": ["query parameter not supplied"]}
    both = await server.call("POST", "identity/lookup/entity", {"name": "a", "id": entity_id})
    assert both.json() == {
        "errors": ["query parameter conflict; please supply distinct set of query parameters"]
    }
    half = await server.call("POST", "identity/lookup/entity", {"alias_name": "x"})
    assert half.json() == {
        "errors": ["both 'alias_name' and 'alias_mount_accessor' needs to be set"]
    }
    assert (await server.call("GET", "identity/lookup/entity")).status_code == 405


async def test_the_identity_mount_is_builtin(server: Server) -> None:
    mounts = (await server.call("GET", "sys/mounts")).json()["data"]
    assert mounts["identity/"]["type"] == "identity"
    assert mounts["identity/"]["description"] == "identity store"
    assert (await server.call("DELETE", "sys/mounts/identity")).status_code == 400
    taken = await server.call("POST", "sys/mounts/identity", {"type": "kv"})
    assert taken.status_code == 400
    unknown = await server.call("GET", "identity/oidc/anything")
    assert unknown.status_code == 404


async def test_ids_and_names_no_record_could_have_are_not_server_errors(server: Server) -> None:
    """Schemathesis over our own document sent these: a NUL or a lone surrogate in an id or a
    name reached storage and was a 500; they name nothing, or are names like any other."""
    headers = {"X-Vault-Token": server.root_token, "Content-Type": "application/json"}
    for value in ("a\\u0000b", "\\ud800", "x/y"):  # JSON escapes: sent as the client sends
        for path, body in (
            ("identity/group", f'{{"member_entity_ids": ["{value}"]}}'),
            ("identity/entity/name/n", f'{{"name": "{value}"}}'),
            ("identity/group/id/g", f'{{"member_entity_ids": "{value}"}}'),
        ):
            resp = await server.client.post(f"/v1/{path}", content=body, headers=headers)
            assert resp.status_code < 500, (path, value, resp.text)
