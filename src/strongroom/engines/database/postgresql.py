"""`postgresql-database-plugin`: Vault's PostgreSQL plugin over psycopg, one pool per config.

The pool opens lazily (no connection until the first operation) and is closed when the config
is deleted, reset or changed (`connections.py`). Every statement list runs in one transaction;
values are quoted by where they sit (`statements.py`). Errors leave here as DatabaseError with
the server's primary message only, scrubbed of every password this plugin knows. Nothing here
logs: psycopg's own pool logger reports connection failures, which carry no password.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import AsyncConnectionPool

from strongroom.engines.database import scram
from strongroom.engines.database.errors import DatabaseError, sanitized
from strongroom.engines.database.plugin import Connection, positive_option
from strongroom.engines.database.statements import quote_identifier, quote_literal, render

NAME = "postgresql-database-plugin"
MAX_IDENTIFIER = 63  # NAMEDATALEN - 1: PostgreSQL silently truncates longer names
DEFAULT_RENEW = ["ALTER ROLE \"{{name}}\" VALID UNTIL '{{expiration}}';"]
DEFAULT_CHANGE_PASSWORD = ["ALTER ROLE \"{{username}}\" WITH PASSWORD '{{password}}';"]
EXPIRATION_FORMAT = "%Y-%m-%d %H:%M:%S%z"  # Vault's "2006-01-02 15:04:05-0700"
_CONNECT_TIMEOUT = 10


class PostgreSQLPlugin:
    """One `database/config/:name` of plugin `postgresql-database-plugin`."""

    def __init__(self, connection: Connection) -> None:
        options = connection.options
        self._hidden = [connection.password]
        self._scram = options.get("password_authentication") == "scram-sha-256"
        self._conninfo = _conninfo(connection)
        self._pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] = AsyncConnectionPool(
            self._conninfo,
            open=False,
            min_size=0,  # connect on demand: a config may sit unused for days
            max_size=positive_option(options.get("max_open_connections"), 4),
            max_lifetime=float(positive_option(options.get("max_connection_lifetime"), 3600)),
            max_idle=60.0,
            timeout=float(_CONNECT_TIMEOUT),
            kwargs={"autocommit": True},
            name=f"strongroom-database-{NAME}",
        )
        self._opened = False

    async def verify(self) -> None:
        async with self._failing("error verifying connection"):
            conn = await psycopg.AsyncConnection.connect(self._conninfo)
            async with conn:
                await conn.execute("SELECT 1")

    async def create_user(
        self, statements: Sequence[str], username: str, password: str, expiration: datetime
    ) -> None:
        if not statements:
            raise DatabaseError("empty creation statements")
        values = {
            "name": username,
            "username": username,
            "password": self._password_value(password),
            "expiration": expiration.strftime(EXPIRATION_FORMAT),
        }
        await self._run("unable to create user", statements, values, password)

    async def renew_user(
        self, statements: Sequence[str], username: str, expiration: datetime
    ) -> None:
        values = {
            "name": username,
            "username": username,
            "expiration": expiration.strftime(EXPIRATION_FORMAT),
        }
        await self._run("unable to renew user", statements or DEFAULT_RENEW, values)

    async def revoke_user(self, statements: Sequence[str], username: str) -> None:
        if statements:
            values = {"name": username, "username": username}
            await self._run("unable to revoke user", statements, values)
            return
        async with self._failing("unable to revoke user"), self._connection() as conn:
            await _default_revoke(conn, username)

    async def set_password(self, statements: Sequence[str], username: str, password: str) -> None:
        values = {"name": username, "username": username}
        values["password"] = self._password_value(password)
        await self._run(
            "unable to change password", statements or DEFAULT_CHANGE_PASSWORD, values, password
        )

    async def clone_user(self, base: str, clone: str, password: str) -> None:
        """Create (or refresh) `clone` as a login role that acts as `base` (see overlap.py):
        a member of `base` whose sessions start with `SET ROLE base`, so it has exactly base's
        rights and what it creates belongs to base. Sets the clone's password."""
        secret = quote_literal(self._password_value(password))
        who, as_role = quote_identifier(clone), quote_identifier(base)
        async with self._transaction("unable to clone user", password) as conn:
            found = await conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (clone,))
            verb = "ALTER" if await found.fetchone() else "CREATE"
            await conn.execute(f"{verb} ROLE {who} WITH LOGIN PASSWORD {secret}".encode())
            await conn.execute(f"GRANT {as_role} TO {who}".encode())
            await conn.execute(f"ALTER ROLE {who} SET role TO {quote_literal(base)}".encode())

    async def close(self) -> None:
        await self._pool.close()

    # -- internals -----------------------------------------------------------------------------

    def _password_value(self, password: str) -> str:
        if self._scram and password.isascii():
            return scram.verifier(password)
        return password

    async def _run(
        self, action: str, statements: Sequence[str], values: Mapping[str, str], *hidden: str
    ) -> None:
        async with self._transaction(action, *hidden) as conn:
            for statement in statements:
                if statement.strip():
                    await conn.execute(render(statement, values).encode())

    @asynccontextmanager
    async def _transaction(
        self, action: str, *hidden: str
    ) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        async with self._failing(action, *hidden), self._connection() as conn, conn.transaction():
            yield conn

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        if not self._opened:
            await self._pool.open(wait=False)
            self._opened = True
        async with self._pool.connection() as conn:
            yield conn

    @asynccontextmanager
    async def _failing(self, action: str, *hidden: str) -> AsyncIterator[None]:
        """Turn driver errors into DatabaseError(action: primary message), secrets scrubbed."""
        try:
            yield
        except psycopg.Error as exc:
            primary = getattr(exc.diag, "message_primary", None) or str(exc).split("\n")[0]
            message = sanitized(primary, [*self._hidden, *hidden])
            raise DatabaseError(f"{action}: {message}") from None
        except ValueError:
            raise DatabaseError(f"{action}: invalid value in statement") from None


