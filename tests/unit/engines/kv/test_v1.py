"""KV version 1: plain read, write, delete and list at the path (Vault's kv-v1 semantics)."""

from __future__ import annotations

from support.inproc import Server

MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}


async def test_write_read_replace_delete(kv1: Server) -> None:
    assert (await kv1.call("POST", "kv1/app/db", {"user": "u", "n": {"x": [1]}})).status_code == 204
    read = await kv1.call("GET", "kv1/app/db")
    assert read.status_code == 200
    assert read.json()["data"] == {"user": "u", "n": {"x": [1]}}
    await kv1.call("PUT", "kv1/app/db", {"other": True})
    assert (await kv1.call("GET", "kv1/app/db")).json()["data"] == {"other": True}
    assert (await kv1.call("DELETE", "kv1/app/db")).status_code == 204
    assert (await kv1.call("DELETE", "kv1/app/db")).status_code == 204
    gone = await kv1.call("GET", "kv1/app/db")
    assert gone.status_code == 404
    assert gone.json() == {"errors": []}


async def test_write_needs_data_and_a_key(kv1: Server) -> None:
    empty = await kv1.call("POST", "kv1/k", {})
    assert empty.json() == {"errors": ["missing data fields"]}
    folder = await kv1.call("POST", "kv1/k/", {"a": 1})
    assert folder.json() == {"errors": ["cannot write to a path ending in '/'"]}
    assert (await kv1.call("GET", "kv1/")).status_code == 404


async def test_patch_is_unsupported(kv1: Server) -> None:
    await kv1.call("POST", "kv1/k", {"a": 1})
    resp = await kv1.call("PATCH", "kv1/k", {"a": 2}, headers=MERGE_PATCH)
    assert resp.status_code == 405


async def test_no_version_option_means_v1(server: Server) -> None:
    await server.call("POST", "sys/mounts/plain", {"type": "kv"})
    assert (await server.call("POST", "plain/data/x", {"a": 1})).status_code == 204
    assert (await server.call("GET", "plain/data/x")).json()["data"] == {"a": 1}


async def test_an_unknown_version_answers_400(server: Server) -> None:
    await server.call("POST", "sys/mounts/odd", {"type": "kv", "options": {"version": "7"}})
    resp = await server.call("GET", "odd/x")
    assert resp.status_code == 400
    assert resp.json() == {"errors": ["invalid KV version in the mount options"]}
