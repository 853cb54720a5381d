"""AppRole role handlers: `role/`, `role/:name`, `role/:name/role-id`,
`role/:name/local-secret-ids` (api-docs/auth/approle: "List roles", "Create/Update AppRole",
"Read AppRole", "Delete AppRole", "Read/Update AppRole role ID").
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from strongroom.auth.approle import params, render
from strongroom.auth.approle.context import AppRole, missing_role
from strongroom.auth.approle.models import Role
from strongroom.auth.approle.store import new_uuid
from strongroom.core.fields import get_int, get_str
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.view import DELETE, UNCHANGED, Verdict
from strongroom.errors import BadRequest, NotFound


async def list_roles(app: AppRole, req: Request, _p: Mapping[str, str]) -> Response:
    """Role names, with OpenBao's `after`/`limit` paging; an empty list is a 404 as in Vault."""
    after = get_str(req.data, "after") or None
    limit = get_int(req.data, "limit")
    names = await app.store.role_names(after, limit if limit > 0 else None)
    if not names:
        raise NotFound
    return Response({"keys": names})


async def read_role(app: AppRole, _req: Request, p: Mapping[str, str]) -> Response:
    found = await app.store.role(params.role_name(p))
    if found is None:
        raise NotFound
    return Response(render.role(found[0]))


async def write_role(app: AppRole, req: Request, p: Mapping[str, str]) -> Response:
    """Create the role (with a random role ID unless one is given) or change the fields sent.

    A write to a missing role creates it whichever of create/update the caller holds: the core
    asks `exists` first, so the ACL already demanded `create` for it.
    """
    name = params.role_name(p)
    warnings: list[str] = []  # those of the attempt that committed

    def written(found: Role | None) -> Role:
        base = found or Role(name=name, key=new_uuid(), role_id=new_uuid())
        role, warnings[:] = params.apply_role(base, req.data, creating=found is None)
        return role

    await app.store.update_role(name, written)
    return Response(warnings=warnings) if warnings else NO_CONTENT


async def delete_role(app: AppRole, _req: Request, p: Mapping[str, str]) -> Response:
    """Delete the role, then every secret ID issued for it (deleting nothing is fine)."""
    removed = await app.store.update_role(
        params.role_name(p), lambda found: UNCHANGED if found is None else DELETE
    )
    deleted = removed.before
    if deleted is not None:
        # The role is gone first, so no new secret ID can join it while this runs.
        await app.secret_ids.flush(deleted)
    return NO_CONTENT


async def read_role_id(app: AppRole, _req: Request, p: Mapping[str, str]) -> Response:
    found = await app.store.role(params.role_name(p))
    if found is None:
        raise NotFound
    return Response({"role_id": found[0].role_id})


async def write_role_id(app: AppRole, req: Request, p: Mapping[str, str]) -> Response:
    """Give the role a new role ID. Raises BadRequest if empty or held by another role."""
    role_id = get_str(req.data, "role_id").strip()
    if not role_id:
        raise BadRequest("missing role_id")
    name = params.role_name(p)

    def renamed(found: Role | None) -> Role | Verdict:
        if found is None:
            raise missing_role(name)
        if found.role_id == role_id:
            return UNCHANGED
        return msgspec.structs.replace(found, role_id=role_id)

    await app.store.update_role(name, renamed)
    return NO_CONTENT


async def read_local_secret_ids(app: AppRole, _req: Request, p: Mapping[str, str]) -> Response:
    found = await app.store.role(params.role_name(p))
    if found is None:
        raise NotFound
    return Response({"local_secret_ids": found[0].local_secret_ids})
