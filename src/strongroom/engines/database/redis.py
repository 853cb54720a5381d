"""`redis-database-plugin`: Redis ACL users (Redis 6+), as Vault's Redis plugin.

A role's `creation_statements` is a JSON list of ACL rules (`["~*", "+@read"]`), applied with
`ACL SETUSER <name> on ><password> <rules...>`; revocation is `ACL DELUSER` (idempotent: an
unknown user counts as deleted). The connection is Vault's `host`, `port`, `username`,
`password`, `tls`, `insecure_tls` and `ca_cert`, not a URL. Redis users do not expire, so
renewal is a no-op.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import RedisError

from strongroom.engines.database.errors import DatabaseError, sanitized
from strongroom.engines.database.plugin import Connection, positive_option

NAME = "redis-database-plugin"
MAX_USERNAME = 128
DEFAULT_TEMPLATE = (
    '{{ printf "V_%s_%s_%s_%s" (.DisplayName | uppercase | truncate 10) '
    "(.RoleName | uppercase | truncate 10) (random 20 | uppercase) (unix_time) | truncate 100 }}"
)
_TIMEOUT = 10.0
DEFAULT_RULES = ("~*", "+@read")  # Vault's defaultRedisUserRule, for empty statements
_ENGINE_PREFIXES = frozenset({">", "<", "#", "!"})  # passwords: the engine's alone
_ENGINE_RULES = frozenset({"nopass", "resetpass", "off", "reset"})


class RedisPlugin:
    def __init__(self, connection: Connection) -> None:
        options = connection.options
        self._hidden = [connection.password]
        self._client: aioredis.Redis = aioredis.Redis(
            host=str(options.get("host") or "127.0.0.1"),
            port=positive_option(options.get("port"), 6379),
            username=connection.username or None,
            password=connection.password or None,
            ssl=bool(options.get("tls")),
            ssl_cert_reqs="none" if options.get("insecure_tls") else "required",
            ssl_ca_data=str(options.get("ca_cert") or "") or None,
            socket_timeout=_TIMEOUT,
            socket_connect_timeout=_TIMEOUT,
            max_connections=positive_option(options.get("max_open_connections"), 4),
            # One quick retry (a pooled connection the server closed), not redis-py's default
            # three with backoff of seconds: that retries refused passwords too (an
            # AuthenticationError is a ConnectionError), and the engine retries revocation itself.
            retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 1),
        )

    async def verify(self) -> None:
        async with self._failing("error verifying connection"):
            await self._client.ping()

    async def create_user(
        self, statements: Sequence[str], username: str, password: str, expiration: datetime
    ) -> None:
        del expiration  # Redis ACL users have no expiry; the lease revokes them
        rules = _rules(statements)
        async with self._failing("unable to create user", password):
            await self._command("ACL", "SETUSER", username, "on", ">" + password, *rules)

    async def renew_user(
        self, statements: Sequence[str], username: str, expiration: datetime
    ) -> None:
        del statements, username, expiration  # nothing expires in Redis: as Vault's plugin

    async def revoke_user(self, statements: Sequence[str], username: str) -> None:
        del statements  # Vault's Redis plugin ignores revocation statements too
        async with self._failing("unable to revoke user"):
            await self._client.acl_deluser(username)

    async def set_password(self, statements: Sequence[str], username: str, password: str) -> None:
        del statements
        async with self._failing("unable to change password", password):
            # SETUSER would quietly create a user that is not there; Vault refuses instead.
            if await self._command("ACL", "GETUSER", username) is None:
                raise DatabaseError(f"unable to change password: user {username!r} not found")
            await self._command("ACL", "SETUSER", username, "resetpass", ">" + password)

    async def close(self) -> None:
        await self._client.aclose()

    async def _command(self, *args: str) -> object:
        # redis-py leaves execute_command untyped; rules are raw ACL words, so no typed helper.
        run: Callable[..., Awaitable[object]] = self._client.execute_command
        return await run(*args)

    @asynccontextmanager
    async def _failing(self, action: str, *hidden: str) -> AsyncIterator[None]:
        try:
            yield
        except (RedisError, OSError) as exc:
            message = sanitized(str(exc).split("\n")[0], [*self._hidden, *hidden])
            raise DatabaseError(f"{action}: {message}") from None


def _rules(statements: Sequence[str]) -> list[str]:
    """The ACL rules of a role: each statement is a JSON list of rule strings (Vault's form),
    or a single rule. A rule can never add a password or switch the user off (`>`, `<`, `#`,
    `nopass`, `resetpass`, `off`, `reset`): those belong to the engine."""
    rules: list[str] = []
    for statement in statements:
        try:
            parsed = json.loads(statement)
        except ValueError:
            parsed = [statement]
        if not isinstance(parsed, list) or not all(isinstance(r, str) for r in parsed):
            raise DatabaseError("creation_statements must be JSON lists of ACL rule strings")
        rules.extend(parsed)
    for rule in rules:
        lowered = rule.strip().lower()
        if lowered[:1] in _ENGINE_PREFIXES or lowered in _ENGINE_RULES:
            raise DatabaseError("an ACL rule in the creation statements is not allowed")
    return rules or list(DEFAULT_RULES)
