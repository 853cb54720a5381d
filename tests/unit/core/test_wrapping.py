"""Response wrapping: X-Vault-Wrap-TTL on any request, and sys/wrapping/*."""

from __future__ import annotations

import asyncio

from strongroom.core import scheduler
from support.inproc import Server

WRAP = {"X-Vault-Wrap-TTL": "5m"}


async def test_wrapped_token_creation_unwraps_exactly_once(server: Server) -> None:
    resp = await server.call("POST", "auth/token/create", {"policies": ["app"]}, headers=WRAP)
    body = resp.json()
    assert body["auth"] is None
    info = body["wrap_info"]
    assert (info["ttl"], info["creation_path"]) == (300, "auth/token/create")
    assert info["wrapped_accessor"]
    first = await server.call("POST", "sys/wrapping/unwrap", token=info["token"])
    assert first.status_code == 200
    assert first.json()["auth"]["policies"] == ["app", "default"]
    assert first.json()["auth"]["accessor"] == info["wrapped_accessor"]
    second = await server.call("POST", "sys/wrapping/unwrap", token=info["token"])
    assert second.json() == {"errors": ["wrapping token is not valid or does not exist"]}


async def test_racing_unwraps_only_one_wins(server: Server) -> None:
    wrapped = await server.call("POST", "sys/wrapping/wrap", {"k": "v"}, headers=WRAP)
    token = wrapped.json()["wrap_info"]["token"]
    results = await asyncio.gather(
        *(
            server.call("POST", "sys/wrapping/unwrap", {"token": token}, token=None)
            for _ in range(5)
        )
    )
    assert sorted(r.status_code for r in results) == [200, 400, 400, 400, 400]


async def test_wrap_lookup_rewrap_unwrap_data(server: Server) -> None:
    wrapped = await server.call("POST", "sys/wrapping/wrap", {"secret": "s3"}, headers=WRAP)
    token = wrapped.json()["wrap_info"]["token"]
    looked = await server.call("POST", "sys/wrapping/lookup", {"token": token}, token=None)
    assert looked.json()["data"]["creation_path"] == "sys/wrapping/wrap"
    rewrapped = await server.call("POST", "sys/wrapping/rewrap", {"token": token})
    new_token = rewrapped.json()["wrap_info"]["token"]
    assert new_token != token
    old = await server.call("POST", "sys/wrapping/unwrap", {"token": token}, token=None)
    assert old.status_code == 400
    data = await server.call("POST", "sys/wrapping/unwrap", {"token": new_token}, token=None)
    assert data.json()["data"] == {"secret": "s3"}


async def test_wrapping_token_is_useless_elsewhere_and_expires(server: Server) -> None:
    wrapped = await server.call("POST", "sys/wrapping/wrap", {"k": "v"}, headers=WRAP)
    token = wrapped.json()["wrap_info"]["token"]
    assert (await server.call("GET", "sys/mounts", token=token)).status_code == 403
    other = await server.call("POST", "sys/wrapping/wrap", {"k": "v"}, headers=WRAP)
    later = other.json()["wrap_info"]["token"]
    server.clock.advance(301)
    assert (await server.call("POST", "sys/wrapping/unwrap", token=later)).status_code == 400
    await scheduler.tick(server.core)
    assert await server.core.barrier.list("sys/wrapping/responses/") == []


async def test_wrap_without_ttl_and_bad_ttl(server: Server) -> None:
    assert (await server.call("POST", "sys/wrapping/wrap", {"k": "v"})).status_code == 400
    bad = await server.call(
        "POST", "sys/mounts/kv9", {"type": "kv"}, headers={"X-Vault-Wrap-TTL": "soon"}
    )
    assert bad.json() == {"errors": ["error parsing wrap TTL"]}
    assert "kv9/" not in (await server.call("GET", "sys/mounts")).json()["data"]  # no side effect
