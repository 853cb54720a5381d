"""`identity/oidc/role/:name` and its LIST (api-docs/secret/identity/tokens "Create or update
a role", "Read", "Delete", "List")."""

from __future__ import annotations

import secrets
import string
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.identity.oidc import render
from strongroom.engines.identity.oidc.context import OidcContext
from strongroom.engines.identity.oidc.models import DAY, Role
from strongroom.engines.identity.oidc.template import accepted
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, UNSET, Duration, Request, Response, UnsetType

SYNOPSIS = "CRUD operations on OIDC Roles"
LIST_SYNOPSIS = "List configured OIDC roles"
CLIENT_ID_LENGTH = 26  # Vault's base62.Random(26)
_BASE62 = string.ascii_letters + string.digits
TTL_OVER_KEY = (
    "a role's token ttl cannot be longer than the verification_ttl of the key it references"
)
Name = Annotated[str, Meta(description="Name of the role")]


class RoleWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: Name
    key: Annotated[
        str | UnsetType,
        Meta(
            description="The OIDC key to use for generating tokens. The specified key must "
            "already exist."
        ),
    ] = UNSET
    template: Annotated[
        str | UnsetType,
        Meta(
            description="The template string to use for generating tokens. This may be in "
            "string-ified JSON or base64 format."
        ),
    ] = UNSET
    ttl: Annotated[
        Duration | UnsetType, Meta(description="TTL of the tokens generated against the role.")
    ] = UNSET
    client_id: Annotated[str | UnsetType, Meta(description="Optional client_id")] = UNSET


class RoleName(msgspec.Struct, frozen=True, kw_only=True):
    name: Name


def new_client_id() -> str:
    return "".join(secrets.choice(_BASE62) for _ in range(CLIENT_ID_LENGTH))


def _changed(found: Role | None, fields: RoleWrite, template: str | None) -> Role:
    if found is None:
        if isinstance(fields.key, UnsetType) or not fields.key:
            raise BadRequest("the key parameter is required")
        found = Role(name=fields.name, key=fields.key, client_id=new_client_id(), ttl=DAY)
    sent: dict[str, Any] = {
        name: value
        for name in ("key", "ttl", "client_id")
        if (value := getattr(fields, name)) is not UNSET
    }
    if template is not None:
        sent["template"] = template
    if sent.get("client_id") == "":
        sent.pop("client_id")
    return msgspec.structs.replace(found, **sent)


async def write_role(ctx: OidcContext, _request: Request, fields: RoleWrite) -> Response:
    template = None if isinstance(fields.template, UnsetType) else accepted(fields.template)
    await ctx.ensure_default()

    async def mutate(found: Role | None) -> Role:
        new = _changed(found, fields, template)
        key = await ctx.store.keys.get(new.key)
        if key is None:
            raise BadRequest("cannot find key")
        if new.ttl > key.verification_ttl:
            raise BadRequest(TTL_OVER_KEY)
        return new

    await ctx.store.roles.update(fields.name, mutate)
    return NO_CONTENT


async def read_role(ctx: OidcContext, _request: Request, fields: RoleName) -> Response:
    found = await ctx.store.roles.get(fields.name)
    if found is None:
        raise NotFound
    return Response(data=render.role(found))


async def list_roles(ctx: OidcContext, _request: Request, _fields: Any) -> Response:  # noqa: ANN401
    names = await ctx.store.roles.names()
    if not names:
        raise NotFound
    return Response(data={"keys": names})


async def delete_role(ctx: OidcContext, _request: Request, fields: RoleName) -> Response:
    await ctx.store.roles.delete(fields.name)
    return NO_CONTENT
