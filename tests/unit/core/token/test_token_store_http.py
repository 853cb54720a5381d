"""auth/token/* over the in-process server: creation, TTLs, uses, trees, batch, roles."""

from __future__ import annotations

from typing import Any

import pytest

from strongroom.core import scheduler
from strongroom.core.token.issue import TokenRequest, issue
from strongroom.errors import BadRequest, PermissionDenied
from support.inproc import Server

HOUR = 3600


async def create(
    server: Server, token: str = "root", path: str = "create", **body: Any
) -> dict[str, Any]:
    resp = await server.call("POST", f"auth/token/{path}", body, token=token)
    assert resp.status_code == 200, resp.text
    auth: dict[str, Any] = resp.json()["auth"]
    return auth


async def lookup(server: Server, token: str) -> dict[str, Any] | None:
    resp = await server.call("POST", "auth/token/lookup", {"token": token})
    if resp.status_code != 200:
        return None
    data: dict[str, Any] = resp.json()["data"]
    return data


async def test_create_auth_block_and_lookup_shape(server: Server) -> None:
    auth = await create(server, policies=["b", "A"], ttl="1h", meta={"team": "x"})
    assert auth["client_token"].startswith("hvs.")
    assert len(auth["client_token"]) == 28
    assert auth["policies"] == ["a", "b", "default"]
    assert auth["lease_duration"] == HOUR
    assert (auth["renewable"], auth["orphan"], auth["token_type"]) == (True, False, "service")
    data = await lookup(server, auth["client_token"])
    assert data is not None
    assert data["ttl"] == HOUR
    assert data["meta"] == {"team": "x"}
    assert data["accessor"] == auth["accessor"]
    assert data["expire_time"].endswith("Z")


async def test_ttl_defaults_and_expiry_with_the_clock(server: Server) -> None:
    auth = await create(server, policies=["root"], ttl="1h")
    token = auth["client_token"]
    assert (await server.call("GET", "sys/mounts", token=token)).status_code == 200
    server.clock.advance(HOUR + 1)
    assert (await server.call("GET", "sys/mounts", token=token)).status_code == 403
    plain = await create(server, policies=["p"])
    assert plain["lease_duration"] == 768 * HOUR  # the system default
    root_child = await create(server)
    assert root_child["lease_duration"] == 0  # root policy, no TTL: never expires


async def test_num_uses_are_spent_even_on_denied_requests(server: Server) -> None:
    token = (await create(server, policies=["root"], num_uses=2))["client_token"]
    assert (await server.call("GET", "sys/mounts", token=token)).status_code == 200
    assert (await server.call("GET", "sys/mounts", token=token)).status_code == 200
    assert (await server.call("GET", "sys/mounts", token=token)).status_code == 403
    limited = (await create(server, policies=["nothing"], num_uses=1))["client_token"]
    assert (await server.call("GET", "sys/mounts", token=limited)).status_code == 403
    assert await lookup(server, limited) is None  # the denied request spent the last use


async def test_revoking_a_parent_revokes_its_tree_but_not_orphans(server: Server) -> None:
    top = (await create(server))["client_token"]
    child = (await create(server, token=top))["client_token"]
    grandchild = (await create(server, token=child))["client_token"]
    orphan = (await create(server, token=top, path="create-orphan"))["client_token"]
    assert (await lookup(server, orphan))["orphan"] is True  # type: ignore[index]
    resp = await server.call("POST", "auth/token/revoke", {"token": top})
    assert resp.status_code == 204
    assert await lookup(server, child) is None
    assert await lookup(server, grandchild) is None
    assert await lookup(server, orphan) is not None


async def test_revoke_orphan_keeps_children_alive(server: Server) -> None:
    top = (await create(server))["client_token"]
    child = (await create(server, token=top))["client_token"]
    await server.call("POST", "auth/token/revoke-orphan", {"token": top})
    assert await lookup(server, top) is None
    data = await lookup(server, child)
    assert data is not None
    assert data["orphan"] is True


