"""rabbitmq/config/connection and config/lease (Vault's `path_config_connection.go` and
`path_config_lease.go`).

The connection (the management API and its administrator) is write only: no path reads the
password back. A write logs in first unless `verify_connection` is false.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.rabbitmq.context import RabbitMqContext
from strongroom.engines.rabbitmq.management import Management
from strongroom.engines.rabbitmq.models import CONNECTION, LEASE, Connection, Lease, encode
from strongroom.engines.usernames import TemplateError, UsernameContext, render
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, Duration, NoFields, Request, Response

CONNECTION_SYNOPSIS = (
    "Configure the connection URI, username, and password to talk to RabbitMQ management HTTP API."
)
LEASE_SYNOPSIS = "Configure the lease parameters for generated credentials"


class ConnectionWrite(msgspec.Struct, frozen=True, kw_only=True):
    connection_uri: Annotated[str, Meta(description="RabbitMQ Management URI")] = ""
    username: Annotated[
        str, Meta(description="Username of a RabbitMQ management administrator")
    ] = ""
    password: Annotated[
        str, Meta(description="Password of the provided RabbitMQ management user")
    ] = ""
    verify_connection: Annotated[
        bool,
        Meta(
            description="If set, connection_uri is verified by actually connecting to the RabbitMQ "
            "management API"
        ),
    ] = True
    password_policy: Annotated[
        str,
        Meta(
            description="Name of the password policy to use to generate passwords for dynamic "
            "credentials."
        ),
    ] = ""
    username_template: Annotated[
        str, Meta(description="Template describing how dynamic usernames are generated.")
    ] = ""


class LeaseWrite(msgspec.Struct, frozen=True, kw_only=True):
    ttl: Annotated[
        Duration, Meta(description="Duration before which the issued credentials needs renewal")
    ] = 0
    max_ttl: Annotated[
        Duration,
        Meta(
            description="Duration after which the issued credentials should not be allowed to be "
            "renewed"
        ),
    ] = 0


async def write_connection(
    ctx: RabbitMqContext, _req: Request, fields: ConnectionWrite
) -> Response:
    conn = Connection(
        connection_uri=fields.connection_uri,
        username=fields.username,
        password=fields.password,
        password_policy=fields.password_policy,
        username_template=fields.username_template,
    )
    for name in ("connection_uri", "username", "password"):
        if not getattr(conn, name):
            raise BadRequest(f"missing {name}")
    if conn.username_template:
        try:
            render(conn.username_template, UsernameContext("", "", ctx.now()))
        except TemplateError as exc:
            raise BadRequest(f"unable to initialize username template: {exc}") from None
    if fields.verify_connection:
        async with Management(conn) as api:
            await api.verify()
    await ctx.mount.view.put(CONNECTION, encode(conn))
    return NO_CONTENT


async def write_lease(ctx: RabbitMqContext, _req: Request, fields: LeaseWrite) -> Response:
    found = Lease(ttl=fields.ttl, max_ttl=fields.max_ttl)
    if found.ttl < 0 or found.max_ttl < 0:
        raise BadRequest("ttl values must not be negative")
    await ctx.mount.view.put(LEASE, encode(found))
    return NO_CONTENT


async def read_lease(ctx: RabbitMqContext, _req: Request, _fields: NoFields) -> Response:
    found = await ctx.lease()
    if found is None:
        raise NotFound
    return Response({"ttl": found.ttl, "max_ttl": found.max_ttl})
