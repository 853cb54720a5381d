"""The MySQL/MariaDB plugin against the real MariaDB on this machine (127.0.0.1:3306, root
without a password, database `test`), through the engine's HTTP API: dynamic users that log in
and may do exactly what the role says, revocation (idempotent), static-role rotation, the
legacy name limit, and no password in any error. Also the statement quoting, read back by the
server itself, and Vault's connection URL forms."""

from __future__ import annotations

import secrets
import warnings
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import aiomysql  # type: ignore[import-untyped]
import pymysql  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strongroom.engines.database.errors import DatabaseError
from strongroom.engines.database.mysql import MySQLPlugin, _params, _split
from strongroom.engines.database.mysql_statements import render
from strongroom.engines.database.plugin import Connection
from support.inproc import Server, service_missing
from unit.engines.database.db_support import Api, static_rotation

MYSQL = {"host": "127.0.0.1", "port": 3306, "user": "root", "password": "", "db": "test"}
URL = "{{username}}:{{password}}@tcp(127.0.0.1:3306)/test"
CONFIG = {
    "plugin_name": "mysql-database-plugin",
    "connection_url": URL,
    "username": "root",
    "password": "",
    "allowed_roles": "*",
}


async def _mysql_root() -> Any:
    try:
        return await aiomysql.connect(**MYSQL, autocommit=True)
    except (OSError, pymysql.err.MySQLError):
        service_missing("MariaDB is not reachable on 127.0.0.1:3306")
        raise


@pytest.fixture
async def maria() -> AsyncIterator[tuple[Any, str]]:
    """A root connection and a fresh table (dropped afterwards)."""
    conn = await _mysql_root()
    table = f"sr_plugin_{secrets.token_hex(4)}"
    async with conn.cursor() as cursor:
        await cursor.execute(f"CREATE TABLE {table} (x INT)")
    yield conn, table
    async with conn.cursor() as cursor:
        await cursor.execute(f"DROP TABLE {table}")
    conn.close()


@pytest.fixture
def server(mounted: Server) -> Server:
    return mounted


async def _login_works(user: str, password: str) -> bool:
    try:
        conn = await aiomysql.connect(host="127.0.0.1", port=3306, user=user, password=password)
    except pymysql.err.MySQLError:
        return False
    conn.close()
    return True


async def _user_count(root: Any, user: str) -> int:
    async with root.cursor() as cursor:
        await cursor.execute("SELECT COUNT(*) FROM mysql.user WHERE user = %s", (user,))
        row = await cursor.fetchone()
    return int(row[0])