async def test_ten_thousand_token_tree_revokes_completely(server: Server) -> None:
    store = server.core.tokens.store
    root = await server.core.tokens.resolve(server.root_token)
    assert root is not None
    top = await create(server)
    parent = await server.core.tokens.resolve(top["client_token"])
    assert parent is not None
    parents = [parent]
    from strongroom.core.token.entry import TokenEntry  # noqa: PLC0415
    from strongroom.core.token.store import new_accessor  # noqa: PLC0415

    made = 1
    while made < 10_000:
        next_level = []
        for p in parents:
            for _ in range(10):
                if made >= 10_000:
                    break
                issued = await store.create(
                    TokenEntry(accessor=new_accessor(), policies=("root",), parent=p.key)
                )
                next_level.append(issued.entry)
                made += 1
        parents = next_level
    revoked = await server.core.tokens.revoke(parent)
    assert revoked == 10_000
    left = await server.core.tokens.view.list("id/")
    assert len(left) == 1  # only the initial root token
    assert await server.core.tokens.view.list("parent/") == []
    assert await server.core.tokens.view.list("accessor/") != []
    assert len(await server.core.tokens.view.list("accessor/")) == 1


async def test_accessor_lookup_renew_revoke_and_listing(server: Server) -> None:
    auth = await create(server, policies=["p"], ttl="1h")
    resp = await server.call("POST", "auth/token/lookup-accessor", {"accessor": auth["accessor"]})
    assert resp.json()["data"]["id"] == ""  # never the token itself
    listed = (await server.call("LIST", "auth/token/accessors")).json()["data"]["keys"]
    assert auth["accessor"] in listed
    server.clock.advance(1800)
    renewed = await server.call(
        "POST", "auth/token/renew-accessor", {"accessor": auth["accessor"], "increment": "2h"}
    )
    assert renewed.json()["auth"]["lease_duration"] == 2 * HOUR
    assert renewed.json()["auth"]["client_token"] == ""
    await server.call("POST", "auth/token/revoke-accessor", {"accessor": auth["accessor"]})
    assert await lookup(server, auth["client_token"]) is None


async def test_renewal_capped_by_explicit_max_and_periodic_tokens(server: Server) -> None:
    capped = await create(server, policies=["p"], ttl="1h", explicit_max_ttl="90m")
    resp = await server.call(
        "POST", "auth/token/renew", {"token": capped["client_token"], "increment": "5h"}
    )
    assert resp.json()["auth"]["lease_duration"] == 90 * 60
    periodic = await create(server, policies=["p"], period="30m")
    assert periodic["lease_duration"] == 1800
    server.clock.advance(1000)
    again = await server.call("POST", "auth/token/renew", {"token": periodic["client_token"]})
    assert again.json()["auth"]["lease_duration"] == 1800
    for _ in range(40):  # 40 h in all: far past the 768 h? no, but past any TTL it was given
        server.clock.advance(1700)
        renewed = await server.call("POST", "auth/token/renew", {"token": periodic["client_token"]})
        assert renewed.json()["auth"]["lease_duration"] == 1800
    server.clock.advance(1801)
    assert await lookup(server, periodic["client_token"]) is None  # not renewed: gone


async def test_batch_tokens(server: Server) -> None:
    auth = await create(server, policies=["p"], type="batch", ttl="1h")
    token = auth["client_token"]
    assert token.startswith("hvb.")
    assert (auth["accessor"], auth["renewable"], auth["token_type"]) == ("", False, "batch")
    data = await lookup(server, token)
    assert data is not None
    assert (data["policies"], data["type"], data["ttl"]) == (["default", "p"], "batch", HOUR)
    entry = await server.core.tokens.resolve(token)
    assert entry is not None
    with pytest.raises(BadRequest):
        await issue(server.core, TokenRequest(policies=("p",)), entry)
    for i in range(4, len(token)):
        flipped = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
        assert await server.core.tokens.resolve(flipped) is None
    server.clock.advance(HOUR + 1)
    assert await lookup(server, token) is None


async def test_batch_root_tokens_are_refused(server: Server) -> None:
    resp = await server.call("POST", "auth/token/create", {"policies": ["root"], "type": "batch"})
    assert resp.json() == {"errors": ["batch tokens cannot be root tokens"]}


