"""AppRole role paths: `role/`, `role/:name`, `role/:name/role-id`,
`role/:name/local-secret-ids` (Vault's path_role.go; api-docs/auth/approle: "List roles",
"Create/Update AppRole", "Read AppRole", "Delete AppRole", "Read/Update AppRole role ID").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.auth.approle import render
from strongroom.auth.approle.context import AppRole, RoleName, missing_role, role_name
from strongroom.auth.approle.models import Role
from strongroom.auth.approle.role_fields import RoleWrite, apply_role
from strongroom.auth.approle.store import new_uuid
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import DELETE, NO_CONTENT, UNCHANGED, Request, Response, Verdict

LIST_SYNOPSIS = "Lists all the roles registered with the backend."
ROLE_SYNOPSIS = "Register an role with the backend."
ROLE_ID_SYNOPSIS = "Returns the 'role_id' of the role."
LOCAL_SYNOPSIS = "Enables cluster local secret IDs"


class RoleList(msgspec.Struct, frozen=True, kw_only=True):
    after: Annotated[
        str,
        Meta(description="Optional entry to list begin listing after, not required to exist."),
    ] = ""
    limit: Annotated[
        int,
        Meta(description="Optional number of entries to return; defaults to all entries."),
    ] = 0


class RoleOnly(msgspec.Struct, frozen=True, kw_only=True):
    role_name: RoleName


class RoleIdWrite(msgspec.Struct, frozen=True, kw_only=True):
    role_name: RoleName
    role_id: Annotated[str, Meta(description="Identifier of the role. Defaults to a UUID.")] = ""


async def exists(app: AppRole, captures: Mapping[str, str]) -> bool:
    """Whether a write to `role/:name` updates (True) or creates the role."""
    return await app.store.role(captures["role_name"].lower()) is not None


async def list_roles(app: AppRole, _req: Request, fields: RoleList) -> Response:
    """Role names, with OpenBao's `after`/`limit` paging; an empty list is a 404 as in Vault."""
    limit = fields.limit if fields.limit > 0 else None
    names = await app.store.role_names(fields.after or None, limit)
    if not names:
        raise NotFound
    return Response({"keys": names})


async def _found(app: AppRole, name: str) -> Role:
    """Raises NotFound (a bare 404, as Vault's reads of a missing role)."""
    found = await app.store.role(role_name(name))
    if found is None:
        raise NotFound
    return found[0]


async def read_role(app: AppRole, _req: Request, fields: RoleOnly) -> Response:
    return Response(render.role(await _found(app, fields.role_name)))


async def write_role(app: AppRole, _req: Request, fields: RoleWrite) -> Response:
    """Create the role (with a random role ID unless one is given) or change the fields sent.

    A write to a missing role creates it whichever of create/update the caller holds: the core
    asks `exists` first, so the ACL already demanded `create` for it.
    """
    name = role_name(fields.role_name)
    warnings: list[str] = []  # those of the attempt that committed

    def written(found: Role | None) -> Role:
        base = found or Role(name=name, key=new_uuid(), role_id=new_uuid())
        role, warnings[:] = apply_role(base, fields, creating=found is None)
        return role

    await app.store.update_role(name, written)
    return Response(warnings=warnings) if warnings else NO_CONTENT


async def delete_role(app: AppRole, _req: Request, fields: RoleOnly) -> Response:
    """Delete the role, then every secret ID issued for it (deleting nothing is fine)."""
    removed = await app.store.update_role(
        role_name(fields.role_name), lambda found: UNCHANGED if found is None else DELETE
    )
    deleted = removed.before
    if deleted is not None:
        # The role is gone first, so no new secret ID can join it while this runs.
        await app.secret_ids.flush(deleted)
    return NO_CONTENT


async def read_role_id(app: AppRole, _req: Request, fields: RoleOnly) -> Response:
    return Response({"role_id": (await _found(app, fields.role_name)).role_id})


async def write_role_id(app: AppRole, _req: Request, fields: RoleIdWrite) -> Response:
    """Give the role a new role ID. Raises BadRequest if empty or held by another role."""
    role_id = fields.role_id.strip()
    if not role_id:
        raise BadRequest("missing role_id")
    name = role_name(fields.role_name)

    def renamed(found: Role | None) -> Role | Verdict:
        if found is None:
            raise missing_role(name)
        if found.role_id == role_id:
            return UNCHANGED
        return msgspec.structs.replace(found, role_id=role_id)

    await app.store.update_role(name, renamed)
    return NO_CONTENT


async def read_local_secret_ids(app: AppRole, _req: Request, fields: RoleOnly) -> Response:
    role = await _found(app, fields.role_name)
    return Response({"local_secret_ids": role.local_secret_ids})
