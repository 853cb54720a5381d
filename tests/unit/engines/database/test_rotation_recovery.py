"""Exactly-once static rotation: a worker dying between the write-ahead claim and the commit,
and several workers ticking at once, still end in exactly one rotation per slot."""

from __future__ import annotations

import asyncio

import pytest

from strongroom.engines.database import DatabaseBackend
from strongroom.engines.database.models import Pending, StaticRole
from strongroom.engines.database.rotation import CLAIM_SECONDS, Rotations
from unit.auth.approle.approle_harness import YieldingStore
from unit.engines.database.db_support import Api, Pg, unique, worker


async def make(api: Api, pg: Pg, period: int = 600) -> tuple[str, str]:
    user = await pg.create_user(unique("sr_c_"))
    name = unique("s")
    body = {"db_name": "pg", "username": user, "rotation_period": period}
    await api.ok("POST", f"static-roles/{name}", body)
    return name, user


async def stored(api: Api, name: str) -> StaticRole:
    found = await api.backend().db.store.static_role(name)
    assert found is not None
    return found.record


async def test_a_crash_after_the_write_ahead_resumes_to_exactly_one_rotation(
    api: Api, pg: Pg
) -> None:
    name, user = await make(api, pg)
    before = (await stored(api, name)).account
    api.server.clock.advance(600)
    dying = api.backend().rotations
    claimed = await dying._claim(name, dying._scheduled)  # claimed, then the process dies
    assert claimed is not None
    pending = claimed[1]
    assert (await stored(api, name)).account.pending == pending
    assert await pg.password_works(user, before.password)  # nothing reached the database

    restarted = worker(api)
    try:
        await restarted.tick()  # the claim's lease still runs: hands off
        assert (await stored(api, name)).account.generation == before.generation
        api.server.clock.advance(CLAIM_SECONDS)
        await restarted.tick()
        after = (await stored(api, name)).account
        assert after.pending is None
        assert after.generation == before.generation + 1
        assert after.password == pending.password
        assert await pg.password_works(user, pending.password)
        assert not await pg.password_works(user, before.password)
        await restarted.tick()
        await api.tick()
        assert (await stored(api, name)).account.generation == before.generation + 1
    finally:
        await restarted.close()


async def test_a_crash_after_the_database_changed_finishes_with_the_same_password(
    api: Api, pg: Pg
) -> None:
    name, user = await make(api, pg)
    before = (await stored(api, name)).account
    api.server.clock.advance(600)
    dying = api.backend().rotations
    claimed = await dying._claim(name, dying._scheduled)
    assert claimed is not None
    await dying._apply(*claimed)  # the database has it; the commit never happens
    assert await pg.password_works(user, claimed[1].password)
    assert (await stored(api, name)).account.password == before.password

    api.server.clock.advance(CLAIM_SECONDS)
    await api.tick()
    after = (await stored(api, name)).account
    assert after.generation == before.generation + 1
    assert after.password == claimed[1].password
    assert await pg.password_works(user, after.password)


async def test_workers_ticking_at_once_rotate_a_slot_once(
    api: Api, pg: Pg, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four workers over storage that yields before every call, so their ticks interleave
    between read and write: one claims the slot, one changes the database, once."""
    applied: list[Pending] = []
    original = Rotations._apply

    async def counting(self: Rotations, role: StaticRole, pending: Pending) -> None:
        applied.append(pending)
        await original(self, role, pending)

    monkeypatch.setattr(Rotations, "_apply", counting)
    name, user = await make(api, pg)
    applied.clear()
    before = (await stored(api, name)).account
    workers: list[DatabaseBackend] = [
        worker(api, YieldingStore(api.server.core.barrier)) for _ in range(4)
    ]
    try:
        api.server.clock.advance(600)
        await asyncio.gather(*(w.tick() for w in workers))
        await asyncio.gather(*(w.tick() for w in workers))
        after = (await stored(api, name)).account
        assert len(applied) == 1
        assert after.generation == before.generation + 1
        assert await pg.password_works(user, after.password)
    finally:
        for w in workers:
            await w.close()


async def test_manual_rotation_refuses_while_another_is_in_flight(api: Api, pg: Pg) -> None:
    name, _user = await make(api, pg)
    api.server.clock.advance(600)
    rotations = api.backend().rotations
    assert await rotations._claim(name, rotations._scheduled) is not None
    busy = await api.call("POST", f"rotate-role/{name}")
    assert busy.status_code == 400
    assert busy.json()["errors"] == ["a rotation of this static role is already in progress"]
    api.server.clock.advance(CLAIM_SECONDS)
    generation = (await stored(api, name)).account.generation
    await api.ok("POST", f"rotate-role/{name}")  # finishes the stale one, then rotates anew
    assert (await stored(api, name)).account.generation == generation + 2


async def test_a_failing_role_is_logged_and_does_not_stop_the_others(
    api: Api, pg: Pg, caplog: pytest.LogCaptureFixture
) -> None:
    await api.configure("doomed")
    user = await pg.create_user(unique("sr_c_"))
    body = {"db_name": "doomed", "username": user, "rotation_period": 600}
    await api.ok("POST", "static-roles/aaa-doomed", body)
    name, healthy_user = await make(api, pg)
    before = (await stored(api, name)).account
    await api.ok("DELETE", "config/doomed")
    api.server.clock.advance(600)
    await api.tick()
    assert "static role 'aaa-doomed': rotation failed" in caplog.text
    assert (await stored(api, "aaa-doomed")).account.password not in caplog.text
    after = (await stored(api, name)).account
    assert after.generation == before.generation + 1
    assert await pg.password_works(healthy_user, after.password)