async def test_batch_token_dies_with_its_parent(server: Server) -> None:
    parent = (await create(server))["client_token"]
    child = (await create(server, token=parent, policies=["p"], type="batch"))["client_token"]
    assert await lookup(server, child) is not None
    await server.call("POST", "auth/token/revoke", {"token": parent})
    assert await lookup(server, child) is None


async def test_roles_bound_policies_and_cidrs(server: Server) -> None:
    role = {"allowed_policies": ["app", "ops"], "disallowed_policies": ["root"], "orphan": True}
    assert (await server.call("POST", "auth/token/roles/svc", role)).status_code == 204
    read = (await server.call("GET", "auth/token/roles/svc")).json()["data"]
    assert read["allowed_policies"] == ["app", "ops"]
    auth = await create(server, path="create/svc", policies=["app"])
    assert auth["policies"] == ["app", "default"]
    assert auth["orphan"] is True
    bad = await server.call("POST", "auth/token/create/svc", {"policies": ["root"]})
    assert bad.status_code == 400
    assert (await server.call("LIST", "auth/token/roles")).json()["data"]["keys"] == ["svc"]
    fenced = {"allowed_policies": ["root"], "token_bound_cidrs": ["10.0.0.0/8"]}
    await server.call("POST", "auth/token/roles/fenced", fenced)
    token = (await create(server, path="create/fenced", policies=["root"]))["client_token"]
    # the in-process client connects from 127.0.0.1: outside the bound CIDR
    assert (await server.call("GET", "sys/mounts", token=token)).status_code == 403


async def test_token_values_never_reach_storage(server: Server) -> None:
    tokens = [(await create(server, policies=["p"]))["client_token"] for _ in range(3)]
    physical = server.core.physical
    blobs = b"".join(
        [
            entry.value
            for key in await _all_keys(physical)
            if (entry := await physical.get(key)) is not None
        ]
    )
    for token in [*tokens, server.root_token]:
        assert token.encode() not in blobs


async def _all_keys(physical: Any, prefix: str = "") -> list[str]:
    keys: list[str] = []
    for name in await physical.list(prefix):
        if name.endswith("/"):
            keys.extend(await _all_keys(physical, prefix + name))
        else:
            keys.append(prefix + name)
    return keys


async def test_expiry_job_removes_expired_tokens(server: Server) -> None:
    for _ in range(5):
        await create(server, policies=["p"], ttl="1h")
    server.clock.advance(2 * HOUR)
    assert await server.core.tokens.expire_due() == 5
    assert len(await server.core.tokens.view.list("id/")) == 1
    assert await server.core.tokens.view.list("expiry/") == []


async def test_core_tick_expires_tokens_and_is_idle_while_sealed(server: Server) -> None:
    await create(server, policies=["p"], ttl="1h")
    server.clock.advance(2 * HOUR)
    await scheduler.tick(server.core)
    assert len(await server.core.tokens.view.list("id/")) == 1
    await server.call("PUT", "sys/seal")
    await scheduler.tick(server.core)  # sealed: nothing to do, and no error


async def test_cached_token_is_dropped_when_another_worker_revokes_it(server: Server) -> None:
    from strongroom.core.core import Core  # noqa: PLC0415
    from strongroom.core.request import Operation, Request  # noqa: PLC0415
    from strongroom.engines.registry import catalogue  # noqa: PLC0415

    # a second worker: its own Core (and caches) over the same storage and keeper
    other = Core(
        physical=server.core.physical,
        keeper=server.core.keeper,
        clock=server.clock,
        backends=catalogue(),
    )
    await other.start()
    token = (await create(server, policies=["root"]))["client_token"]
    probe = Request(id="r", operation=Operation.READ, path="sys/mounts", data={}, token=token)
    assert (await other.handle(probe)).data is not None
    assert await other.tokens.resolve(token) is not None  # now cached in the other worker
    await server.call("POST", "auth/token/revoke", {"token": token})
    with pytest.raises(PermissionDenied):
        await other.handle(probe)
