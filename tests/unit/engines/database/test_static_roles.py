"""Static roles against the real PostgreSQL: rotated on creation, on schedule (by the
ManualClock) and on demand; the old password stops working at rotation, or after the overlap
when `rotation_overlap` alternates the role between its user and a clone."""

from __future__ import annotations

from typing import Any

from strongroom.clock import rfc3339
from unit.engines.database.db_support import Api, Pg, login, unique


async def static_role(api: Api, pg: Pg, **fields: Any) -> tuple[str, str]:
    user = await pg.create_user(unique("sr_s_"))
    name = unique("s")
    body = {"db_name": "pg", "username": user, **fields}
    await api.ok("POST", f"static-roles/{name}", body)
    return name, user


async def static_creds(api: Api, name: str) -> dict[str, Any]:
    return dict((await api.ok("GET", f"static-creds/{name}"))["data"])


async def test_creation_rotates_and_static_creds_show_vaults_fields(api: Api, pg: Pg) -> None:
    name, user = await static_role(api, pg, rotation_period="1h")
    creds = await static_creds(api, name)
    assert creds["username"] == user
    assert await pg.password_works(user, creds["password"])
    assert not await pg.password_works(user, "initial")
    assert creds["last_vault_rotation"] == rfc3339(api.server.clock.now())
    assert creds["ttl"] == 3600
    assert creds["rotation_period"] == 3600
    read = (await api.ok("GET", f"static-roles/{name}"))["data"]
    assert read == {
        "db_name": "pg",
        "username": user,
        "rotation_statements": [],
        "credential_type": "password",
        "last_vault_rotation": creds["last_vault_rotation"],
        "rotation_period": 3600,
    }
    assert "password" not in read
    assert (await api.ok("LIST", "static-roles"))["data"]["keys"] == [name]


async def test_the_clock_rotates_once_per_period_and_the_old_password_dies(
    api: Api, pg: Pg
) -> None:
    name, user = await static_role(api, pg, rotation_period=600)
    first = await static_creds(api, name)
    api.server.clock.advance(599)
    await api.tick()
    assert (await static_creds(api, name))["password"] == first["password"]
    api.server.clock.advance(1)
    await api.tick()
    await api.tick()
    second = await static_creds(api, name)
    assert second["password"] != first["password"]
    assert second["ttl"] == 600
    assert await pg.password_works(user, second["password"])
    assert not await pg.password_works(user, first["password"])
    assert (await api.backend().db.store.static_role(name)).record.account.generation == 2  # type: ignore[union-attr]


async def test_rotate_role_rotates_now_with_custom_statements(api: Api, pg: Pg) -> None:
    statements = ["ALTER ROLE {{name}} WITH PASSWORD {{password}}"]  # bare: quoted for us
    name, user = await static_role(api, pg, rotation_period="24h", rotation_statements=statements)
    before = await static_creds(api, name)
    api.server.clock.advance(30)
    await api.ok("POST", f"rotate-role/{name}")
    after = await static_creds(api, name)
    assert after["password"] != before["password"]
    assert after["last_vault_rotation"] == rfc3339(api.server.clock.now())
    assert await pg.password_works(user, after["password"])
    assert not await pg.password_works(user, before["password"])


async def test_a_schedule_rotates_at_its_cron_times_in_utc(api: Api, pg: Pg) -> None:
    clock = api.server.clock  # 1_800_000_000 is 2027-01-15T08:00:00Z, a Friday
    name, _user = await static_role(api, pg, rotation_schedule="30 8 * * *")
    first = await static_creds(api, name)
    assert first["rotation_schedule"] == "30 8 * * *"
    assert first["ttl"] == 30 * 60
    clock.advance(29 * 60)
    await api.tick()
    assert (await static_creds(api, name))["password"] == first["password"]
    clock.advance(60)
    await api.tick()
    assert (await static_creds(api, name))["password"] != first["password"]
    assert (await static_creds(api, name))["ttl"] == 24 * 3600


async def test_a_missed_rotation_window_waits_for_the_next_slot(api: Api, pg: Pg) -> None:
    name, _user = await static_role(api, pg, rotation_schedule="0 9 * * *", rotation_window=3600)
    first = await static_creds(api, name)
    api.server.clock.advance(3600 + 3600 + 1)  # 10:00:01: an hour past the 09:00 slot
    await api.tick()
    later = await static_creds(api, name)
    assert later["password"] == first["password"]
    assert later["ttl"] == 23 * 3600 - 1  # next: 09:00 tomorrow


async def test_overlap_alternates_users_and_retires_the_old_one_after_the_overlap(
    api: Api, pg: Pg
) -> None:
    clock = api.server.clock
    name, user = await static_role(api, pg, rotation_period=3600, rotation_overlap=600)
    clone = user + "_clone"
    first = await static_creds(api, name)
    assert first["username"] == user
    clock.advance(3600)
    await api.tick()
    second = await static_creds(api, name)
    assert second["username"] == clone
    assert await pg.password_works(clone, second["password"])
    assert await pg.password_works(user, first["password"])  # still inside the overlap
    async with await login(clone, second["password"]) as session:
        cursor = await session.execute("SELECT current_user, session_user")
        assert await cursor.fetchone() == (user, clone)  # the clone acts as the user
    clock.advance(599)
    await api.tick()
    assert await pg.password_works(user, first["password"])
    clock.advance(1)
    await api.tick()
    assert not await pg.password_works(user, first["password"])
    assert await pg.password_works(clone, second["password"])
    clock.advance(3000)
    await api.tick()
    third = await static_creds(api, name)
    assert third["username"] == user
    assert await pg.password_works(user, third["password"])
    assert await pg.password_works(clone, second["password"])
    await api.ok("DELETE", f"static-roles/{name}")
    assert not await pg.exists(clone)
    assert await pg.exists(user)  # the user itself was defined outside, as in Vault


async def test_turning_the_overlap_off_retires_the_clone(api: Api, pg: Pg) -> None:
    name, user = await static_role(api, pg, rotation_period=3600, rotation_overlap=60)
    await api.ok("POST", f"rotate-role/{name}")
    on_clone = await static_creds(api, name)
    assert on_clone["username"] == user + "_clone"
    await api.ok("POST", f"static-roles/{name}", {"username": user, "rotation_overlap": 0})
    await api.ok("POST", f"rotate-role/{name}")
    back = await static_creds(api, name)
    assert back["username"] == user
    await api.tick()
    assert not await pg.password_works(user + "_clone", on_clone["password"])


async def test_an_invalid_update_is_refused_before_anything_is_stored(api: Api, pg: Pg) -> None:
    name, user = await static_role(api, pg, rotation_period=3600)
    resp = await api.call(
        "POST", f"static-roles/{name}", {"username": user, "rotation_overlap": 3600}
    )
    assert resp.status_code == 400
    assert resp.json()["errors"] == ["rotation_overlap must be shorter than rotation_period"]
    assert "rotation_overlap" not in (await api.ok("GET", f"static-roles/{name}"))["data"]
    renamed = await api.call("POST", f"static-roles/{name}", {"username": "someone-else"})
    assert renamed.json()["errors"] == ["cannot update static account username"]
    await api.ok("POST", f"static-roles/{name}", {"rotation_schedule": "0 0 * * SAT"})
    read = (await api.ok("GET", f"static-roles/{name}"))["data"]
    assert read["rotation_schedule"] == "0 0 * * SAT"
    assert "rotation_period" not in read
