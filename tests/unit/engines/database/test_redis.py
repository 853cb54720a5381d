"""The Redis plugin against the real Redis on this machine (127.0.0.1:6379), through the
engine's HTTP API: ACL users that may do exactly what the role's rules allow, revocation
(idempotent), static-role rotation, rules that would set passwords refused, and no password in
any error."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import AuthenticationError, NoPermissionError, RedisError

from strongroom.engines.database.errors import DatabaseError
from strongroom.engines.database.redis import _rules
from support.inproc import Server, service_missing
from unit.engines.database.db_support import Api, static_rotation

NO_RETRY = Retry(NoBackoff(), 0)  # redis-py retries a refused password for seconds
CONFIG = {
    "plugin_name": "redis-database-plugin",
    "host": "127.0.0.1",
    "port": 6379,
    "allowed_roles": "*",
    "verify_connection": True,
}


@pytest.fixture
async def red() -> AsyncIterator[aioredis.Redis]:
    """The default (unrestricted) Redis user."""
    client = aioredis.Redis(host="127.0.0.1", port=6379)
    try:
        await client.ping()
    except (RedisError, OSError):
        service_missing("Redis is not reachable on 127.0.0.1:6379")
    yield client
    await client.aclose()


@pytest.fixture
async def server(mounted: Server, red: aioredis.Redis) -> Server:
    """`database/` mounted with config `cache`."""
    del red  # requested for its skip
    await Api(mounted).ok("POST", "config/cache", CONFIG)
    return mounted


async def _revoke(server: Server, lease_id: str) -> None:
    revoked = await server.call("PUT", "sys/leases/revoke", {"lease_id": lease_id})
    assert revoked.status_code == 204, revoked.text


async def _users(red: aioredis.Redis) -> list[str]:
    return [n.decode() if isinstance(n, bytes) else n for n in await red.acl_users()]


async def _login_works(user: str, password: str) -> bool:
    client = aioredis.Redis(
        host="127.0.0.1", port=6379, username=user, password=password, retry=NO_RETRY
    )
    try:
        await client.ping()
    except AuthenticationError:
        return False
    finally:
        await client.aclose()
    return True


async def test_acl_user_with_its_rules_and_revocation(server: Server, red: aioredis.Redis) -> None:
    key, other = f"app:{secrets.token_hex(4)}", f"other:{secrets.token_hex(4)}"
    role = {
        "db_name": "cache",
        "creation_statements": ['["~app:*", "+get", "+set"]'],
        "default_ttl": "1h",
    }
    await Api(server).ok("POST", "roles/app", role)
    granted = await Api(server).ok("GET", "creds/app")
    user, password = granted["data"]["username"], granted["data"]["password"]
    try:
        client = aioredis.Redis(host="127.0.0.1", port=6379, username=user, password=password)
        await client.set(key, "v")
        assert await client.get(key) == b"v"
        with pytest.raises(NoPermissionError):
            await client.set(other, "v")
        with pytest.raises(NoPermissionError):
            await client.delete(key)
        await client.aclose()
        await _revoke(server, granted["lease_id"])
        assert user not in await _users(red)
        assert not await _login_works(user, password)
    finally:
        await red.acl_deluser(user)
        await red.delete(key)


async def test_revocation_is_idempotent_when_the_user_is_already_gone(
    server: Server, red: aioredis.Redis
) -> None:
    await Api(server).ok(
        "POST", "roles/gone", {"db_name": "cache", "creation_statements": ["+ping"]}
    )
    granted = await Api(server).ok("GET", "creds/gone")
    user = granted["data"]["username"]
    assert await red.acl_deluser(user) == 1  # someone else deleted it
    await _revoke(server, granted["lease_id"])
    assert user not in await _users(red)


async def test_rules_that_would_set_passwords_are_refused(
    server: Server, red: aioredis.Redis
) -> None:
    before = set(await _users(red))
    for rules in ('["+@all", "nopass"]', '[">known-password"]', '["resetpass"]', "{}"):
        await Api(server).ok(
            "POST", "roles/open", {"db_name": "cache", "creation_statements": [rules]}
        )
        refused = await server.call("GET", "database/creds/open")
        assert refused.status_code == 400, rules
    assert set(await _users(red)) == before


async def test_defaults_to_read_only_and_a_static_role_needs_an_existing_user(
    server: Server, red: aioredis.Redis
) -> None:
    await Api(server).ok("POST", "roles/reader", {"db_name": "cache"})
    granted = await Api(server).ok("GET", "creds/reader")
    user, password = granted["data"]["username"], granted["data"]["password"]
    try:
        client = aioredis.Redis(host="127.0.0.1", port=6379, username=user, password=password)
        assert await client.get(f"any-{secrets.token_hex(4)}") is None  # Vault's ~* +@read
        with pytest.raises(NoPermissionError):
            await client.set("any-key", "v")
        await client.aclose()
    finally:
        await _revoke(server, granted["lease_id"])
    missing = f"sr-nobody-{secrets.token_hex(3)}"
    body = {"db_name": "cache", "username": missing, "rotation_period": "1h"}
    refused = await server.call("POST", "database/static-roles/ghost", body)
    assert refused.status_code == 400
    assert "not found" in refused.text
    assert missing not in await _users(red)  # not quietly created


async def test_static_role_rotates_the_password(server: Server, red: aioredis.Redis) -> None:
    user, first = f"sr-static-{secrets.token_hex(3)}", "Initial-Pw-1"
    await red.acl_setuser(user, enabled=True, passwords=["+" + first], commands=["+ping"])
    try:
        assert await _login_works(user, first)
        rotated = await static_rotation(Api(server), "cache", user, first, _login_works)
        # The user keeps its rights: only the password changed.
        client = aioredis.Redis(host="127.0.0.1", port=6379, username=user, password=rotated)
        assert await client.ping()
        with pytest.raises(NoPermissionError):
            await client.get("x")
        await client.aclose()
    finally:
        await red.acl_deluser(user)


async def test_errors_never_echo_the_password(server: Server, red: aioredis.Redis) -> None:
    user, password = f"sr-root-{secrets.token_hex(3)}", f"Root-Secret-{secrets.token_hex(4)}"
    await red.acl_setuser(user, enabled=True, passwords=["+" + password], commands=["+ping"])
    try:
        wrong = {**CONFIG, "username": user, "password": "Wr0ng-Secret-Root"}
        refused = await server.call("POST", "database/config/broken", wrong)
        assert refused.status_code == 400
        assert "Wr0ng-Secret-Root" not in refused.text
        down = {**CONFIG, "port": 1, "username": user, "password": password}
        refused = await server.call("POST", "database/config/broken", down)
        assert refused.status_code == 400
        assert password not in refused.text
        # Connected, but without the right to create users: the server's refusal, sanitized.
        weak = {**CONFIG, "username": user, "password": password}
        await Api(server).ok("POST", "config/weak", weak)
        await Api(server).ok("POST", "roles/weak", {"db_name": "weak"})
        refused = await server.call("GET", "database/creds/weak")
        assert refused.status_code == 400
        assert "permission" in refused.text.lower()
        assert password not in refused.text
    finally:
        await red.acl_deluser(user)


def test_rules_parse_as_vault_writes_them() -> None:
    assert _rules(['["~*", "+@read"]', "+ping"]) == ["~*", "+@read", "+ping"]
    assert _rules([]) == ["~*", "+@read"]
    for bad in ('["ok", 1]', '"+get"', '{"rules": []}', '["<hash-removal"]', '["OFF"]'):
        with pytest.raises(DatabaseError):
            _rules([bad])
