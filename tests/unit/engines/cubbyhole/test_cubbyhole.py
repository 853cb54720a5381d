"""The cubbyhole engine: every namespace has one, each token sees only its own, and a token's
cubbyhole is destroyed with the token (answers as `bao server -dev` gives them)."""

from __future__ import annotations

from typing import Any

from strongroom.core import scheduler
from support.inproc import Server


async def _child(server: Server, **body: Any) -> str:
    resp = await server.call("POST", "auth/token/create", {"policies": ["default"], **body})
    assert resp.status_code == 200, resp.text
    return str(resp.json()["auth"]["client_token"])


async def test_write_read_list_delete_as_vault(server: Server) -> None:
    assert (await server.call("POST", "cubbyhole/a/x", {"n": 1})).status_code == 204
    assert (await server.call("GET", "cubbyhole/a/x")).json()["data"] == {"n": 1}
    listed = await server.call("LIST", "cubbyhole/")
    assert listed.json()["data"] == {"keys": ["a/"]}
    assert (await server.call("DELETE", "cubbyhole/a/x")).status_code == 204
    missing = await server.call("GET", "cubbyhole/a/x")
    assert (missing.status_code, missing.json()) == (404, {"errors": []})
    assert (await server.call("LIST", "cubbyhole/a")).status_code == 404
    assert (await server.call("DELETE", "cubbyhole/a/x")).status_code == 204


async def test_bad_writes_are_400(server: Server) -> None:
    empty = await server.call("POST", "cubbyhole/x", {})
    assert (empty.status_code, empty.json()) == (400, {"errors": ["missing data fields"]})
    folder = await server.call("POST", "cubbyhole/x/", {"a": "b"})
    assert folder.json() == {"errors": ["cannot write to a path ending in '/'"]}


async def test_no_other_token_reaches_a_cubbyhole_not_even_root(server: Server) -> None:
    child = await _child(server)
    assert (await server.call("POST", "cubbyhole/mine", {"k": "v"}, token=child)).status_code == 204
    assert (await server.call("GET", "cubbyhole/mine")).status_code == 404
    assert (await server.call("LIST", "cubbyhole/")).status_code == 404
    other = await _child(server)
    assert (await server.call("GET", "cubbyhole/mine", token=other)).status_code == 404
    assert (await server.call("GET", "cubbyhole/mine", token=child)).json()["data"] == {"k": "v"}


async def test_a_cubbyhole_is_destroyed_with_its_token(server: Server) -> None:
    child = await _child(server)
    await server.call("POST", "cubbyhole/a/b", {"k": "v"}, token=child)
    stored = await server.core.barrier.list("")
    assert (await server.call("POST", "auth/token/revoke-self", token=child)).status_code == 204
    await scheduler.tick(server.core)
    cubbyhole = server.core.mounts.find("mounts", "cubbyhole/")
    assert cubbyhole is not None
    left = await server.core.barrier.list(cubbyhole.storage_prefix("mounts"))
    assert left == []
    assert stored  # the store was not empty to begin with: the purge was targeted


async def test_batch_tokens_have_no_cubbyhole(server: Server) -> None:
    batch = await _child(server, type="batch")
    resp = await server.call("GET", "cubbyhole/x", token=batch)
    assert resp.status_code == 400
    assert resp.json() == {
        "errors": ["cubbyhole operations are only supported by 'service' type tokens"]
    }


async def test_every_namespace_mounts_one_that_cannot_be_removed(server: Server) -> None:
    assert (await server.call("POST", "sys/namespaces/team")).status_code == 200
    for headers in ({}, {"X-Vault-Namespace": "team"}):
        mounts = (await server.call("GET", "sys/mounts", headers=headers)).json()["data"]
        assert mounts["cubbyhole/"]["type"] == "cubbyhole"
        assert mounts["cubbyhole/"]["description"] == "per-token private secret storage"
    refused = await server.call("DELETE", "sys/mounts/cubbyhole")
    assert refused.status_code == 400
    wrote = await server.call("POST", "team/cubbyhole/x", {"a": "b"})
    assert wrote.status_code == 204
    assert (await server.call("GET", "cubbyhole/x")).status_code == 404


async def test_a_store_made_before_cubbyhole_gains_it_at_unseal(server: Server) -> None:
    await server.core.mounts.change(
        "mounts", lambda table: tuple(e for e in table if e.type != "cubbyhole")
    )
    assert server.core.mounts.find("mounts", "cubbyhole/") is None
    assert (await server.call("PUT", "sys/seal")).status_code == 204
    await server.unseal()
    assert (await server.call("POST", "cubbyhole/x", {"a": "b"})).status_code == 204


async def test_the_body_is_the_secret_so_no_field_is_warned_about(server: Server) -> None:
    """Vault's cubbyhole path takes arbitrary input: any key is data, none is "unrecognized"."""
    assert (await server.call("POST", "cubbyhole/k", {"zz": 1, "path": "p"})).status_code == 204
    read = (await server.call("GET", "cubbyhole/k")).json()
    assert (read["data"], read["warnings"]) == ({"zz": 1, "path": "p"}, None)


async def test_help_and_openapi_come_from_the_table(server: Server) -> None:
    helped = (await server.call("GET", "cubbyhole/k", params={"help": "1"})).json()
    assert helped["help"].startswith("Request:        k\nMatching Route: ^(?P<path>.*)$")
    doc = (await server.call("GET", "sys/internal/specs/openapi")).json()
    params = doc["paths"]["/cubbyhole/{path}"]["parameters"]
    assert params[0]["description"] == "Specifies the path of the secret."
