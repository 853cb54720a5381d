"""AppRole secret-ID handlers: `role/:name/secret-id` (generate, LIST accessors),
`custom-secret-id`, `secret-id/lookup`, `secret-id/destroy` and the `secret-id-accessor/`
variants (api-docs/auth/approle). Status codes follow Vault: a lookup of an unknown secret ID is
an empty 204, an unknown accessor a 404; a missing role is a 404 (a 400 for the LIST).

A generated secret ID is shown once, in the answer to `secret-id`; with `X-Vault-Wrap-TTL` the
core wraps that answer, so only the holder of the wrapping token ever sees it.
"""

from __future__ import annotations

from collections.abc import Mapping

from strongroom.auth.approle import params, render
from strongroom.auth.approle.context import AppRole
from strongroom.auth.approle.models import Role, SecretId
from strongroom.auth.approle.store import new_uuid, retrying
from strongroom.core.fields import get_str
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.errors import BadRequest, NotFound

_NO_ACCESSOR = "failed to find accessor entry for secret_id_accessor"


async def _issue(app: AppRole, req: Request, name: str, secret_id: str) -> Response:
    async def attempt() -> SecretId:
        role, version = await app.existing(name)
        if not role.bind_secret_id:
            raise BadRequest("bind_secret_id is not set on the role")
        return await app.secret_ids.register(role, version, secret_id, params.draft(role, req.data))

    return Response(render.issued(secret_id, await retrying(attempt)))


async def generate(app: AppRole, req: Request, p: Mapping[str, str]) -> Response:
    """A new random secret ID (a UUID from `secrets`, as Vault's look)."""
    return await _issue(app, req, params.role_name(p), new_uuid())


async def custom(app: AppRole, req: Request, p: Mapping[str, str]) -> Response:
    """A secret ID of the caller's choosing (Vault discourages it, but offers it)."""
    secret_id = get_str(req.data, "secret_id").strip()
    if not secret_id:
        raise BadRequest("missing secret_id")
    if len(secret_id) > params.MAX_HMAC_INPUT:
        raise BadRequest(f"secret_id is longer than maximum of {params.MAX_HMAC_INPUT} bytes")
    return await _issue(app, req, params.role_name(p), secret_id)


async def list_accessors(app: AppRole, _req: Request, p: Mapping[str, str]) -> Response:
    name = params.role_name(p)
    found = await app.store.role(name)
    if found is None:
        raise BadRequest(f'role "{name}" does not exist')
    accessors = await app.secret_ids.accessors(found[0])
    if not accessors:
        raise NotFound
    return Response({"keys": accessors})


async def _by_value(
    app: AppRole, req: Request, p: Mapping[str, str]
) -> tuple[Role, SecretId | None]:
    secret_id = get_str(req.data, "secret_id").strip()
    if not secret_id:
        raise BadRequest("missing secret_id")
    role, _ = await app.existing(params.role_name(p))
    return role, await app.secret_ids.find(role, secret_id)


async def _by_accessor(app: AppRole, req: Request, p: Mapping[str, str]) -> tuple[Role, SecretId]:
    accessor = get_str(req.data, "secret_id_accessor").strip()
    if not accessor:
        raise BadRequest("missing secret_id_accessor")
    role, _ = await app.existing(params.role_name(p))
    record = await app.secret_ids.by_accessor(role, accessor)
    if record is None:
        raise NotFound(_NO_ACCESSOR)
    return role, record


async def lookup(app: AppRole, req: Request, p: Mapping[str, str]) -> Response:
    _, record = await _by_value(app, req, p)
    return NO_CONTENT if record is None else Response(render.secret_id(record))


async def destroy(app: AppRole, req: Request, p: Mapping[str, str]) -> Response:
    role, record = await _by_value(app, req, p)
    if record is not None:
        await app.secret_ids.destroy(role, record)
    return NO_CONTENT


async def lookup_accessor(app: AppRole, req: Request, p: Mapping[str, str]) -> Response:
    _, record = await _by_accessor(app, req, p)
    return Response(render.secret_id(record))


async def destroy_accessor(app: AppRole, req: Request, p: Mapping[str, str]) -> Response:
    role, record = await _by_accessor(app, req, p)
    await app.secret_ids.destroy(role, record)
    return NO_CONTENT


async def tidy(app: AppRole, _req: Request, _p: Mapping[str, str]) -> Response:
    """Remove expired secret IDs (and stale lockout counters). Vault answers 202 and tidies in
    the background; here the work is done, a page at a time, before the same 202 answer."""
    removed = await app.secret_ids.tidy()
    swept = await app.lockouts.sweep()
    note = f"Tidy operation completed: {removed} expired secret IDs and {swept} stale lockout"
    return Response(status=202, warnings=[note + " counters removed."])
