"""Role paths: `role/` (LIST) and `role/:name` (Vault's path_role.go; api-docs/auth/jwt
"Create/Update Role", "Read Role", "List Roles", "Delete Role")."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from strongroom.auth.jwt import render
from strongroom.auth.jwt.context import JwtContext, RoleName
from strongroom.auth.jwt.models import Role
from strongroom.auth.jwt.role_fields import RoleWrite, apply_role
from strongroom.errors import NotFound
from strongroom.logical import NO_CONTENT, NoFields, Request, Response

LIST_SYNOPSIS = "Lists all the roles registered with the backend."
ROLE_SYNOPSIS = "Register an role with the backend."


class RoleOnly(msgspec.Struct, frozen=True, kw_only=True):
    name: RoleName


async def exists(ctx: JwtContext, captures: Mapping[str, str]) -> bool:
    return await ctx.store.role(captures["name"].lower()) is not None


async def list_roles(ctx: JwtContext, _req: Request, _fields: NoFields) -> Response:
    names = await ctx.store.role_names()
    if not names:
        raise NotFound
    return Response({"keys": names})


async def read_role(ctx: JwtContext, _req: Request, fields: RoleOnly) -> Response:
    role = await ctx.store.role(fields.name.lower())
    if role is None:
        raise NotFound
    return Response(render.role(role))


async def write_role(ctx: JwtContext, _req: Request, fields: RoleWrite) -> Response:
    """Create the role or change the fields sent. Raises BadRequest."""
    warnings = await ctx.store.write_role(
        fields.name.lower(), lambda found: apply_role(found or Role(), fields)
    )
    return Response(warnings=warnings) if warnings else NO_CONTENT


async def delete_role(ctx: JwtContext, _req: Request, fields: RoleOnly) -> Response:
    await ctx.store.delete_role(fields.name.lower())
    return NO_CONTENT