async def _drop_user(root: Any, user: str) -> None:
    """Clean-up: drop `user` if a failed test left it (the "no such user" note is no error)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pymysql.err.Warning)
        async with root.cursor() as cursor:
            await cursor.execute("DROP USER IF EXISTS %s@'%%'", (user,))


async def _revoke(server: Server, lease_id: str) -> None:
    revoked = await server.call("PUT", "sys/leases/revoke", {"lease_id": lease_id})
    assert revoked.status_code == 204, revoked.text


async def test_dynamic_user_logs_in_with_the_roles_grants_and_is_dropped(
    server: Server, maria: tuple[Any, str]
) -> None:
    root, table = maria
    await Api(server).ok("POST", "config/maria", CONFIG)
    # Two statements in one string, as Vault's examples write them.
    creation = [
        (
            "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';"
            f"GRANT SELECT ON test.{table} TO '{{{{name}}}}'@'%';"
        )
    ]
    role = {"db_name": "maria", "creation_statements": creation, "default_ttl": "1h"}
    await Api(server).ok("POST", "roles/reader", role)
    granted = await Api(server).ok("GET", "creds/reader")
    user, password = granted["data"]["username"], granted["data"]["password"]
    assert len(user) <= 32
    try:
        conn = await aiomysql.connect(
            host="127.0.0.1", port=3306, user=user, password=password, db="test"
        )
        async with conn.cursor() as cursor:
            await cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - our table
            with pytest.raises(pymysql.err.OperationalError):
                await cursor.execute(f"INSERT INTO {table} VALUES (1)")  # noqa: S608
        conn.close()
        await _revoke(server, granted["lease_id"])
        assert not await _login_works(user, password)
        assert await _user_count(root, user) == 0
    finally:
        await _drop_user(root, user)


async def test_revocation_is_idempotent_when_the_user_is_already_gone(
    server: Server, maria: tuple[Any, str]
) -> None:
    root, _table = maria
    await Api(server).ok("POST", "config/maria", CONFIG)
    role = {
        "db_name": "maria",
        "creation_statements": ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'"],
    }
    await Api(server).ok("POST", "roles/gone", role)
    granted = await Api(server).ok("GET", "creds/gone")
    user = granted["data"]["username"]
    async with root.cursor() as cursor:
        await cursor.execute("DROP USER %s@'%%'", (user,))  # someone else dropped it
    await _revoke(server, granted["lease_id"])  # default DROP USER IF EXISTS: still success
    plugin = MySQLPlugin(Connection(URL, "root", ""))
    try:
        await plugin.revoke_user([], user)
        await plugin.revoke_user([], user)
    finally:
        await plugin.close()
        await plugin.close()  # close is idempotent too
    assert await _user_count(root, user) == 0


async def test_legacy_plugin_keeps_names_within_16(server: Server, maria: tuple[Any, str]) -> None:
    root, _table = maria
    await Api(server).ok(
        "POST", "config/old", {**CONFIG, "plugin_name": "mysql-legacy-database-plugin"}
    )
    role = {
        "db_name": "old",
        "creation_statements": ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'"],
    }
    await Api(server).ok("POST", "roles/a-very-long-role-name", role)
    granted = await Api(server).ok("GET", "creds/a-very-long-role-name")
    user, password = granted["data"]["username"], granted["data"]["password"]
    try:
        assert 0 < len(user) <= 16
        assert await _login_works(user, password)
    finally:
        await _revoke(server, granted["lease_id"])
    assert await _user_count(root, user) == 0
    # A template that makes longer names is refused, never cut.
    long_template = {**CONFIG, "plugin_name": "mysql-legacy-database-plugin"}
    long_template["username_template"] = "v-{{.RoleName}}-{{random 20}}"
    await Api(server).ok("POST", "config/old", long_template)
    refused = await server.call("GET", "database/creds/a-very-long-role-name")
    assert refused.status_code == 400
    assert "16" in refused.text


async def test_static_role_rotation_and_errors_without_passwords(
    server: Server, maria: tuple[Any, str]
) -> None:
    root, _table = maria
    user, first = f"sr_static_{secrets.token_hex(3)}", "Initial-Pw-1"
    async with root.cursor() as cursor:
        await cursor.execute(f"CREATE USER '{user}'@'%' IDENTIFIED BY '{first}'")
    try:
        await Api(server).ok("POST", "config/maria", CONFIG)
        await static_rotation(Api(server), "maria", user, first, _login_works)
        # An unreachable server: the root password given never comes back.
        bad = {**CONFIG, "connection_url": "{{username}}:{{password}}@tcp(127.0.0.1:1)/test"}
        bad["password"] = "Sup3r-Secret-Root"
        refused = await server.call("POST", "database/config/broken", bad)
        assert refused.status_code == 400
        assert "Sup3r-Secret-Root" not in refused.text
        # A wrong root password: refused by the server, not echoed.
        bad = {**CONFIG, "password": "Wr0ng-Secret-Root"}
        refused = await server.call("POST", "database/config/broken", bad)
        assert refused.status_code == 400
        assert "Access denied" in refused.text
        assert "Wr0ng-Secret-Root" not in refused.text
    finally:
        await _drop_user(root, user)


async def test_a_statement_error_quoting_the_password_is_sanitized(
    server: Server, maria: tuple[Any, str]
) -> None:
    del maria
    await Api(server).ok("POST", "config/maria", CONFIG)
    # MariaDB's syntax errors quote the statement from the error on: here, the password.
    role = {
        "db_name": "maria",
        "creation_statements": ["CREATE USER '{{name}}'@'%' IDENTIFIED BYY '{{password}}'"],
    }
    await Api(server).ok("POST", "roles/broken", role)
    refused = await server.call("GET", "database/creds/broken")
    assert refused.status_code == 400
    assert "syntax" in refused.text
    assert " near " not in refused.text  # the quoted statement, password and all, is cut


# -- statement rendering and connection URLs ---------------------------------------------------

VALUES = {"name": "we`i'rd", "username": "we`i'rd", "password": "p'w\\d\"", "expiration": "2027"}


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("CREATE USER '{{name}}'@'%'", "CREATE USER 'we`i\\'rd'@'%'"),
        ("GRANT ALL ON x.* TO `{{name}}`", "GRANT ALL ON x.* TO `we``i'rd`"),
        ("DROP USER {{name}}", "DROP USER `we``i'rd`"),
        ("IDENTIFIED BY '{{password}}'", "IDENTIFIED BY 'p\\'w\\\\d\"'"),
        ('IDENTIFIED BY "{{password}}"', 'IDENTIFIED BY "p\'w\\\\d\\""'),
        ("IDENTIFIED BY {{password}}", "IDENTIFIED BY 'p\\'w\\\\d\"'"),
        ("SELECT '{{expiration}}'", "SELECT '2027'"),
        ("-- {{password}}\nSELECT 1", "-- {{password}}\nSELECT 1"),
        ("# {{password}}\nSELECT 1", "# {{password}}\nSELECT 1"),
        ("/* {{password}} */ SELECT 1", "/* {{password}} */ SELECT 1"),
        ("SELECT '{{other}}', {{other}}", "SELECT '{{other}}', {{other}}"),
        ("SELECT 'it\\'s {{expiration}}'", "SELECT 'it\\'s 2027'"),
    ],
)
def test_rendering_by_context(statement: str, expected: str) -> None:
    assert render(statement, VALUES) == expected


def test_statements_split_on_semicolons_outside_literals() -> None:
    assert _split("CREATE USER 'a;b'@'%'; GRANT `x;y` ;  ;") == [
        "CREATE USER 'a;b'@'%'",
        " GRANT `x;y` ",
    ]


def test_connection_urls_as_vault_writes_them() -> None:
    go = _params(Connection("{{username}}:{{password}}@tcp(db.example:3307)/app", "u", "p@:/"))
    assert (go["host"], go["port"], go["user"], go["password"], go["db"]) == (
        "db.example",
        3307,
        "u",
        "p@:/",
        "app",
    )
    url = _params(Connection("mysql://me:s%40cret@127.0.0.1/", "", ""))
    assert (url["host"], url["port"], url["user"], url["password"], url["db"]) == (
        "127.0.0.1",
        3306,
        "me",
        "s@cret",
        None,
    )
    with pytest.raises(DatabaseError, match="invalid connection_url") as caught:
        _params(Connection("{{username}}:{{password}}@tcp(h:notaport)/x", "u", "Hidden-Pw"))
    assert "Hidden-Pw" not in str(caught.value)
    with pytest.raises(DatabaseError, match="empty"):
        _params(Connection("", "u", "p"))


async def test_odd_passwords_survive_creation_and_login(maria: tuple[Any, str]) -> None:
    root, _table = maria
    user = f"sr_odd_{secrets.token_hex(3)}"
    password = "a'b\"c\\d;e`f--g#h/*i*/{{name}}%s%%"
    plugin = MySQLPlugin(Connection(URL, "root", ""))
    statements = ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'"]
    try:
        await plugin.create_user(statements, user, password, datetime.now(UTC))
        assert await _login_works(user, password)
        new = "z\\'\"`;x"
        await plugin.set_password([], user, new)
        assert await _login_works(user, new)
        assert not await _login_works(user, password)
    finally:
        await plugin.revoke_user([], user)
        await plugin.close()
    assert await _user_count(root, user) == 0


@pytest.fixture(scope="module")
def sync_root() -> Iterator[Any]:
    try:
        conn = pymysql.connect(
            host="127.0.0.1",
            port=3306,
            user="root",
            password="",
            autocommit=True,
            connect_timeout=3,
            charset="utf8mb4",
        )
    except (OSError, pymysql.err.MySQLError):
        service_missing("MariaDB is not reachable on 127.0.0.1:3306")
        raise
    yield conn
    conn.close()


TEXT = st.text(st.characters(codec="utf-8"), max_size=24)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_every_literal_form_reads_back_as_the_value(sync_root: Any, value: str) -> None:
    with sync_root.cursor() as cursor:
        for statement in ("SELECT '{{password}}'", 'SELECT "{{password}}"', "SELECT {{password}}"):
            cursor.execute(render(statement, {"password": value}))
            assert cursor.fetchone()[0] == value
