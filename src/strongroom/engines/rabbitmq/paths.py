"""The RabbitMQ route table and its handlers: Vault's `rabbitmq` path tree.

    config/connection   POST: the management API and its administrator (write only)
    config/lease        POST/GET: the TTLs of generated credentials
    roles/:name         POST/GET/DELETE, LIST roles
    creds/:name         GET: a new RabbitMQ user with the role's tags and permissions, leased

Handlers take the mount's `MountContext`; storage goes through `ctx.view`, sealed by the barrier.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

import msgspec

from strongroom.core.fields import get_bool, get_duration, get_str
from strongroom.core.mounts import MountContext
from strongroom.core.request import NO_CONTENT, LeaseRequest, Request, Response
from strongroom.core.request import Operation as Op
from strongroom.core.routes import Route, Router, named
from strongroom.engines.rabbitmq.management import Management, RabbitMqError
from strongroom.engines.rabbitmq.models import (
    CONNECTION,
    CONNECTION_DECODER,
    LEASE,
    LEASE_DECODER,
    ROLE,
    ROLE_DECODER,
    TOPICS_DECODER,
    VHOSTS_DECODER,
    Connection,
    Lease,
    Role,
    encode,
)
from strongroom.engines.usernames import TemplateError, UsernameContext, render
from strongroom.errors import BadRequest, NotFound

_ONE = named("name")
# Vault's default (builtin/logical/rabbitmq/path_role_create.go).
DEFAULT_USERNAME_TEMPLATE = '{{ printf "%s-%s" (.DisplayName) (uuid) }}'


async def connection(ctx: MountContext) -> Connection:
    blob = await ctx.view.get(CONNECTION)
    if blob is None:
        raise BadRequest("configuration not set: write rabbitmq config/connection first")
    return CONNECTION_DECODER.decode(blob)


# -- config/connection ---------------------------------------------------------------------------


async def write_connection(ctx: MountContext, req: Request, _p: Mapping[str, str]) -> Response:
    data = req.data
    conn = Connection(
        connection_uri=get_str(data, "connection_uri"),
        username=get_str(data, "username"),
        password=get_str(data, "password"),
        password_policy=get_str(data, "password_policy"),
        username_template=get_str(data, "username_template"),
    )
    for name in ("connection_uri", "username", "password"):
        if not getattr(conn, name):
            raise BadRequest(f"missing {name}")
    if conn.username_template:
        try:
            render(conn.username_template, UsernameContext("", "", ctx.clock.now()))
        except TemplateError as exc:
            raise BadRequest(f"unable to initialize username template: {exc}") from None
    if get_bool(data, "verify_connection", default=True):
        async with Management(conn) as api:
            await api.verify()
    await ctx.view.put(CONNECTION, encode(conn))
    return NO_CONTENT


# -- config/lease --------------------------------------------------------------------------------


async def lease(ctx: MountContext) -> Lease | None:
    blob = await ctx.view.get(LEASE)
    return None if blob is None else LEASE_DECODER.decode(blob)


async def write_lease(ctx: MountContext, req: Request, _p: Mapping[str, str]) -> Response:
    found = Lease(ttl=get_duration(req.data, "ttl"), max_ttl=get_duration(req.data, "max_ttl"))
    if found.ttl < 0 or found.max_ttl < 0:
        raise BadRequest("ttl values must not be negative")
    await ctx.view.put(LEASE, encode(found))
    return NO_CONTENT


async def read_lease(ctx: MountContext, _req: Request, _p: Mapping[str, str]) -> Response:
    found = await lease(ctx)
    if found is None:
        raise NotFound
    return Response({"ttl": found.ttl, "max_ttl": found.max_ttl})


# -- roles ---------------------------------------------------------------------------------------


def _json_field(data: Mapping[str, Any], name: str, decoder: msgspec.json.Decoder[Any]) -> Any:  # noqa: ANN401
    """A JSON document given as a string (Vault's TypeString); an object is taken as it is."""
    value = data.get(name)
    if value is None or value == "":
        return {}
    try:
        if isinstance(value, dict):
            return msgspec.convert(value, decoder.type)
        if isinstance(value, str):
            return decoder.decode(value)
    except msgspec.ValidationError:
        raise BadRequest(f"failed to unmarshal {name}: not the expected structure") from None
    except msgspec.DecodeError:
        raise BadRequest(f"failed to unmarshal {name}: invalid JSON") from None
    raise BadRequest(f'error converting input for field "{name}": expected string')


async def write_role(ctx: MountContext, req: Request, params: Mapping[str, str]) -> Response:
    data = req.data
    tags = get_str(data, "tags")
    vhosts = _json_field(data, "vhosts", VHOSTS_DECODER)
    topics = _json_field(data, "vhost_topics", TOPICS_DECODER)
    if not tags and not vhosts:
        raise BadRequest("both tags and vhosts not specified")
    role = Role(tags=tags, vhosts=vhosts, vhost_topics=topics)
    await ctx.view.put(ROLE + params["name"], encode(role))
    return NO_CONTENT


async def _role(ctx: MountContext, name: str) -> Role | None:
    blob = await ctx.view.get(ROLE + name)
    return None if blob is None else ROLE_DECODER.decode(blob)


async def read_role(ctx: MountContext, _req: Request, params: Mapping[str, str]) -> Response:
    role = await _role(ctx, params["name"])
    if role is None:
        raise NotFound
    return Response(
        {
            "tags": role.tags,
            "vhosts": msgspec.to_builtins(role.vhosts) if role.vhosts else None,
            "vhost_topics": msgspec.to_builtins(role.vhost_topics) if role.vhost_topics else None,
        }
    )


async def delete_role(ctx: MountContext, _req: Request, params: Mapping[str, str]) -> Response:
    await ctx.view.delete(ROLE + params["name"])
    return NO_CONTENT


async def list_roles(ctx: MountContext, _req: Request, _p: Mapping[str, str]) -> Response:
    names = await ctx.view.list(ROLE)
    if not names:
        raise NotFound
    return Response({"keys": names})


# -- creds ---------------------------------------------------------------------------------------


async def generate(ctx: MountContext, req: Request, params: Mapping[str, str]) -> Response:
    name = params["name"]
    role = await _role(ctx, name)
    if role is None:
        raise BadRequest("unknown role")
    conn = await connection(ctx)
    display = "" if req.caller is None else req.caller.display_name
    try:
        username = render(
            conn.username_template or DEFAULT_USERNAME_TEMPLATE,
            UsernameContext(display, name, ctx.clock.now()),
        )
    except TemplateError as exc:
        raise BadRequest(f"unable to generate username: {exc}") from None
    if not username:
        raise BadRequest("unable to generate username: the template gave an empty name")
    password = await ctx.passwords(conn.password_policy)
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
    found = await lease(ctx) or Lease()
    return Response(
        {"username": username, "password": password},
        secret=LeaseRequest(internal={"username": username}, ttl=found.ttl, max_ttl=found.max_ttl),
    )


async def revoke(ctx: MountContext, internal: Mapping[str, Any]) -> None:
    """Delete the lease's user (already gone is success); raises for the core to retry."""
    conn = await connection(ctx)
    async with Management(conn) as api:
        await api.delete_user(str(internal["username"]))


ROUTES: tuple[Route[MountContext], ...] = (
    Route("config/connection", {Op.UPDATE: write_connection}),
    Route("config/lease", {Op.READ: read_lease, Op.UPDATE: write_lease}),
    Route("roles/?", {Op.LIST: list_roles}),
    Route(
        f"roles/{_ONE}",
        {Op.READ: read_role, Op.UPDATE: write_role, Op.DELETE: delete_role},
    ),
    Route(f"creds/{_ONE}", {Op.READ: generate}),
)

ROUTER = Router(ROUTES)
