"""Leases end to end through the HTTP API: grant, look up, renew, revoke, expire, retry.

The engine here is a ledger of "users" standing in for a database (the database engines' own
tests run the same lease paths against the real PostgreSQL, MariaDB and Redis). It can be told
to fail, as a database that is down would, and it counts every revocation it receives, so the
tests can say "revoked exactly once".
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from strongroom.clock import ManualClock
from strongroom.core import scheduler
from strongroom.core.fields import FieldType, convert
from strongroom.core.mounts import BackendType
from strongroom.core.request import LeaseRequest, Request, Response
from strongroom.engines.registry import catalogue
from strongroom.http.app import App
from strongroom.storage.inmem import InmemBackend
from support.inproc import Server, make_core


@dataclass
class Ledger:
    """The "database": live users, every revocation received, and an off switch."""

    users: set[str] = field(default_factory=set)
    revocations: list[str] = field(default_factory=list)
    renewals: list[tuple[str, float]] = field(default_factory=list)
    down: bool = False


class LedgerBackend:
    unauthenticated: frozenset[str] = frozenset()

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    async def handle(self, request: Request, _path: str) -> Response:
        user = f"u-{secrets.token_hex(4)}"
        self._ledger.users.add(user)
        ttl = int(convert(request.data, "ttl", FieldType.INT, 0))
        max_ttl = int(convert(request.data, "max_ttl", FieldType.INT, 0))
        return Response(
            {"username": user}, secret=LeaseRequest({"user": user}, ttl=ttl, max_ttl=max_ttl)
        )

    async def revoke_lease(self, internal: Mapping[str, Any]) -> None:
        if self._ledger.down:
            raise ConnectionRefusedError("database is down")
        self._ledger.revocations.append(internal["user"])
        self._ledger.users.discard(internal["user"])

    async def renew_lease(self, internal: Mapping[str, Any], expires_at: float) -> None:
        self._ledger.renewals.append((internal["user"], expires_at))


@dataclass
class Setup:
    server: Server
    ledger: Ledger
    physical: InmemBackend

    async def creds(self, token: str = "root", **data: Any) -> dict[str, Any]:
        resp = await self.server.call("POST", "ledger/creds/app", data, token=token)
        assert resp.status_code == 200, resp.text
        body: dict[str, Any] = resp.json()
        return body

    async def tick(self) -> None:
        await scheduler.tick(self.server.core)


def _catalogue(ledger: Ledger) -> dict[str, BackendType]:
    return {**catalogue(), "ledger": BackendType("mounts", lambda _ctx: LedgerBackend(ledger))}


async def _start(physical: InmemBackend, ledger: Ledger, clock: ManualClock) -> Server:
    core = make_core(clock, _catalogue(ledger), physical)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=App(core)), base_url="http://sr")
    return Server(core, client, clock, [], "")


@pytest.fixture
async def setup() -> AsyncIterator[Setup]:
    ledger, physical, clock = Ledger(), InmemBackend(), ManualClock()
    server = await _start(physical, ledger, clock)
    resp = await server.call("PUT", "sys/init", {"secret_shares": 1, "secret_threshold": 1}, None)
    server.keys, server.root_token = resp.json()["keys"], resp.json()["root_token"]
    await server.call("PUT", "sys/unseal", {"key": server.keys[0]}, token=None)
    resp = await server.call(
        "POST", "sys/mounts/ledger", {"type": "ledger", "config": {"max_lease_ttl": "2h"}}
    )
    assert resp.status_code == 204, resp.text
    yield Setup(server, ledger, physical)
    await server.client.aclose()


async def test_a_granted_lease_has_vaults_fields(setup: Setup) -> None:
    body = await setup.creds(ttl=600)
    prefix, _, suffix = body["lease_id"].rpartition("/")
    assert prefix == "ledger/creds/app"
    assert len(suffix) == 24
    assert body["lease_duration"] == 600
    assert body["renewable"] is True
    assert body["data"]["username"] in setup.ledger.users


async def test_lookup_and_list(setup: Setup) -> None:
    body = await setup.creds(ttl=600)
    resp = await setup.server.call("PUT", "sys/leases/lookup", {"lease_id": body["lease_id"]})
    data = resp.json()["data"]
    assert set(data) == {"id", "issue_time", "expire_time", "last_renewal", "renewable", "ttl"}
    assert data["id"] == body["lease_id"]
    assert data["ttl"] == 600
    assert data["last_renewal"] is None
    listed = await setup.server.call("LIST", "sys/leases/lookup/ledger/creds/app/")
    assert listed.json()["data"]["keys"] == [body["lease_id"].rpartition("/")[2]]
    top = await setup.server.call("LIST", "sys/leases/lookup/ledger/")
    assert top.json()["data"]["keys"] == ["creds/"]


async def test_lookup_of_an_unknown_lease_is_a_400(setup: Setup) -> None:
    resp = await setup.server.call("PUT", "sys/leases/lookup", {"lease_id": "ledger/creds/x/y"})
    assert resp.status_code == 400
    assert resp.json() == {"errors": ["invalid lease"]}
    missing = await setup.server.call("PUT", "sys/leases/lookup", {})
    assert missing.status_code == 400


async def test_the_mounts_max_ttl_caps_a_lease(setup: Setup) -> None:
    body = await setup.creds(ttl=99999)
    assert body["lease_duration"] == 7200


async def test_renew_extends_up_to_the_max_ttl(setup: Setup) -> None:
    body = await setup.creds(ttl=600, max_ttl=1000)
    setup.server.clock.advance(300)
    resp = await setup.server.call(
        "PUT", "sys/leases/renew", {"lease_id": body["lease_id"], "increment": 500}
    )
    assert resp.status_code == 200, resp.text
    renewed = resp.json()
    assert renewed["lease_id"] == body["lease_id"]
    assert renewed["lease_duration"] == 500
    assert renewed["warnings"] is None
    resp = await setup.server.call(
        "PUT", "sys/leases/renew", {"lease_id": body["lease_id"], "increment": "1h"}
    )
    assert resp.json()["lease_duration"] == 700  # 1000 s after issue, 300 s have gone
    assert resp.json()["warnings"]
    assert len(setup.ledger.renewals) == 2
    data = (
        await setup.server.call("PUT", "sys/leases/lookup", {"lease_id": body["lease_id"]})
    ).json()["data"]
    assert data["last_renewal"] is not None


async def test_expiry_revokes_exactly_once(setup: Setup) -> None:
    body = await setup.creds(ttl=60)
    user = body["data"]["username"]
    setup.server.clock.advance(59)
    await setup.tick()
    assert user in setup.ledger.users
    setup.server.clock.advance(2)
    await setup.tick()
    await setup.tick()
    assert setup.ledger.revocations == [user]
    resp = await setup.server.call("PUT", "sys/leases/lookup", {"lease_id": body["lease_id"]})
    assert resp.status_code == 400


async def test_workers_racing_on_expiry_revoke_once(setup: Setup) -> None:
    bodies = [await setup.creds(ttl=60) for _ in range(20)]
    other = await _start(setup.physical, setup.ledger, setup.server.clock)
    await other.call("PUT", "sys/unseal", {"key": setup.server.keys[0]}, token=None)
    setup.server.clock.advance(61)
    await asyncio.gather(setup.tick(), scheduler.tick(other.core), setup.tick())
    assert sorted(setup.ledger.revocations) == sorted(b["data"]["username"] for b in bodies)
    await other.client.aclose()


async def test_revoke_and_revoke_prefix(setup: Setup) -> None:
    first, second, third = [await setup.creds(ttl=600) for _ in range(3)]
    resp = await setup.server.call("PUT", "sys/leases/revoke", {"lease_id": first["lease_id"]})
    assert resp.status_code == 204
    assert setup.ledger.revocations == [first["data"]["username"]]
    resp = await setup.server.call("PUT", f"sys/leases/revoke/{second['lease_id']}")
    assert resp.status_code == 204
    resp = await setup.server.call("PUT", "sys/leases/revoke-prefix/ledger/creds")
    assert resp.status_code == 204
    assert setup.ledger.users == set()
    assert len(setup.ledger.revocations) == 3
    assert third["data"]["username"] in setup.ledger.revocations


async def test_revoking_an_unknown_lease_succeeds(setup: Setup) -> None:
    resp = await setup.server.call("PUT", "sys/leases/revoke", {"lease_id": "ledger/creds/a/b"})
    assert resp.status_code == 204


async def test_a_failing_revocation_is_kept_visible_and_retried(setup: Setup) -> None:
    body = await setup.creds(ttl=60)
    setup.ledger.down = True
    setup.server.clock.advance(61)
    await setup.tick()
    lookup = await setup.server.call("PUT", "sys/leases/lookup", {"lease_id": body["lease_id"]})
    data = lookup.json()["data"]
    assert data["revocation_attempts"] == 1
    assert data["revocation_last_error"] == "ConnectionRefusedError"
    assert "database is down" not in lookup.text
    setup.server.clock.advance(1)  # inside the back-off: no new attempt
    await setup.tick()
    assert (
        await setup.server.call("PUT", "sys/leases/lookup", {"lease_id": body["lease_id"]})
    ).json()["data"]["revocation_attempts"] == 1
    setup.server.clock.advance(2)
    await setup.tick()
    setup.ledger.down = False
    setup.server.clock.advance(10)
    await setup.tick()
    assert setup.ledger.revocations == [body["data"]["username"]]
    assert setup.ledger.users == set()


async def test_explicit_revoke_against_a_down_database_fails_and_keeps_the_lease(
    setup: Setup,
) -> None:
    body = await setup.creds(ttl=600)
    setup.ledger.down = True
    resp = await setup.server.call("PUT", "sys/leases/revoke", {"lease_id": body["lease_id"]})
    assert resp.status_code == 400
    assert "database is down" not in resp.text
    assert body["data"]["username"] in setup.ledger.users
    resp = await setup.server.call("PUT", "sys/leases/lookup", {"lease_id": body["lease_id"]})
    assert resp.status_code == 200


async def test_revoke_force_forgets_what_the_engine_cannot_revoke(setup: Setup) -> None:
    body = await setup.creds(ttl=600)
    setup.ledger.down = True
    failed = await setup.server.call("PUT", "sys/leases/revoke-prefix/ledger/")
    assert failed.status_code == 400
    resp = await setup.server.call("PUT", "sys/leases/revoke-force/ledger/")
    assert resp.status_code == 204
    resp = await setup.server.call("PUT", "sys/leases/lookup", {"lease_id": body["lease_id"]})
    assert resp.status_code == 400


async def test_revoking_a_token_revokes_its_leases_and_its_childrens(setup: Setup) -> None:
    parent = (await setup.server.call("POST", "auth/token/create", {})).json()["auth"]
    child = (
        await setup.server.call("POST", "auth/token/create", {}, token=parent["client_token"])
    ).json()["auth"]
    await setup.server.call("POST", "sys/policy/ledger", {"policy": _LEDGER_POLICY})
    mine = (await setup.server.call("POST", "auth/token/create", {"policies": ["ledger"]})).json()
    granted = await setup.creds(token=mine["auth"]["client_token"], ttl=600)
    unrelated = await setup.creds(ttl=600)
    del child
    resp = await setup.server.call(
        "POST", "auth/token/revoke", {"token": mine["auth"]["client_token"]}
    )
    assert resp.status_code == 204
    assert setup.ledger.revocations == [granted["data"]["username"]]
    assert unrelated["data"]["username"] in setup.ledger.users


_LEDGER_POLICY = 'path "ledger/*" { capabilities = ["create", "update"] }'


async def test_an_expiring_token_takes_its_leases_with_it(setup: Setup) -> None:
    await setup.server.call("POST", "sys/policy/ledger", {"policy": _LEDGER_POLICY})
    token = (
        await setup.server.call("POST", "auth/token/create", {"policies": ["ledger"], "ttl": "60s"})
    ).json()["auth"]["client_token"]
    granted = await setup.creds(token=token, ttl=3600)
    setup.server.clock.advance(61)
    await setup.tick()
    assert setup.ledger.revocations == [granted["data"]["username"]]


async def test_a_restarted_server_revokes_what_fell_due_while_down(setup: Setup) -> None:
    body = await setup.creds(ttl=60)
    await setup.server.client.aclose()
    setup.server.clock.advance(3600)
    restarted = await _start(setup.physical, setup.ledger, setup.server.clock)
    await restarted.call("PUT", "sys/unseal", {"key": setup.server.keys[0]}, token=None)
    await scheduler.tick(restarted.core)
    assert setup.ledger.revocations == [body["data"]["username"]]
    await restarted.client.aclose()


async def test_unmount_revokes_the_mounts_leases(setup: Setup) -> None:
    body = await setup.creds(ttl=600)
    resp = await setup.server.call("DELETE", "sys/mounts/ledger")
    assert resp.status_code == 204
    assert setup.ledger.revocations == [body["data"]["username"]]


async def test_listing_needs_sudo_and_lookup_needs_only_the_default_policy(setup: Setup) -> None:
    body = await setup.creds(ttl=600)
    plain = (await setup.server.call("POST", "auth/token/create", {"policies": ["default"]})).json()
    token = plain["auth"]["client_token"]
    listed = await setup.server.call("LIST", "sys/leases/lookup/ledger/", token=token)
    assert listed.status_code == 403
    looked = await setup.server.call(
        "PUT", "sys/leases/lookup", {"lease_id": body["lease_id"]}, token=token
    )
    assert looked.status_code == 200


async def test_tidy_drops_dangling_index_entries(setup: Setup) -> None:
    await setup.creds(ttl=600)
    view_keys = await setup.server.core.barrier.list("sys/expire/due/")
    await setup.server.core.barrier.put("sys/expire/due/000000000001-dangling", b"ledger/x/y")
    resp = await setup.server.call("PUT", "sys/leases/tidy")
    assert resp.status_code == 204
    assert await setup.server.core.barrier.list("sys/expire/due/") == view_keys


async def test_the_audit_log_names_the_lease_and_hides_the_credential(
    setup: Setup, tmp_path: Path
) -> None:
    log = tmp_path / "audit.log"
    body = {"type": "file", "options": {"file_path": str(log)}}
    assert (await setup.server.call("PUT", "sys/audit/file", body)).status_code == 204
    granted = await setup.creds(ttl=600)
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    response = next(e for e in entries if e["type"] == "response" and "secret" in e["response"])
    assert response["response"]["secret"] == {"lease_id": granted["lease_id"]}
    assert granted["data"]["username"] not in log.read_text()
