"""rabbitmq/creds/:name: a new RabbitMQ user with the role's tags and permissions, leased
(Vault's `path_role_create.go`), and the revocation the core calls when the lease ends."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from strongroom.engines.rabbitmq.context import Named, RabbitMqContext
from strongroom.engines.rabbitmq.management import Management, RabbitMqError
from strongroom.engines.rabbitmq.models import Lease
from strongroom.engines.usernames import TemplateError, UsernameContext, render
from strongroom.errors import BadRequest
from strongroom.logical import LeaseRequest, Request, Response

SYNOPSIS = "Request RabbitMQ credentials for a certain role."
# Vault's default (builtin/logical/rabbitmq/path_role_create.go).
DEFAULT_USERNAME_TEMPLATE = '{{ printf "%s-%s" (.DisplayName) (uuid) }}'


async def generate(ctx: RabbitMqContext, req: Request, fields: Named) -> Response:
    name = fields.name
    role = await ctx.role(name)
    if role is None:
        raise BadRequest("unknown role")
    conn = await ctx.connection()
    display = "" if req.caller is None else req.caller.display_name
    try:
        username = render(
            conn.username_template or DEFAULT_USERNAME_TEMPLATE,
            UsernameContext(display, name, ctx.now()),
        )
    except TemplateError as exc:
        raise BadRequest(f"unable to generate username: {exc}") from None
    if not username:
        raise BadRequest("unable to generate username: the template gave an empty name")
    password = await ctx.mount.passwords(conn.password_policy)
    async with Management(conn, hidden=[password]) as api:
        await api.put_user(username, password, role.tags)
        try:
            for vhost, perm in role.vhosts.items():
                await api.put_permissions(vhost, username, perm)
            for vhost, exchanges in role.vhost_topics.items():
                for exchange, topic in exchanges.items():
                    await api.put_topic_permissions(vhost, username, exchange, topic)
        except Exception:
            with contextlib.suppress(RabbitMqError):
                await api.delete_user(username)  # as Vault: no half-made user is left behind
            raise
    found = await ctx.lease() or Lease()
    return Response(
        {"username": username, "password": password},
        secret=LeaseRequest(internal={"username": username}, ttl=found.ttl, max_ttl=found.max_ttl),
    )


async def revoke(ctx: RabbitMqContext, internal: Mapping[str, Any]) -> None:
    """Delete the lease's user (already gone is success); raises for the core to retry."""
    conn = await ctx.connection()
    async with Management(conn) as api:
        await api.delete_user(str(internal["username"]))
