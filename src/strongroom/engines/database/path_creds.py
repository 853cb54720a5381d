"""database/creds/:name (dynamic users with a lease) and static-creds/:name (Vault's
`path_creds_create.go`), and the lease callbacks the core makes when a dynamic user's lease
is renewed or ends.

A dynamic user is created valid until its lease's end plus 5 seconds (Vault's buffer, so the
database never drops a user the lease still covers); `internal` carries what revocation needs
even after the role is gone, exactly Vault's fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from strongroom.clock import rfc3339
from strongroom.engines.database.connections import plugin_spec
from strongroom.engines.database.context import DatabaseContext, Named
from strongroom.engines.database.models import DatabaseConfig, Role
from strongroom.engines.database.path_static_roles import timing
from strongroom.engines.database.service import Database
from strongroom.engines.usernames import TemplateError, UsernameContext, render
from strongroom.errors import BadRequest
from strongroom.logical import LeaseRequest, Request, Response

SYNOPSIS = "Request database credentials for a certain role."
STATIC_SYNOPSIS = "Request database credentials for a certain static role."

EXPIRATION_BUFFER = 5


async def generate(ctx: DatabaseContext, req: Request, fields: Named) -> Response:
    db, name = ctx.db, fields.name
    role = await db.store.role(name)
    if role is None:
        raise BadRequest("unknown role")
    config = (await db.config(role.db_name)).record
    _allowed(config, name)
    ttl = _ttl(db, role)
    expiration = datetime.fromtimestamp(db.now() + ttl + EXPIRATION_BUFFER, tz=UTC)
    display = "" if req.caller is None else req.caller.display_name
    username = _username(config, display, name, db.now())
    password = await db.password_for(config)
    _config, plugin = await db.plugin(role.db_name)
    await plugin.create_user(role.creation_statements, username, password, expiration)
    internal = {
        "username": username,
        "role": name,
        "db_name": role.db_name,
        "revocation_statements": list(role.revocation_statements),
    }
    return Response(
        {"username": username, "password": password},
        secret=LeaseRequest(internal=internal, ttl=role.default_ttl, max_ttl=role.max_ttl),
    )


def _allowed(config: DatabaseConfig, role: str) -> None:
    if not config.allows(role):
        raise BadRequest(f'"{role}" is not an allowed role')


def _ttl(db: Database, role: Role) -> int:
    """Vault's CalculateTTL: the role's default (else the mount's), within both maximums."""
    mount_default, mount_max = db.lease_ttls()
    maximum = min(role.max_ttl or mount_max, mount_max)
    return min(role.default_ttl or mount_default, maximum)


def _username(config: DatabaseConfig, display: str, role: str, now: float) -> str:
    spec = plugin_spec(config.plugin_name)
    template = config.connection_details.get("username_template") or spec.username_template
    try:
        username = render(str(template), UsernameContext(display, role, now))
    except TemplateError as exc:
        raise BadRequest(f"unable to generate username: {exc}") from None
    if not username or len(username.encode()) > spec.max_username:
        raise BadRequest(
            f"unable to generate username: must be 1 to {spec.max_username} bytes long"
        )
    return username


async def read_static(ctx: DatabaseContext, _req: Request, fields: Named) -> Response:
    name, db = fields.name, ctx.db
    found = await db.store.static_role(name)
    if found is None:
        raise BadRequest("unknown role")
    role, account = found.record, found.record.account
    _allowed((await db.config(role.db_name)).record, name)
    if not account.username:
        raise BadRequest("the static role has no credentials yet: its first rotation is pending")
    data: dict[str, Any] = {
        "username": account.username,
        "password": account.password,
        "last_vault_rotation": rfc3339(account.last_vault_rotation),
        "ttl": max(0, round(account.next_vault_rotation - db.now())),
        **timing(role),
    }
    return Response(data)


async def revoke(db: Database, internal: Mapping[str, Any]) -> None:
    """Drop a dynamic user (the role's current statements, else those it was created with).
    Idempotent: the plugin treats a missing user as done."""
    role = await db.store.role(str(internal.get("role", "")))
    statements = role.revocation_statements if role else internal.get("revocation_statements")
    _config, plugin = await db.plugin(str(internal["db_name"]))
    await plugin.revoke_user(list(statements or []), str(internal["username"]))


async def renew(db: Database, internal: Mapping[str, Any], expires_at: float) -> None:
    name = str(internal.get("role", ""))
    role = await db.store.role(name)
    if role is None:
        raise BadRequest(f'error during renew: could not find role with name "{name}"')
    _config, plugin = await db.plugin(str(internal["db_name"]))
    expiration = datetime.fromtimestamp(expires_at + EXPIRATION_BUFFER, tz=UTC)
    await plugin.renew_user(role.renew_statements, str(internal["username"]), expiration)
