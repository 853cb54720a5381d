"""AppRole secret-ID paths: `role/:name/secret-id` (generate, LIST accessors),
`custom-secret-id`, `secret-id/lookup`, `secret-id/destroy` and the `secret-id-accessor/`
variants (Vault's path_role.go; api-docs/auth/approle). Status codes follow Vault: a lookup of
an unknown secret ID is an empty 204, an unknown accessor a 404; a missing role is a 404 (a 400
for the LIST).

A generated secret ID is shown once, in the answer to `secret-id`; with `X-Vault-Wrap-TTL` the
core wraps that answer, so only the holder of the wrapping token ever sees it.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.auth.approle import render
from strongroom.auth.approle.context import MAX_HMAC_INPUT, AppRole, RoleName, role_name
from strongroom.auth.approle.models import Role, SecretId
from strongroom.auth.approle.path_role import RoleList
from strongroom.auth.approle.secret_id_fields import SecretIdWrite, draft
from strongroom.auth.approle.store import new_uuid
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, Request, Response
from strongroom.logical.retry import retrying

GENERATE_SYNOPSIS = "Generate a SecretID against this role."
CUSTOM_SYNOPSIS = "Assign a SecretID of choice against the role."
LOOKUP_SYNOPSIS = "Read the properties of an issued secret_id"
DESTROY_SYNOPSIS = "Invalidate an issued secret_id"
ACCESSOR_LOOKUP_SYNOPSIS = "Read an issued secret_id, using its accessor"
ACCESSOR_DESTROY_SYNOPSIS = "Invalidate an issued secret_id, using its accessor"
_NO_ACCESSOR = "failed to find accessor entry for secret_id_accessor"
SecretIdText = Annotated[str, Meta(description="SecretID attached to the role.")]


class SecretIdList(RoleList, frozen=True, kw_only=True):
    role_name: RoleName


class CustomSecretIdWrite(SecretIdWrite, frozen=True, kw_only=True):
    secret_id: Annotated[str, Meta(description="SecretID to be attached to the role.")] = ""


class SecretIdValue(msgspec.Struct, frozen=True, kw_only=True):
    role_name: RoleName
    secret_id: SecretIdText = ""


class AccessorValue(msgspec.Struct, frozen=True, kw_only=True):
    role_name: RoleName
    secret_id_accessor: Annotated[str, Meta(description="Accessor of the SecretID")] = ""


async def _issue(app: AppRole, fields: SecretIdWrite, secret_id: str) -> Response:
    name = role_name(fields.role_name)

    async def attempt() -> SecretId:
        role, version = await app.existing(name)
        if not role.bind_secret_id:
            raise BadRequest("bind_secret_id is not set on the role")
        return await app.secret_ids.register(role, version, secret_id, draft(role, fields))

    return Response(render.issued(secret_id, await retrying(attempt)))


async def generate(app: AppRole, _req: Request, fields: SecretIdWrite) -> Response:
    """A new random secret ID (a UUID from `secrets`, as Vault's look)."""
    return await _issue(app, fields, new_uuid())


async def custom(app: AppRole, _req: Request, fields: CustomSecretIdWrite) -> Response:
    """A secret ID of the caller's choosing (Vault discourages it, but offers it)."""
    secret_id = fields.secret_id.strip()
    if not secret_id:
        raise BadRequest("missing secret_id")
    if len(secret_id) > MAX_HMAC_INPUT:
        raise BadRequest(f"secret_id is longer than maximum of {MAX_HMAC_INPUT} bytes")
    return await _issue(app, fields, secret_id)


async def list_accessors(app: AppRole, _req: Request, fields: SecretIdList) -> Response:
    name = role_name(fields.role_name)
    found = await app.store.role(name)
    if found is None:
        raise BadRequest(f'role "{name}" does not exist')
    accessors = await app.secret_ids.accessors(found[0])
    if not accessors:
        raise NotFound
    return Response({"keys": accessors})


async def _by_value(app: AppRole, fields: SecretIdValue) -> tuple[Role, SecretId | None]:
    secret_id = fields.secret_id.strip()
    if not secret_id:
        raise BadRequest("missing secret_id")
    role, _ = await app.existing(role_name(fields.role_name))
    return role, await app.secret_ids.find(role, secret_id)


async def _by_accessor(app: AppRole, fields: AccessorValue) -> tuple[Role, SecretId]:
    accessor = fields.secret_id_accessor.strip()
    if not accessor:
        raise BadRequest("missing secret_id_accessor")
    role, _ = await app.existing(role_name(fields.role_name))
    record = await app.secret_ids.by_accessor(role, accessor)
    if record is None:
        raise NotFound(_NO_ACCESSOR)
    return role, record


async def lookup(app: AppRole, _req: Request, fields: SecretIdValue) -> Response:
    _, record = await _by_value(app, fields)
    return NO_CONTENT if record is None else Response(render.secret_id(record))


async def destroy(app: AppRole, _req: Request, fields: SecretIdValue) -> Response:
    role, record = await _by_value(app, fields)
    if record is not None:
        await app.secret_ids.destroy(role, record)
    return NO_CONTENT


async def lookup_accessor(app: AppRole, _req: Request, fields: AccessorValue) -> Response:
    _, record = await _by_accessor(app, fields)
    return Response(render.secret_id(record))


async def destroy_accessor(app: AppRole, _req: Request, fields: AccessorValue) -> Response:
    role, record = await _by_accessor(app, fields)
    await app.secret_ids.destroy(role, record)
    return NO_CONTENT
