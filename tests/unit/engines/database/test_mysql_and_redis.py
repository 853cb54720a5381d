"""The MySQL/MariaDB and Redis plugins against the real servers on this machine (MariaDB on
127.0.0.1:3306 as root without a password, Redis on 127.0.0.1:6379): dynamic users that log in
and may do what the role says, revocation, static-role rotation, and no password in errors."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from typing import Any

import aiomysql  # type: ignore[import-untyped]
import pymysql  # type: ignore[import-untyped]
import pytest
import redis.asyncio as aioredis
from redis.exceptions import AuthenticationError, NoPermissionError, RedisError

from support.inproc import Server, service_missing

MYSQL = {"host": "127.0.0.1", "port": 3306, "user": "root", "password": "", "db": "test"}


async def _mysql_root() -> Any:
    try:
        return await aiomysql.connect(**MYSQL, autocommit=True)
    except (OSError, pymysql.err.MySQLError):
        service_missing("MariaDB is not reachable on 127.0.0.1:3306")
        raise


TABLE = f"sr_plugin_{secrets.token_hex(4)}"


@pytest.fixture
async def maria() -> AsyncIterator[Any]:
    conn = await _mysql_root()
    async with conn.cursor() as cursor:
        await cursor.execute(f"CREATE TABLE {TABLE} (x INT)")
    yield conn
    async with conn.cursor() as cursor:
        await cursor.execute(f"DROP TABLE {TABLE}")
    conn.close()


@pytest.fixture
async def red() -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis(host="127.0.0.1", port=6379)
    try:
        await client.ping()
    except (RedisError, OSError):
        service_missing("Redis is not reachable on 127.0.0.1:6379")
    yield client
    await client.aclose()


@pytest.fixture
async def server(server: Server) -> AsyncIterator[Server]:
    """The shared in-process server; its database connections closed when the test ends."""
    yield server
    for scoped in server.core.scopes():
        await scoped.mounts.close()


async def _mount(server: Server) -> None:
    resp = await server.call("POST", "sys/mounts/database", {"type": "database"})
    assert resp.status_code == 204, resp.text


async def _ok(server: Server, method: str, path: str, body: Any = None) -> dict[str, Any]:
    resp = await server.call(method, f"database/{path}", body)
    assert resp.status_code in (200, 204), resp.text
    return {} if resp.status_code == 204 else dict(resp.json())


async def _mysql_login_works(user: str, password: str) -> bool:
    try:
        conn = await aiomysql.connect(host="127.0.0.1", port=3306, user=user, password=password)
    except pymysql.err.MySQLError:
        return False
    conn.close()
    return True


async def test_mysql_dynamic_user_logs_in_with_the_roles_grants_and_is_dropped(
    server: Server, maria: Any
) -> None:
    await _mount(server)
    config = {
        "plugin_name": "mysql-database-plugin",
        "connection_url": "{{username}}:{{password}}@tcp(127.0.0.1:3306)/test",
        "username": "root",
        "password": "",
        "allowed_roles": "*",
    }
    await _ok(server, "POST", "config/maria", config)
    # Two statements in one string, as Vault's examples write them.
    creation = [
        (
            "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';"
            f"GRANT SELECT ON test.{TABLE} TO '{{{{name}}}}'@'%';"
        )
    ]
    role = {"db_name": "maria", "creation_statements": creation, "default_ttl": "1h"}
    await _ok(server, "POST", "roles/reader", role)
    granted = await _ok(server, "GET", "creds/reader")
    user, password = granted["data"]["username"], granted["data"]["password"]
    assert len(user) <= 32
    conn = await aiomysql.connect(
        host="127.0.0.1", port=3306, user=user, password=password, db="test"
    )
    async with conn.cursor() as cursor:
        await cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608 - our table name
        with pytest.raises(pymysql.err.OperationalError):
            await cursor.execute(f"INSERT INTO {TABLE} VALUES (1)")  # noqa: S608 - ours too
    conn.close()
    revoked = await server.call("PUT", "sys/leases/revoke", {"lease_id": granted["lease_id"]})
    assert revoked.status_code == 204
    assert not await _mysql_login_works(user, password)
    async with maria.cursor() as cursor:
        await cursor.execute("SELECT COUNT(*) FROM mysql.user WHERE user = %s", (user,))
        assert await cursor.fetchone() == (0,)


async def test_mysql_static_role_rotation_and_errors_without_passwords(
    server: Server, maria: Any
) -> None:
    await _mount(server)
    user, first = f"sr_static_{secrets.token_hex(3)}", "Initial-Pw-1"
    async with maria.cursor() as cursor:
        await cursor.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{first}'")
    try:
        config = {
            "plugin_name": "mysql-database-plugin",
            "connection_url": "{{username}}:{{password}}@tcp(127.0.0.1:3306)/test",
            "username": "root",
            "password": "",
            "allowed_roles": "*",
        }
        await _ok(server, "POST", "config/maria", config)
        body = {"db_name": "maria", "username": user, "rotation_period": "1h"}
        await _ok(server, "POST", "static-roles/app", body)
        current = (await _ok(server, "GET", "static-creds/app"))["data"]["password"]
        assert await _mysql_login_works(user, current)
        assert not await _mysql_login_works(user, first)
        await _ok(server, "POST", "rotate-role/app")
        rotated = (await _ok(server, "GET", "static-creds/app"))["data"]["password"]
        assert rotated != current
        assert await _mysql_login_works(user, rotated)
        assert not await _mysql_login_works(user, current)
        bad = {
            **config,
            "connection_url": "{{username}}:{{password}}@tcp(127.0.0.1:1)/test",
            "password": "Sup3r-Secret-Root",
        }
        refused = await server.call("POST", "database/config/broken", bad)
        assert refused.status_code == 400
        assert "Sup3r-Secret-Root" not in refused.text
    finally:
        async with maria.cursor() as cursor:
            await cursor.execute(f"DROP USER IF EXISTS '{user}'@'%'")


async def test_redis_acl_user_with_its_rules_and_revocation(
    server: Server, red: aioredis.Redis
) -> None:
    await _mount(server)
    config = {
        "plugin_name": "redis-database-plugin",
        "host": "127.0.0.1",
        "port": 6379,
        "allowed_roles": "*",
        "verify_connection": True,
    }
    await _ok(server, "POST", "config/cache", config)
    role = {
        "db_name": "cache",
        "creation_statements": ['["~app:*", "+get", "+set"]'],
        "default_ttl": "1h",
    }
    await _ok(server, "POST", "roles/app", role)
    granted = await _ok(server, "GET", "creds/app")
    user, password = granted["data"]["username"], granted["data"]["password"]
    client = aioredis.Redis(host="127.0.0.1", port=6379, username=user, password=password)
    await client.set("app:key", "v")
    assert await client.get("app:key") == b"v"
    with pytest.raises(NoPermissionError):
        await client.set("other:key", "v")
    await client.aclose()
    revoked = await server.call("PUT", "sys/leases/revoke", {"lease_id": granted["lease_id"]})
    assert revoked.status_code == 204
    names = [n.decode() if isinstance(n, bytes) else n for n in await red.acl_users()]
    assert user not in names
    again = aioredis.Redis(host="127.0.0.1", port=6379, username=user, password=password)
    with pytest.raises(AuthenticationError):
        await again.ping()
    await again.aclose()
    await red.delete("app:key")


async def test_redis_refuses_rules_that_would_set_passwords(server: Server, red: Any) -> None:
    del red
    await _mount(server)
    config = {"plugin_name": "redis-database-plugin", "host": "127.0.0.1", "allowed_roles": "*"}
    await _ok(server, "POST", "config/cache", config)
    role = {"db_name": "cache", "creation_statements": ['["+@all", "nopass"]']}
    await _ok(server, "POST", "roles/open", role)
    refused = await server.call("GET", "database/creds/open")
    assert refused.status_code == 400
    assert "nopass" in refused.text


async def test_redis_defaults_to_read_only_and_a_static_role_needs_an_existing_user(
    server: Server, red: aioredis.Redis
) -> None:
    await _mount(server)
    config = {"plugin_name": "redis-database-plugin", "host": "127.0.0.1", "allowed_roles": "*"}
    await _ok(server, "POST", "config/cache", config)
    await _ok(server, "POST", "roles/reader", {"db_name": "cache"})
    granted = await _ok(server, "GET", "creds/reader")
    user, password = granted["data"]["username"], granted["data"]["password"]
    client = aioredis.Redis(host="127.0.0.1", port=6379, username=user, password=password)
    assert await client.get("any-key") is None  # Vault's default rules: ~* +@read
    with pytest.raises(NoPermissionError):
        await client.set("any-key", "v")
    await client.aclose()
    await server.call("PUT", "sys/leases/revoke", {"lease_id": granted["lease_id"]})
    missing = f"sr-nobody-{secrets.token_hex(3)}"
    body = {"db_name": "cache", "username": missing, "rotation_period": "1h"}
    refused = await server.call("POST", "database/static-roles/ghost", body)
    assert refused.status_code == 400
    assert "not found" in refused.text
    names = [n.decode() if isinstance(n, bytes) else n for n in await red.acl_users()]
    assert missing not in names  # not quietly created
