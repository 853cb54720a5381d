"""The real PostgreSQL for the database engine's tests, and a Strongroom mount pointing at it.

The test server trusts every login (pg_hba `trust`), so "does this password work" cannot be
asked by logging in. `Pg.password_works` asks what password authentication would: it checks
the password against the SCRAM-SHA-256 verifier PostgreSQL stored in `pg_authid` (RFC 5802:
StoredKey = H(HMAC(PBKDF2(password), "Client Key"))) and that the role may log in and has not
expired. Every role and table a test makes has a unique name and is dropped afterwards.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg import sql

from strongroom.core.mounts import MountContext, PasswordSource
from strongroom.core.request import Operation, Request, Response
from strongroom.core.view import Store, View
from strongroom.engines.database import DatabaseBackend
from support.api import Api as MountApi
from support.inproc import service_missing

PG_URL = os.environ.get("STRONGROOM_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
TEMPLATED_URL = "postgresql://{{username}}:{{password}}@127.0.0.1:5432/test"
PLUGIN = "postgresql-database-plugin"
_VERIFIER = re.compile(r"SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)")


def unique(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(4)}"


def scram_matches(verifier: str, password: str) -> bool:
    found = _VERIFIER.fullmatch(verifier)
    if found is None:
        return False
    iterations, salt = int(found[1]), base64.b64decode(found[2])
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    return hmac.compare_digest(hashlib.sha256(client_key).digest(), base64.b64decode(found[3]))


@dataclass
class Pg:
    """The superuser connection of the tests, and what they made."""

    admin: psycopg.AsyncConnection[Any]
    roles: set[str] = field(default_factory=set)
    tables: set[str] = field(default_factory=set)

    async def one(self, query: str, *args: object) -> Any:
        cursor = await self.admin.execute(query.encode(), args)  # tests' own fixed queries
        row = await cursor.fetchone()
        return None if row is None else row[0]

    async def create_user(
        self, name: str, password: str = "initial", *, superuser: bool = False
    ) -> str:
        self.roles.add(name)
        kind = sql.SQL("SUPERUSER") if superuser else sql.SQL("NOSUPERUSER")
        await self.admin.execute(
            sql.SQL("CREATE ROLE {} WITH LOGIN {} PASSWORD {}").format(
                sql.Identifier(name), kind, sql.Literal(password)
            )
        )
        return name

    async def create_table(self, name: str) -> str:
        self.tables.add(name)
        table = sql.Identifier(name)
        await self.admin.execute(sql.SQL("CREATE TABLE {} (x int)").format(table))
        await self.admin.execute(sql.SQL("INSERT INTO {} VALUES (42)").format(table))
        return name

    async def exists(self, role: str) -> bool:
        return bool(await self.one("SELECT count(*) FROM pg_roles WHERE rolname = %s", role))

    async def password_works(self, role: str, password: str) -> bool:
        """Whether password authentication would let `role` in with `password` now."""
        cursor = await self.admin.execute(
            "SELECT rolpassword, rolcanlogin, rolvaliduntil FROM pg_authid WHERE rolname = %s",
            (role,),
        )
        row = await cursor.fetchone()
        if row is None or row[0] is None or not row[1]:
            return False
        valid_until: datetime | None = row[2]
        if valid_until is not None and valid_until <= datetime.now(UTC):
            return False
        return scram_matches(row[0], password)

    async def valid_until(self, role: str) -> datetime | None:
        until: datetime | None = await self.one(
            "SELECT rolvaliduntil FROM pg_roles WHERE rolname = %s", role
        )
        return until

    async def roles_like(self, fragment: str) -> list[str]:
        cursor = await self.admin.execute(
            "SELECT rolname FROM pg_roles WHERE strpos(rolname, %s) > 0", (fragment,)
        )
        return [row[0] for row in await cursor.fetchall()]

    async def cleanup(self) -> None:
        for table in self.tables:
            await self.admin.execute(
                sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(table))
            )
        for role in sorted(self.roles, key=len, reverse=True):  # clones before their base
            for name in (role + "_clone", role):
                ident = sql.Identifier(name)
                if await self.exists(name):
                    await self.admin.execute(sql.SQL("DROP OWNED BY {}").format(ident))
                    await self.admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(ident))


async def connect_pg() -> AsyncIterator[Pg]:
    try:
        admin = await psycopg.AsyncConnection.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        service_missing(f"PostgreSQL test server unreachable ({type(exc).__name__})")
        raise
    pg = Pg(admin)
    try:
        yield pg
    finally:
        await pg.cleanup()
        await admin.close()


async def login(user: str, password: str) -> psycopg.AsyncConnection[Any]:
    """A session as `user` (the trust-auth server admits any password: see password_works)."""
    return await psycopg.AsyncConnection.connect(
        PG_URL, user=user, password=password, autocommit=True, connect_timeout=3
    )


@dataclass
class Api(MountApi):
    """The shared calls, plus the database engine's own, below `database/`."""

    mount: str = "database"

    async def configure(self, name: str = "pg", **fields: Any) -> None:
        body = {
            "plugin_name": PLUGIN,
            "connection_url": TEMPLATED_URL,
            "username": "postgres",
            "allowed_roles": "*",
            **fields,
        }
        await self.ok("POST", f"config/{name}", body)

    def backend(self) -> DatabaseBackend:
        found = self.server.core.mounts.route("database/")
        assert found is not None
        backend = found[0].backend
        assert isinstance(backend, DatabaseBackend)
        return backend

    async def tick(self) -> None:
        await self.backend().tick()


def mount_context(api: Api, passwords: PasswordSource | None = None) -> MountContext:
    """A context over the same storage as the mounted engine: another worker's, or the one a
    core wires with a password source (`passwords`)."""
    found = api.server.core.mounts.route("database/")
    assert found is not None
    view = api.backend().db.store.view
    if passwords is None:
        return MountContext(view=view, clock=api.server.clock, entry=found[0].entry)
    return MountContext(
        view=view, clock=api.server.clock, entry=found[0].entry, passwords=passwords
    )


def worker(api: Api, store: Store | None = None) -> DatabaseBackend:
    """Another worker's backend over the mount's storage (seen through `store` if given)."""
    ctx = mount_context(api)
    if store is not None:
        ctx = MountContext(view=View(store, ctx.view.prefix), clock=ctx.clock, entry=ctx.entry)
    return DatabaseBackend(ctx)


async def direct(
    backend: DatabaseBackend, op: Operation, path: str, data: dict[str, Any] | None = None
) -> Response:
    """`path` below the mount straight to `backend` (no token, no lease bookkeeping)."""
    return await backend.handle(Request("test", op, f"database/{path}", data or {}), path)


async def static_rotation(
    api: Api,
    db_name: str,
    user: str,
    first: str,
    login_works: Callable[[str, str], Awaitable[bool]],
) -> str:
    """A static role takes `user` (password `first`) over: its password changes when the role
    is created and again on rotate-role, and each old password stops working. Returns the
    password now in force."""
    body = {"db_name": db_name, "username": user, "rotation_period": "1h"}
    await api.ok("POST", "static-roles/app", body)
    current = (await api.ok("GET", "static-creds/app"))["data"]["password"]
    assert await login_works(user, current)
    assert not await login_works(user, first)
    await api.ok("POST", "rotate-role/app")
    rotated = (await api.ok("GET", "static-creds/app"))["data"]["password"]
    assert rotated != current
    assert await login_works(user, rotated)
    assert not await login_works(user, current)
    return str(rotated)
