"""database/roles/:name and roles/ (LIST): how dynamic users are created, renewed and dropped
(Vault's `path_roles.go`).

A write replaces the fields it names and keeps the others (defaults on creation). Role and
static role names share one namespace, as in Vault.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.database.context import (
    DatabaseContext,
    Listing,
    Named,
    kept,
    keys,
    statements,
)
from strongroom.engines.database.models import Role
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import (
    NO_CONTENT,
    UNSET,
    Duration,
    Request,
    Response,
    StringSlice,
    UnsetType,
)

SYNOPSIS = "Manage the roles that can be created with this backend."
DESCRIPTION = (
    "This path lets you manage the roles that can be created with this backend: the "
    "statements that create, renew, revoke and roll back a dynamic user, and its TTLs."
)
_STATEMENTS = (
    "creation_statements",
    "revocation_statements",
    "rollback_statements",
    "renew_statements",
)
CREDENTIAL_TYPE = Meta(
    description='The type of credential to manage. Only "password" is offered by this build.'
)


class RoleWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: Annotated[str, Meta(description="Name of the role.")]
    db_name: Annotated[
        str | UnsetType, Meta(description="Name of the database this role acts on.")
    ] = UNSET
    creation_statements: Annotated[
        StringSlice | UnsetType,
        Meta(
            description="Specifies the database statements executed to create and configure a user."
        ),
    ] = UNSET
    revocation_statements: Annotated[
        StringSlice | UnsetType,
        Meta(description="Specifies the database statements to be executed to revoke a user."),
    ] = UNSET
    rollback_statements: Annotated[
        StringSlice | UnsetType,
        Meta(
            description="Specifies the database statements to be executed rollback a create "
            "operation in the event of an error."
        ),
    ] = UNSET
    renew_statements: Annotated[
        StringSlice | UnsetType,
        Meta(description="Specifies the database statements to be executed to renew a user."),
    ] = UNSET
    default_ttl: Annotated[Duration | UnsetType, Meta(description="Default ttl for role.")] = UNSET
    max_ttl: Annotated[
        Duration | UnsetType, Meta(description="Maximum time a credential is valid for")
    ] = UNSET
    credential_type: Annotated[str | UnsetType, CREDENTIAL_TYPE] = UNSET


def credential_type(value: str | UnsetType, current: str) -> str:
    """Only passwords: Vault's other credential types are not offered by this build."""
    kind = kept(value, current)
    if kind != "password":
        raise BadRequest(f'invalid credential_type "{kind}"')
    return kind


def _statements(fields: RoleWrite, old: Role) -> dict[str, list[str]]:
    """Each statement list sent (blank entries dropped), else the stored one."""
    lists: dict[str, list[str]] = {}
    for key in _STATEMENTS:
        given: list[str] | UnsetType = getattr(fields, key)
        lists[key] = getattr(old, key) if isinstance(given, UnsetType) else statements(given)
    return lists


async def write(ctx: DatabaseContext, _req: Request, fields: RoleWrite) -> Response:
    store = ctx.db.store
    if await store.static_role(fields.name) is not None:
        raise BadRequest("Role and Static Role names must be unique")
    old = await store.role(fields.name) or Role(db_name="")
    role = Role(
        db_name=kept(fields.db_name, old.db_name),
        default_ttl=kept(fields.default_ttl, old.default_ttl),
        max_ttl=kept(fields.max_ttl, old.max_ttl),
        credential_type=credential_type(fields.credential_type, old.credential_type),
        **_statements(fields, old),
    )
    if not role.db_name:
        raise BadRequest("database name is required")
    if role.default_ttl < 0 or role.max_ttl < 0:
        raise BadRequest("ttl values must not be negative")
    await store.put_role(fields.name, role)
    return NO_CONTENT


async def read(ctx: DatabaseContext, _req: Request, fields: Named) -> Response:
    role = await ctx.db.store.role(fields.name)
    if role is None:
        raise NotFound
    return Response(
        {
            "db_name": role.db_name,
            "creation_statements": list(role.creation_statements),
            "revocation_statements": list(role.revocation_statements),
            "rollback_statements": list(role.rollback_statements),
            "renew_statements": list(role.renew_statements),
            "default_ttl": role.default_ttl,
            "max_ttl": role.max_ttl,
            "credential_type": role.credential_type,
        }
    )


async def delete(ctx: DatabaseContext, _req: Request, fields: Named) -> Response:
    await ctx.db.store.delete_role(fields.name)
    return NO_CONTENT


async def list_names(ctx: DatabaseContext, _req: Request, fields: Listing) -> Response:
    return keys(await ctx.db.store.role_names(*fields.window()))


async def exists(ctx: DatabaseContext, captures: Mapping[str, str]) -> bool:
    return await ctx.db.store.role(captures["name"]) is not None
