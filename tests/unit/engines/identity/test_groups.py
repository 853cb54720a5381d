"""Group and group-alias paths, with the answers `bao server -dev` (OpenBao 2.7.2) gives."""

from __future__ import annotations

from typing import Any

from support.inproc import Server


async def _ok(server: Server, method: str, path: str, body: Any = None) -> dict[str, Any]:
    resp = await server.call(method, path, body)
    assert resp.status_code in (200, 204), (path, resp.text)
    return {} if resp.status_code == 204 else dict(resp.json()["data"])


async def test_internal_groups_and_inheritance(server: Server) -> None:
    entity_id = (await _ok(server, "POST", "identity/entity", {"name": "alice"}))["id"]
    body = {
        "name": "g1",
        "policies": "gp1",
        "member_entity_ids": [entity_id],
        "metadata": {"a": "b"},
    }
    g1 = await _ok(server, "POST", "identity/group", body)
    assert set(g1) == {"id", "name"}
    g2 = await _ok(
        server,
        "POST",
        "identity/group",
        {"name": "g2", "policies": ["gp2"], "member_group_ids": [g1["id"]]},
    )
    read = await _ok(server, "GET", f"identity/group/id/{g1['id']}")
    assert read["alias"] == {}
    assert read["member_entity_ids"] == [entity_id]
    assert (read["member_group_ids"], read["parent_group_ids"]) == (None, [g2["id"]])
    assert (read["type"], read["policies"], read["metadata"]) == ("internal", ["gp1"], {"a": "b"})
    assert read["modify_index"] == 1
    entity = await _ok(server, "GET", f"identity/entity/id/{entity_id}")
    assert entity["direct_group_ids"] == [g1["id"]]
    assert entity["inherited_group_ids"] == [g2["id"]]
    assert entity["group_ids"] == [g1["id"], g2["id"]]
    listed = await _ok(server, "LIST", "identity/group/id")
    assert listed["key_info"][g1["id"]] == {
        "name": "g1",
        "num_member_entities": 1,
        "num_parent_groups": 1,
    }
    assert sorted((await _ok(server, "LIST", "identity/group/name"))["keys"]) == ["g1", "g2"]
    cycle = await server.call(
        "POST", f"identity/group/id/{g1['id']}", {"member_group_ids": [g2["id"]]}
    )
    assert cycle.json() == {"errors": ["cyclic relationship detected for member group ID"]}
    unknown = await server.call(
        "POST", "identity/group", {"name": "x", "member_entity_ids": ["no"]}
    )
    assert unknown.status_code == 400


async def test_group_updates_and_deletes(server: Server) -> None:
    created = await _ok(server, "POST", "identity/group", {"name": "upd", "policies": ["a"]})
    assert (
        await server.call("POST", "identity/group", {"name": "upd", "policies": ["b"]})
    ).status_code == 204
    gid = created["id"]
    assert (
        await server.call("POST", f"identity/group/id/{gid}", {"name": "upd2"})
    ).status_code == 204
    unknown = await server.call("POST", "identity/group/id/nope", {"name": "z"})
    assert unknown.json() == {"errors": ["invalid group ID"]}
    assert (
        await server.call("POST", "identity/group/name/upd2", {"policies": ["c"]})
    ).status_code == 204
    read = await _ok(server, "GET", "identity/group/name/upd2")
    assert (read["id"], read["policies"], read["modify_index"]) == (gid, ["c"], 4)
    retyped = await server.call("POST", "identity/group", {"name": "upd2", "type": "external"})
    assert retyped.json() == {"errors": ["group type cannot be changed"]}
    bogus = await server.call("POST", "identity/group", {"type": "bogus"})
    assert bogus.json() == {"errors": ["invalid group type"]}
    made = await _ok(server, "POST", "identity/group/name/gnew", {"policies": ["x"]})
    assert made["name"] == "gnew"
    assert (await server.call("DELETE", f"identity/group/id/{gid}")).status_code == 204
    assert (await server.call("GET", f"identity/group/id/{gid}")).status_code == 404
    assert (await server.call("DELETE", "identity/group/name/gnew")).status_code == 204
    assert (await server.call("DELETE", "identity/group/name/nope")).status_code == 204
    assert (await server.call("LIST", "identity/group/id")).status_code == 404


