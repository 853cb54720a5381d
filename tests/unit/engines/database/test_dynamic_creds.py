"""Dynamic users against the real PostgreSQL: created by creds/:name, usable as the role's
statements allow, renewed and dropped through their lease (sys/leases), idempotently."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
from psycopg import sql

from strongroom.core import scheduler
from strongroom.core.request import Operation
from strongroom.core.system.password_policies import password_source
from strongroom.engines.database import DatabaseBackend
from unit.engines.database.db_support import (
    PLUGIN,
    Api,
    Pg,
    direct,
    login,
    mount_context,
    unique,
)

GRANT = [
    "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';",
    'GRANT SELECT ON "TABLE" TO "{{name}}";',
]


DROP = "{{name}}; DROP ROLE {{name}};"


def creation(table: str) -> list[str]:
    return [statement.replace("TABLE", table) for statement in GRANT]


async def make_role(api: Api, pg: Pg, **fields: object) -> tuple[str, str]:
    table = await pg.create_table(unique("sr_t_"))
    role = unique("r")
    body = {"db_name": "pg", "creation_statements": creation(table), **fields}
    await api.ok("POST", f"roles/{role}", body)
    return role, table


async def creds(api: Api, pg: Pg, role: str) -> dict[str, object]:
    body = await api.ok("GET", f"creds/{role}")
    pg.roles.add(str(body["data"]["username"]))
    return body


async def test_creds_make_a_user_that_logs_in_and_may_do_what_the_statements_allow(
    api: Api, pg: Pg
) -> None:
    role, table = await make_role(api, pg, default_ttl="1h", max_ttl="24h")
    body = await creds(api, pg, role)
    data = body["data"]
    assert isinstance(data, dict)
    user, password = data["username"], data["password"]
    assert user.startswith(f"v-root-{role[:8]}-")
    assert len(user) <= 63
    assert len(password) == 20
    assert "-" in password
    assert await pg.password_works(user, password)
    assert body["lease_duration"] == 3600
    assert body["renewable"] is True
    expected = datetime.fromtimestamp(api.server.clock.now() + 3600 + 5, tz=UTC)
    assert await pg.valid_until(user) == expected
    async with await login(user, password) as session:
        cursor = await session.execute(sql.SQL("SELECT x FROM {}").format(sql.Identifier(table)))
        assert await cursor.fetchone() == (42,)
        insert = sql.SQL("INSERT INTO {} VALUES (1)").format(sql.Identifier(table))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            await session.execute(insert)


async def test_revoking_the_lease_drops_the_user_and_revocation_is_idempotent(
    api: Api, pg: Pg
) -> None:
    role, _table = await make_role(api, pg)
    body = await creds(api, pg, role)
    user = body["data"]["username"]  # type: ignore[index]
    resp = await api.server.call("PUT", "sys/leases/revoke", {"lease_id": body["lease_id"]})
    assert resp.status_code == 204, resp.text
    assert not await pg.exists(user)
    internal = {"username": user, "role": role, "db_name": "pg", "revocation_statements": []}
    await api.backend().revoke_lease(internal)  # gone already: still success


async def test_revocation_takes_owned_objects_back_and_ends_sessions(api: Api, pg: Pg) -> None:
    role = unique("r")
    statements = [
        "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}';",
        'GRANT CREATE ON SCHEMA public TO "{{name}}";',
    ]
    await api.ok("POST", f"roles/{role}", {"db_name": "pg", "creation_statements": statements})
    data = (await creds(api, pg, role))["data"]
    assert isinstance(data, dict)
    owned = unique("sr_owned_")
    pg.tables.add(owned)
    session = await login(data["username"], data["password"])
    await session.execute(sql.SQL("CREATE TABLE {} (y int)").format(sql.Identifier(owned)))
    internal = {"username": data["username"], "role": role, "db_name": "pg"}
    await api.backend().revoke_lease(internal)
    assert not await pg.exists(data["username"])
    assert await pg.one("SELECT tableowner FROM pg_tables WHERE tablename = %s", owned) == (
        "postgres"
    )
    with pytest.raises(psycopg.OperationalError):
        await session.execute("SELECT 1")
    await session.close()


async def test_renewal_moves_the_users_expiry_and_expiry_revokes_it(api: Api, pg: Pg) -> None:
    role, _table = await make_role(api, pg, default_ttl=600, max_ttl=7200)
    body = await creds(api, pg, role)
    user = body["data"]["username"]  # type: ignore[index]
    clock = api.server.clock
    clock.advance(100)
    resp = await api.server.call(
        "PUT", "sys/leases/renew", {"lease_id": body["lease_id"], "increment": 1200}
    )
    assert resp.status_code == 200, resp.text
    assert await pg.valid_until(user) == datetime.fromtimestamp(clock.now() + 1205, tz=UTC)
    clock.advance(1201)
    await scheduler.tick(api.server.core)
    assert not await pg.exists(user)


async def test_custom_revocation_statements_and_username_template(api: Api, pg: Pg) -> None:
    await api.configure("tmpl", username_template="{{ .RoleName | lowercase }}_{{ random 6 }}")
    role = unique("Tpl")
    table = await pg.create_table(unique("sr_t_"))
    await api.ok(
        "POST",
        f"roles/{role}",
        {
            "db_name": "tmpl",
            "creation_statements": creation(table),
            "revocation_statements": f'REVOKE ALL ON "{table}" FROM ' + DROP,
        },
    )
    body = await creds(api, pg, role)
    user = body["data"]["username"]  # type: ignore[index]
    assert user.startswith(role.lower() + "_")
    assert len(user) == len(role) + 7
    await api.server.call("PUT", "sys/leases/revoke", {"lease_id": body["lease_id"]})
    assert not await pg.exists(user)


async def test_allowed_roles_gate_creds(api: Api, pg: Pg) -> None:
    await api.configure("narrow", allowed_roles=["app-*", "exact"])
    table = await pg.create_table(unique("sr_t_"))
    for role in ("app-web", "exact", "other"):
        body = {"db_name": "narrow", "creation_statements": creation(table)}
        await api.ok("POST", f"roles/{role}", body)
    await creds(api, pg, "app-web")
    await creds(api, pg, "exact")
    refused = await api.call("GET", "creds/other")
    assert refused.status_code == 400
    assert refused.json()["errors"] == ['"other" is not an allowed role']
    for user in await pg.roles_like("-other-"):
        pg.roles.add(user)


async def test_the_configs_password_policy_comes_from_the_injected_source(api: Api, pg: Pg) -> None:
    """How the core wires `MountContext.passwords`: sys/policies/password of the namespace."""
    policy = 'length = 12\nrule "charset" {\n  charset = "0123456789"\n  min-chars = 12\n}\n'
    resp = await api.server.call("PUT", "sys/policies/password/digits", {"policy": policy})
    assert resp.status_code == 204, resp.text
    backend = DatabaseBackend(mount_context(api, password_source(api.server.core.barrier)))
    try:
        await api.configure("digits", password_policy="digits")
        role, _table = await make_role(api, pg)
        await api.ok("POST", f"roles/{role}", {"db_name": "digits"})
        data = (await direct(backend, Operation.READ, f"creds/{role}")).data
        assert data is not None
        pg.roles.add(data["username"])
        assert data["password"].isdigit()
        assert len(data["password"]) == 12
        assert await pg.password_works(data["username"], data["password"])
    finally:
        await backend.close()


async def test_reads_and_lists_have_vaults_shapes(api: Api) -> None:
    await api.ok("POST", "roles/shape", {"db_name": "pg", "creation_statements": "CREATE ROLE x"})
    assert (await api.ok("GET", "roles/shape"))["data"] == {
        "db_name": "pg",
        "creation_statements": ["CREATE ROLE x"],
        "revocation_statements": [],
        "rollback_statements": [],
        "renew_statements": [],
        "default_ttl": 0,
        "max_ttl": 0,
        "credential_type": "password",
    }
    assert (await api.ok("LIST", "roles"))["data"]["keys"] == ["shape"]
    assert (await api.ok("LIST", "config"))["data"]["keys"] == ["pg"]
    assert (await api.ok("GET", "config/pg"))["data"] == {
        "allowed_roles": ["*"],
        "connection_details": {
            "connection_url": "postgresql://{{username}}:{{password}}@127.0.0.1:5432/test",
            "username": "postgres",
        },
        "password_policy": "",
        "plugin_name": "postgresql-database-plugin",
        "plugin_version": "",
        "root_credentials_rotate_statements": [],
        "skip_static_role_import_rotation": False,
        "verify_connection": True,
    }
    await api.ok("POST", "config/pg", {"allowed_roles": "a,b"})  # an update keeps the rest
    assert (await api.ok("GET", "config/pg"))["data"]["allowed_roles"] == ["a", "b"]
    assert (await api.ok("GET", "config/pg"))["data"]["plugin_name"] == PLUGIN


async def test_reset_and_delete_close_the_pool(api: Api, pg: Pg) -> None:
    role, _table = await make_role(api, pg)
    await creds(api, pg, role)
    connections = api.backend().db.connections
    assert connections.names() == ["pg"]
    await api.ok("POST", "reset/pg")
    assert connections.names() == ["pg"]
    await api.ok("DELETE", "config/pg")
    assert connections.names() == []
    assert (await api.call("GET", "config/pg")).status_code == 404
    assert (await api.call("POST", "reset/pg")).status_code == 400