async def _default_revoke(conn: psycopg.AsyncConnection[Any], username: str) -> None:
    """Vault's default revocation, idempotent, plus REASSIGN/DROP OWNED (which also revokes
    every grant in this database): best effort for each step, then DROP ROLE IF EXISTS."""
    found = await conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (username,))
    if await found.fetchone() is None:
        return
    who = quote_identifier(username)
    sessions = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = "
    steps = [
        sessions + quote_literal(username),  # a revoked user keeps no open session
        f"REASSIGN OWNED BY {who} TO CURRENT_USER",
        f"DROP OWNED BY {who}",
        f"REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA public FROM {who}",
        f"REVOKE ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA public FROM {who}",
        f"REVOKE USAGE ON SCHEMA public FROM {who}",
    ]
    for step in steps:
        try:  # keep going: remove as much access as possible even if one step is refused
            await conn.execute(step.encode())
        except psycopg.Error:
            continue
    await conn.execute(f"DROP ROLE IF EXISTS {who}".encode())


def _conninfo(connection: Connection) -> str:
    """The libpq connection string: `{{username}}`/`{{password}}` in the URL replaced
    (URL-escaped unless `disable_escaping`), then user and password set explicitly."""
    url = connection.connection_url
    if not url:
        raise DatabaseError("connection_url cannot be empty")
    raw = bool(connection.options.get("disable_escaping"))
    user, password = connection.username, connection.password
    for key, value in (("username", user), ("name", user), ("password", password)):
        url = url.replace("{{" + key + "}}", value if raw else quote(value, safe=""))
    try:
        params = conninfo_to_dict(url)
    except psycopg.Error:
        raise DatabaseError("error creating database object: invalid connection_url") from None
    if user:
        params["user"] = user
    if password:
        params["password"] = password
    params.setdefault("connect_timeout", _CONNECT_TIMEOUT)
    return make_conninfo("", **params)
