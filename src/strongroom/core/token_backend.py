"""The `auth/token/` backend. Until the full token store lands it answers `lookup-self`, which
clients (hvac's `is_authenticated`, the CLI) use to check a token."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from strongroom.core.mounts import MountContext
from strongroom.core.request import Operation, Request, Response
from strongroom.core.routes import Route, Router
from strongroom.errors import PermissionDenied

if TYPE_CHECKING:
    from strongroom.core.core import Core


async def _lookup_self(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    if req.token is None:
        raise PermissionDenied
    entry = await core.tokens.lookup(req.token)
    if entry is None:
        raise PermissionDenied
    data: dict[str, Any] = {
        "accessor": entry.accessor,
        "creation_time": int(entry.creation_time),
        "creation_ttl": entry.ttl,
        "display_name": entry.display_name,
        "entity_id": "",
        "expire_time": None,
        "explicit_max_ttl": 0,
        "id": req.token,
        "meta": entry.meta,
        "num_uses": 0,
        "orphan": entry.orphan or not entry.parent,
        "path": entry.path,
        "policies": list(entry.policies),
        "ttl": entry.ttl,
        "type": entry.type,
    }
    return Response(data)


ROUTES: Router[Core] = Router(
    [Route("lookup-self", {Operation.READ: _lookup_self, Operation.UPDATE: _lookup_self})]
)


class TokenBackend:
    def __init__(self, core: Core, ctx: MountContext) -> None:
        self._core = core
        self._ctx = ctx

    async def handle(self, request: Request, path: str) -> Response:
        return await ROUTES.dispatch(self._core, request, path)