async def test_external_groups_and_their_aliases(server: Server, accessor: str) -> None:
    entity_id = (await _ok(server, "POST", "identity/entity", {"name": "alice"}))["id"]
    manual = {"name": "ext", "type": "external", "member_entity_ids": [entity_id]}
    refused = await server.call("POST", "identity/group", manual)
    assert refused.json() == {
        "errors": ["member entities can't be set manually for external groups"]
    }
    ext = (await _ok(server, "POST", "identity/group", {"name": "ext", "type": "external"}))["id"]
    alias = {"name": "devs", "mount_accessor": accessor, "canonical_id": ext}
    made = await _ok(server, "POST", "identity/group-alias", alias)
    assert made["canonical_id"] == ext
    read = await _ok(server, "GET", f"identity/group-alias/id/{made['id']}")
    assert (read["mount_path"], read["name"], read["custom_metadata"]) == (
        "auth/approle/",
        "devs",
        None,
    )
    group = await _ok(server, "GET", f"identity/group/id/{ext}")
    assert group["alias"]["id"] == made["id"]
    assert "custom_metadata" not in group["alias"]
    taken = await server.call("POST", "identity/group-alias", alias)
    assert taken.json() == {
        "errors": ["combination of mount and group alias name is already in use"]
    }
    internal = (await _ok(server, "POST", "identity/group", {"name": "int"}))["id"]
    on_internal = await server.call(
        "POST", "identity/group-alias", {**alias, "name": "d2", "canonical_id": internal}
    )
    assert on_internal.json() == {"errors": ["alias can't be set on an internal group"]}
    no_mount = await server.call("POST", f"identity/group-alias/id/{made['id']}", {"name": "x"})
    assert no_mount.json() == {"errors": ["missing mount_accessor"]}
    renamed = {"name": "gn2", "mount_accessor": accessor, "canonical_id": ext}
    assert (await _ok(server, "POST", f"identity/group-alias/id/{made['id']}", renamed))[
        "id"
    ] == made["id"]
    assert (await _ok(server, "LIST", "identity/group-alias/id"))["keys"] == [made["id"]]
    lookup = {"alias_name": "gn2", "alias_mount_accessor": accessor}
    assert (await _ok(server, "POST", "identity/lookup/group", lookup))["id"] == ext
    assert (await _ok(server, "POST", "identity/lookup/group", {"name": "ext"}))["id"] == ext
    assert (await server.call("POST", "identity/lookup/group", {"name": "nope"})).status_code == 204
    assert (await server.call("DELETE", f"identity/group-alias/id/{made['id']}")).status_code == 204
    assert (await _ok(server, "GET", f"identity/group/id/{ext}"))["alias"] == {}


async def test_a_group_alias_without_a_group_makes_an_external_one(
    server: Server, accessor: str
) -> None:
    made = await _ok(
        server, "POST", "identity/group-alias", {"name": "n", "mount_accessor": accessor}
    )
    group = await _ok(server, "GET", f"identity/group/id/{made['canonical_id']}")
    assert group["type"] == "external"


async def test_deleting_an_entity_drops_its_memberships(server: Server) -> None:
    entity_id = (await _ok(server, "POST", "identity/entity", {"name": "alice"}))["id"]
    group = await _ok(
        server, "POST", "identity/group", {"name": "g", "member_entity_ids": [entity_id]}
    )
    assert (await server.call("DELETE", f"identity/entity/id/{entity_id}")).status_code == 204
    assert (await _ok(server, "GET", f"identity/group/id/{group['id']}"))[
        "member_entity_ids"
    ] is None
