"""rabbitmq/roles/:name and roles/ (LIST): the management tags and the vhost and topic
permissions a generated user gets (Vault's `path_roles.go`).

`vhosts` and `vhost_topics` are JSON documents sent as strings (Vault's TypeString), e.g.
`{"/": {"configure": ".*", "write": ".*", "read": ".*"}}`.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.rabbitmq.context import Named, RabbitMqContext
from strongroom.engines.rabbitmq.models import (
    ROLE,
    TOPICS_DECODER,
    VHOSTS_DECODER,
    Role,
    encode,
)
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, NoFields, Request, Response

SYNOPSIS = "Manage the roles that can be created with this backend."


class RoleWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: Annotated[str, Meta(description="Name of the role.")]
    tags: Annotated[str, Meta(description="Comma-separated list of tags for this role.")] = ""
    vhosts: Annotated[str, Meta(description="A map of virtual hosts to permissions.")] = ""
    vhost_topics: Annotated[
        str, Meta(description="A nested map of virtual hosts and exchanges to topic permissions.")
    ] = ""


def _document(name: str, value: str, decoder: msgspec.json.Decoder[Any]) -> Any:  # noqa: ANN401
    """A JSON document given as a string; "" is the empty map."""
    if not value:
        return {}
    try:
        return decoder.decode(value)
    except msgspec.ValidationError:
        raise BadRequest(f"failed to unmarshal {name}: not the expected structure") from None
    except msgspec.DecodeError:
        raise BadRequest(f"failed to unmarshal {name}: invalid JSON") from None


async def write(ctx: RabbitMqContext, _req: Request, fields: RoleWrite) -> Response:
    vhosts = _document("vhosts", fields.vhosts, VHOSTS_DECODER)
    topics = _document("vhost_topics", fields.vhost_topics, TOPICS_DECODER)
    if not fields.tags and not vhosts:
        raise BadRequest("both tags and vhosts not specified")
    role = Role(tags=fields.tags, vhosts=vhosts, vhost_topics=topics)
    await ctx.mount.view.put(ROLE + fields.name, encode(role))
    return NO_CONTENT


async def read(ctx: RabbitMqContext, _req: Request, fields: Named) -> Response:
    role = await ctx.role(fields.name)
    if role is None:
        raise NotFound
    return Response(
        {
            "tags": role.tags,
            "vhosts": msgspec.to_builtins(role.vhosts) if role.vhosts else None,
            "vhost_topics": msgspec.to_builtins(role.vhost_topics) if role.vhost_topics else None,
        }
    )


async def delete(ctx: RabbitMqContext, _req: Request, fields: Named) -> Response:
    await ctx.mount.view.delete(ROLE + fields.name)
    return NO_CONTENT


async def list_names(ctx: RabbitMqContext, _req: Request, _fields: NoFields) -> Response:
    names = await ctx.mount.view.list(ROLE)
    if not names:
        raise NotFound
    return Response({"keys": names})
