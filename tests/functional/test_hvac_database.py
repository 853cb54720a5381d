"""The database secrets engine through hvac against the real server process (SQLite storage)
and the real PostgreSQL: every `secrets.database.*` call a client makes, unchanged."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, LiteralString

import hvac
import hvac.exceptions
import psycopg
import pytest
from psycopg import sql

from support.hvac_client import unsealed_client
from support.inproc import service_missing
from support.procs import RunningServer

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
PG_URL = os.environ.get("STRONGROOM_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
URL = "postgresql://{{username}}:{{password}}@127.0.0.1:5432/test"
PLUGIN = "postgresql-database-plugin"
CREATE = [
    "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';"
]


@dataclass
class Admin:
    """The test server's superuser, and the roles to drop after the test."""

    conn: psycopg.Connection[Any]
    made: list[str] = field(default_factory=list)

    def execute(self, query: LiteralString, *args: object) -> psycopg.Cursor[Any]:
        return self.conn.execute(query, args)

    def make_user(self, password: str, *, superuser: bool = False) -> str:
        name = f"sr_f_{secrets.token_hex(4)}"
        self.made.append(name)
        kind = sql.SQL("SUPERUSER" if superuser else "NOSUPERUSER")
        self.conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN {} PASSWORD {}").format(
                sql.Identifier(name), kind, sql.Literal(password)
            )
        )
        return name


@pytest.fixture
def admin() -> Iterator[Admin]:
    try:
        conn = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        service_missing("PostgreSQL test server unreachable (127.0.0.1:5432)")
        raise
    found = Admin(conn)
    yield found
    for role in sorted(found.made, key=len, reverse=True):
        for name in (role + "_clone", role):
            conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))
    conn.close()


@pytest.fixture
def client(sqlite_server: RunningServer, admin: Admin) -> Iterator[hvac.Client]:
    del admin  # its cleanup must run after the server (and its pools) are gone
    client = unsealed_client(sqlite_server)
    client.sys.enable_secrets_engine("database")
    yield client
    client.adapter.close()


def test_connections_roles_and_dynamic_credentials(client: hvac.Client, admin: Admin) -> None:
    database = client.secrets.database
    database.configure("pg", PLUGIN, allowed_roles=["app"], connection_url=URL, username="postgres")
    assert database.list_connections()["data"]["keys"] == ["pg"]
    details = database.read_connection("pg")["data"]
    assert details["plugin_name"] == PLUGIN
    assert "password" not in details["connection_details"]
    database.reset_connection("pg")
    database.create_role("app", "pg", CREATE, default_ttl="1h", max_ttl="24h")
    assert database.read_role("app")["data"]["default_ttl"] == 3600
    assert database.list_roles()["data"]["keys"] == ["app"]
    creds = database.generate_credentials("app")["data"]
    admin.made.append(creds["username"])
    row = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", creds["username"])
    assert row.fetchone() == (1,)
    with psycopg.connect(PG_URL, user=creds["username"], password=creds["password"]) as session:
        assert session.execute("SELECT current_user").fetchone() == (creds["username"],)
    database.create_role("other", "pg", CREATE)
    with pytest.raises(hvac.exceptions.InvalidRequest, match="not an allowed role"):
        database.generate_credentials("other")
    database.delete_role("other")
    with pytest.raises(hvac.exceptions.InvalidPath):
        database.read_role("other")


def test_static_roles_and_rotations(client: hvac.Client, admin: Admin) -> None:
    database = client.secrets.database
    user = admin.make_user("initial")
    database.configure("pg", PLUGIN, allowed_roles="*", connection_url=URL, username="postgres")
    statements = ["ALTER ROLE \"{{name}}\" WITH PASSWORD '{{password}}';"]
    database.create_static_role("static", "pg", user, statements, rotation_period=3600)
    first = database.get_static_credentials("static")["data"]
    assert first["username"] == user
    assert first["rotation_period"] == 3600
    assert 3590 <= first["ttl"] <= 3600
    database.rotate_static_role_credentials("static")
    second = database.get_static_credentials("static")["data"]
    assert second["password"] != first["password"]
    assert database.read_static_role("static")["data"]["username"] == user
    assert database.list_static_roles()["data"]["keys"] == ["static"]
    database.delete_static_role("static")


def test_rotate_root_with_a_dedicated_superuser(client: hvac.Client, admin: Admin) -> None:
    database = client.secrets.database
    root = admin.make_user("root-pw-initial", superuser=True)
    database.configure(
        "rooted", PLUGIN, connection_url=URL, username=root, password="root-pw-initial"
    )
    before = admin.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", root)
    hashed = before.fetchone()
    database.rotate_root_credentials("rooted")
    after = admin.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", root)
    assert after.fetchone() != hashed
    assert "password" not in database.read_connection("rooted")["data"]["connection_details"]
    database.delete_connection("rooted")
