"""`mysql-database-plugin` (and Vault's aurora/rds/legacy aliases) for MySQL and MariaDB, over
aiomysql with one small pool per config.

Statements are Vault's templates (`{{name}}`, `{{username}}`, `{{password}}`, `{{expiration}}`),
rendered by `mysql_statements.py` with MySQL's quoting rules (backslash escapes in strings,
backtick identifiers). MySQL users do not expire, so renewal is a no-op, as in Vault. Errors
leave as DatabaseError with the server's message only, every known password removed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import aiomysql  # type: ignore[import-untyped]
import pymysql  # type: ignore[import-untyped]

from strongroom.engines.database.errors import DatabaseError, sanitized
from strongroom.engines.database.mysql_statements import render
from strongroom.engines.database.plugin import Connection, positive_option

LEGACY_NAME = "mysql-legacy-database-plugin"
NAMES = (
    "mysql-database-plugin",
    "mysql-aurora-database-plugin",
    "mysql-rds-database-plugin",
    LEGACY_NAME,
)
MAX_USERNAME = 32  # MySQL 5.7+ and MariaDB; the legacy plugin allows 16
MAX_LEGACY_USERNAME = 16
# Vault's mysql plugin default (DisplayName/RoleName cut to 10, whole name to 32).
DEFAULT_TEMPLATE = (
    '{{ printf "v-%s-%s-%s-%s" (.DisplayName | truncate 10) (.RoleName | truncate 10) '
    "(random 20) (unix_time) | truncate 32 }}"
)
LEGACY_TEMPLATE = (
    '{{ printf "v-%s-%s-%s" (.RoleName | truncate 4) (random 20) (unix_time) | truncate 16 }}'
)
DEFAULT_REVOKE = ["DROP USER IF EXISTS '{{name}}'@'%'"]
DEFAULT_CHANGE_PASSWORD = ["ALTER USER '{{username}}'@'%' IDENTIFIED BY '{{password}}'"]
EXPIRATION_FORMAT = "%Y-%m-%d %H:%M:%S%z"  # Vault's "2006-01-02 15:04:05-0700"
_CONNECT_TIMEOUT = 10


class _QuietCursor(aiomysql.Cursor):  # type: ignore[misc]
    """A cursor that leaves server notes alone. aiomysql fetches them with an extra
    `SHOW WARNINGS` round trip and raises each as a Python warning: `DROP USER IF EXISTS` of a
    user already gone would then print (or, under `-W error`, fail) where it is success."""

    async def _show_warnings(self, conn: object) -> None:
        del conn


class MySQLPlugin:
    """One `database/config/:name` of a MySQL plugin."""

    def __init__(self, connection: Connection) -> None:
        self._hidden = [connection.password]
        self._params = _params(connection)
        self._max = positive_option(connection.options.get("max_open_connections"), 4)
        self._pool: Any = None

    async def verify(self) -> None:
        async with self._failing("error verifying connection"):
            conn = await aiomysql.connect(**self._params)
            try:
                async with conn.cursor(_QuietCursor) as cursor:
                    await cursor.execute("SELECT 1")
            finally:
                conn.close()

    async def create_user(
        self, statements: Sequence[str], username: str, password: str, expiration: datetime
    ) -> None:
        if not statements:
            raise DatabaseError("empty creation statements")
        values = {
            "name": username,
            "username": username,
            "password": password,
            "expiration": expiration.strftime(EXPIRATION_FORMAT),
        }
        await self._run("unable to create user", statements, values, password)

    async def renew_user(
        self, statements: Sequence[str], username: str, expiration: datetime
    ) -> None:
        """MySQL accounts do not expire; only explicit renew statements run (Vault's plugin
        does nothing at all)."""
        if statements:
            values = {"name": username, "username": username}
            values["expiration"] = expiration.strftime(EXPIRATION_FORMAT)
            await self._run("unable to renew user", statements, values)

    async def revoke_user(self, statements: Sequence[str], username: str) -> None:
        values = {"name": username, "username": username}
        await self._run("unable to revoke user", statements or DEFAULT_REVOKE, values)

    async def set_password(self, statements: Sequence[str], username: str, password: str) -> None:
        values = {"name": username, "username": username, "password": password}
        await self._run(
            "unable to change password", statements or DEFAULT_CHANGE_PASSWORD, values, password
        )

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
            await pool.wait_closed()

    # -- internals -----------------------------------------------------------------------------

    async def _run(
        self, action: str, statements: Sequence[str], values: Mapping[str, str], *hidden: str
    ) -> None:
        async with self._failing(action, *hidden), self._connection() as conn:
            async with conn.cursor(_QuietCursor) as cursor:
                for statement in statements:
                    for part in _split(statement):
                        await cursor.execute(render(part, values))
            await conn.commit()

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[Any]:
        if self._pool is None:
            self._pool = await aiomysql.create_pool(minsize=0, maxsize=self._max, **self._params)
        async with self._pool.acquire() as conn:
            yield conn

    @asynccontextmanager
    async def _failing(self, action: str, *hidden: str) -> AsyncIterator[None]:
        try:
            yield
        except pymysql.err.MySQLError as exc:
            detail = str(exc.args[1] if len(exc.args) > 1 else exc)
            # A syntax error quotes the statement from the error on ("near '...'"), cut at 80
            # characters, possibly mid-password: keep only what comes before the quote.
            detail = detail.split(" near '", 1)[0]
            message = sanitized(detail, [*self._hidden, *hidden])
            raise DatabaseError(f"{action}: {message}") from None
        except (OSError, ValueError):
            raise DatabaseError(f"{action}: cannot reach the database") from None


def _split(statement: str) -> list[str]:
    """Vault's plugins take several `;`-separated statements in one string; a `;` inside a
    quoted literal is not a separator."""
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for char in statement:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`":
            quote = char
        elif char == ";":
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [part for part in parts if part.strip()]


def _params(connection: Connection) -> dict[str, Any]:
    """aiomysql's keyword arguments from Vault's `connection_url`
    (`{{username}}:{{password}}@tcp(host:port)/db`, or a `mysql://` URL). The URL is parsed
    with its placeholders in place, so a password holding `@`, `:` or `/` cannot move the
    host; the config's `username` and `password` win over any written into the URL."""
    url = connection.connection_url
    if not url:
        raise DatabaseError("connection_url cannot be empty")
    if "@tcp(" in url:  # Go's DSN form: user:pass@tcp(host:port)/db?params
        credentials, _, rest = url.rpartition("@tcp(")
        address, _, tail = rest.partition(")")
        url = f"mysql://{credentials}@{address}{tail}"
    if "://" not in url:
        url = "mysql://" + url
    parts = urlsplit(url)
    try:
        port = parts.port or 3306
    except ValueError:
        raise DatabaseError("error creating database object: invalid connection_url") from None
    user = unquote(parts.username or "").replace("{{username}}", connection.username)
    password = unquote(parts.password or "").replace("{{password}}", connection.password)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": port,
        "user": connection.username or user,
        "password": connection.password or password,
        "db": parts.path.lstrip("/") or None,
        "connect_timeout": _CONNECT_TIMEOUT,
        "autocommit": False,
    }
