"""Namespaces: the sys/namespaces API, how a request finds its namespace, and isolation of
mounts, policies and tokens between tenants."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from strongroom.barrier import Barrier
from strongroom.core import scheduler
from strongroom.core.namespaces.keys import KEYS_PREFIX, KeyDestroyed, TenantStore
from strongroom.storage.inmem import InmemBackend
from support.inproc import Server

SECRET_READER = 'path "secret/*" { capabilities = ["read", "create", "update"] }'


def ns(path: str) -> dict[str, str]:
    return {"X-Vault-Namespace": path}


async def create(server: Server, path: str, **body: Any) -> dict[str, Any]:
    resp = await server.call("POST", f"sys/namespaces/{path}", body)
    assert resp.status_code == 200, resp.text
    data: dict[str, Any] = resp.json()["data"]
    return data


async def kv_in(server: Server, namespace: str) -> None:
    resp = await server.call(
        "POST",
        "sys/mounts/secret",
        {"type": "kv", "options": {"version": "2"}},
        headers=ns(namespace),
    )
    assert resp.status_code == 204, resp.text


async def token_in(server: Server, namespace: str, policy: str) -> str:
    headers = ns(namespace)
    resp = await server.call("PUT", "sys/policies/acl/app", {"policy": policy}, headers=headers)
    assert resp.status_code == 204, resp.text
    resp = await server.call("POST", "auth/token/create", {"policies": ["app"]}, headers=headers)
    assert resp.status_code == 200, resp.text
    token: str = resp.json()["auth"]["client_token"]
    return token


async def test_create_read_list_patch_delete(server: Server) -> None:
    made = await create(server, "team-a", custom_metadata={"owner": "alice"})
    assert made["path"] == "team-a/"
    assert len(made["id"]) == 5
    assert made["custom_metadata"] == {"owner": "alice"}
    read = await server.call("GET", "sys/namespaces/team-a")
    assert read.json()["data"] == made
    nested = await server.call("POST", "sys/namespaces/prod", {}, headers=ns("team-a"))
    assert nested.json()["data"]["path"] == "team-a/prod/"
    listed = (await server.call("LIST", "sys/namespaces")).json()["data"]
    assert listed == {"keys": ["team-a/"], "key_info": {"team-a/": made}}
    inner = (await server.call("LIST", "sys/namespaces", headers=ns("team-a"))).json()["data"]
    assert inner["keys"] == ["prod/"]
    assert inner["key_info"]["prod/"]["path"] == "team-a/prod/"
    patched = await server.call(
        "PATCH",
        "sys/namespaces/team-a",
        {"custom_metadata": {"owner": None, "tier": "gold"}},
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert patched.json()["data"]["custom_metadata"] == {"tier": "gold"}
    busy = await server.call("DELETE", "sys/namespaces/team-a")
    assert busy.status_code == 400
    assert (await server.call("DELETE", "sys/namespaces/team-a/prod")).status_code == 204
    still_purging = await server.call("DELETE", "sys/namespaces/team-a")
    assert still_purging.status_code == 400
    for _ in range(3):
        await scheduler.tick(server.core)
    assert (await server.call("DELETE", "sys/namespaces/team-a")).status_code == 204
    for _ in range(3):
        await scheduler.tick(server.core)
    assert (await server.call("GET", "sys/namespaces/team-a")).status_code == 404
    assert (await server.call("LIST", "sys/namespaces")).status_code == 404


async def test_bad_names_and_duplicates_are_refused(server: Server) -> None:
    await create(server, "team-a")
    for bad in ("sys", "team a", "team-a/%2e%2e/b", "root", "x" * 65, "a.b"):
        resp = await server.call("POST", f"sys/namespaces/{bad}", {})
        assert resp.status_code in (400, 404), (bad, resp.text)
    again = await server.call("POST", "sys/namespaces/team-a", {})
    assert again.status_code == 400
    orphan = await server.call("POST", "sys/namespaces/nope/child", {})
    assert orphan.status_code == 400


async def test_each_namespace_has_its_own_mounts_and_data(server: Server) -> None:
    await create(server, "team-a")
    await create(server, "team-b")
    await kv_in(server, "team-a")
    await kv_in(server, "team-b")
    wrote = await server.call(
        "POST", "secret/data/db", {"data": {"password": "a-secret"}}, headers=ns("team-a")
    )
    assert wrote.status_code == 200, wrote.text
    in_b = await server.call("GET", "secret/data/db", headers=ns("team-b"))
    assert in_b.status_code == 404
    in_root = await server.call("GET", "secret/data/db")
    assert in_root.status_code == 404  # no such mount in the root namespace
    by_prefix = await server.call("GET", "team-a/secret/data/db")
    assert by_prefix.json()["data"]["data"] == {"password": "a-secret"}
    mixed = await server.call("GET", "secret/data/db", headers=ns("team-a"))
    assert mixed.json() == by_prefix.json() | {"request_id": mixed.json()["request_id"]}
    root_mounts = (await server.call("GET", "sys/mounts")).json()["data"]
    assert "secret/" not in root_mounts
    a_mounts = (await server.call("GET", "sys/mounts", headers=ns("team-a"))).json()["data"]
    assert {"secret/", "sys/"} <= set(a_mounts)


async def test_a_token_works_in_its_namespace_and_below_only(server: Server) -> None:
    await create(server, "team-a")
    await create(server, "team-b")
    await server.call("POST", "sys/namespaces/prod", {}, headers=ns("team-a"))
    for where in ("team-a", "team-a/prod", "team-b"):
        await kv_in(server, where)
    token = await token_in(
        server, "team-a", SECRET_READER + '\npath "prod/secret/*" { capabilities = ["read"] }'
    )
    await server.call("POST", "secret/data/x", {"data": {"v": "1"}}, headers=ns("team-a/prod"))
    own = await server.call("GET", "secret/data/x", token=token, headers=ns("team-a"))
    assert own.status_code == 404  # allowed, nothing there
    child = await server.call("GET", "secret/data/x", token=token, headers=ns("team-a/prod"))
    assert child.status_code == 200, child.text
    sibling = await server.call("GET", "secret/data/x", token=token, headers=ns("team-b"))
    missing = await server.call("GET", "secret/data/x", token=token, headers=ns("team-c"))
    parent = await server.call("GET", "sys/mounts", token=token)
    for refused in (sibling, missing, parent):
        assert refused.status_code == 403
        assert refused.json() == {"errors": ["permission denied"]}
    lookup = await server.call("GET", "auth/token/lookup-self", token=token, headers=ns("team-a"))
    assert lookup.json()["data"]["policies"] == ["app", "default"]


async def test_policies_are_per_namespace(server: Server) -> None:
    await create(server, "team-a")
    await server.call(
        "PUT", "sys/policies/acl/app", {"policy": SECRET_READER}, headers=ns("team-a")
    )
    root_list = (await server.call("LIST", "sys/policies/acl")).json()["data"]["keys"]
    a_list = (await server.call("LIST", "sys/policies/acl", headers=ns("team-a"))).json()["data"][
        "keys"
    ]
    assert "app" not in root_list
    assert sorted(a_list) == ["app", "default", "root"]


async def test_node_paths_are_root_only(server: Server) -> None:
    await create(server, "team-a")
    for method, path in (("GET", "sys/metrics"), ("PUT", "sys/seal"), ("GET", "sys/audit")):
        resp = await server.call(method, path, headers=ns("team-a"))
        assert resp.status_code == 404, path
    health = await server.call("GET", "sys/health", headers=ns("team-a"))
    assert health.status_code == 404


async def test_deleting_a_namespace_revokes_its_tokens_then_purges_in_the_background(
    server: Server,
) -> None:
    made = await create(server, "team-a")
    await kv_in(server, "team-a")
    await server.call("POST", "secret/data/x", {"data": {"v": "1"}}, headers=ns("team-a"))
    token = await token_in(server, "team-a", SECRET_READER)
    prefix = f"namespaces/{made['id']}/"
    assert await server.core.barrier.list(prefix)
    assert (await server.call("DELETE", "sys/namespaces/team-a")).status_code == 204
    lookup = await server.call("GET", "auth/token/lookup-self", token=token)
    assert lookup.status_code == 403
    shown = (await server.call("GET", "sys/namespaces/team-a")).json()["data"]
    assert shown["tainted"] is True
    assert shown["purged_entries"] == 0
    refused = await server.call("GET", "secret/data/x", headers=ns("team-a"))
    assert refused.status_code == 403
    busy = await server.call("POST", "sys/namespaces/team-a", {})
    assert busy.status_code == 400  # the old one is still being purged
    await scheduler.tick(server.core)
    assert (await server.call("GET", "sys/namespaces/team-a")).json()["data"]["purged_entries"] > 0
    await scheduler.tick(server.core)
    assert await server.core.barrier.list(prefix) == []
    assert (await server.call("GET", "sys/namespaces/team-a")).status_code == 404
    recreated = await create(server, "team-a")
    assert recreated["id"] != made["id"]
    gone = await server.call("GET", "secret/data/x", headers=ns("team-a"))
    assert gone.status_code == 404


async def test_a_storage_copy_taken_before_the_purge_is_unreadable(server: Server) -> None:
    """Crypto-shredding: with the root key and a raw copy of the storage taken after the
    delete (key destroyed) but before the purge, nothing of the namespace opens."""
    made = await create(server, "team-a")
    await kv_in(server, "team-a")
    canary = "crypto-shred-canary-7f3a"
    await server.call("POST", "secret/data/x", {"data": {"v": canary}}, headers=ns("team-a"))
    assert (await server.call("DELETE", "sys/namespaces/team-a")).status_code == 204
    physical = server.core.physical
    assert isinstance(physical, InmemBackend)
    copy = InmemBackend()
    for path in physical._keys:
        entry = physical._entries[path]
        await copy.put(path, entry.value)
    root_key = await server.core.keeper.root_key()
    assert root_key is not None
    barrier = Barrier(copy, server.clock)
    await barrier.unseal(root_key)
    prefix = f"namespaces/{made['id']}/"
    blobs = await _all_values(barrier, prefix)
    assert blobs  # the blobs are still there, and the barrier's outer layer opens...
    assert all(canary.encode() not in blob for blob in blobs)  # ...onto ciphertext only
    assert await barrier.get(KEYS_PREFIX + made["id"]) is None
    tenant = TenantStore(barrier, made["id"], prefix, server.clock)
    mounts = await barrier.list(prefix + "logical/")
    with pytest.raises(KeyDestroyed):
        await _all_values(tenant, prefix + "logical/" + mounts[0])


async def _all_values(store: Any, prefix: str) -> list[bytes]:
    values: list[bytes] = []
    for key in await store.list(prefix):
        if key.endswith("/"):
            values += await _all_values(store, prefix + key)
        else:
            value = await store.get(prefix + key)
            assert value is not None
            values.append(value)
    return values


async def test_rotating_inside_a_namespace_rotates_its_key_only(server: Server) -> None:
    await create(server, "team-a")
    await kv_in(server, "team-a")
    await server.call("POST", "secret/data/x", {"data": {"v": "before"}}, headers=ns("team-a"))
    root_before = (await server.call("GET", "sys/key-status")).json()["data"]
    assert (await server.call("GET", "sys/key-status", headers=ns("team-a"))).json()["data"][
        "term"
    ] == 1
    assert (await server.call("PUT", "sys/rotate", headers=ns("team-a"))).status_code == 204
    after = (await server.call("GET", "sys/key-status", headers=ns("team-a"))).json()["data"]
    assert after["term"] == 2
    assert (await server.call("GET", "sys/key-status")).json()["data"] == root_before
    old = await server.call("GET", "secret/data/x", headers=ns("team-a"))
    assert old.json()["data"]["data"] == {"v": "before"}  # an old term still opens old data
    await server.call("POST", "secret/data/y", {"data": {"v": "after"}}, headers=ns("team-a"))
    new = await server.call("GET", "secret/data/y", headers=ns("team-a"))
    assert new.json()["data"]["data"] == {"v": "after"}


async def test_another_worker_sees_a_new_namespace(server: Server) -> None:
    other_core = server.core.__class__(
        physical=server.core.physical,
        keeper=server.core.keeper,
        clock=server.clock,
        backends=server.core.catalogue,
    )
    await other_core.start()
    transport = httpx.ASGITransport(app=_app(other_core))
    async with httpx.AsyncClient(transport=transport, base_url="http://sr") as client:
        other = Server(other_core, client, server.clock, server.keys, server.root_token)
        assert (await other.call("GET", "sys/mounts", headers=ns("team-a"))).status_code == 403
        await create(server, "team-a")
        await kv_in(server, "team-a")
        seen = await other.call("GET", "sys/mounts", headers=ns("team-a"))
        assert seen.status_code == 200
        assert "secret/" in seen.json()["data"]


def _app(core: Any) -> Any:
    from strongroom.http.app import App  # noqa: PLC0415 - only this test builds a second app

    return App(core)


async def test_a_namespace_cannot_shadow_a_mount_nor_a_mount_a_namespace(server: Server) -> None:
    mounted = await server.call("POST", "sys/mounts/acme", {"type": "kv"})
    assert mounted.status_code == 204
    shadowing = await server.call("POST", "sys/namespaces/acme", {})
    assert shadowing.status_code == 400  # its paths and lease ids would be the mount's
    await create(server, "team-a")
    clash = await server.call("POST", "sys/mounts/team-a", {"type": "kv"})
    assert clash.status_code == 400
    nested = await server.call("POST", "sys/mounts/team-a/deeper", {"type": "kv"})
    assert nested.status_code == 400
    assert (await server.call("GET", "sys/mounts")).status_code == 200
