"""The database route table: Vault's database secrets engine path tree.

Handlers take either the `Database` service or the `Rotations` built on it (static roles and
their rotation); `Rotations.db` is the service, so one context type serves both: handlers of
the first kind are wrapped by `_db`. A LIST path always ends in "/" (the HTTP layer adds it).
"""

from __future__ import annotations

from collections.abc import Mapping

from strongroom.core.request import Operation as Op
from strongroom.core.request import Request, Response
from strongroom.core.routes import Handler, Route, Router, named
from strongroom.engines.database import config_paths, creds, role_paths, static_paths
from strongroom.engines.database.rotation import Rotations
from strongroom.engines.database.service import Database

_ONE = named("name")


def _db(handler: Handler[Database]) -> Handler[Rotations]:
    async def on_rotations(rot: Rotations, req: Request, params: Mapping[str, str]) -> Response:
        return await handler(rot.db, req, params)

    return on_rotations


ROUTES: tuple[Route[Rotations], ...] = (
    Route("config/?", {Op.LIST: _db(config_paths.list_configs)}),
    Route(
        f"config/{_ONE}",
        {
            Op.READ: _db(config_paths.read_config),
            Op.UPDATE: _db(config_paths.write_config),
            Op.DELETE: _db(config_paths.delete_config),
        },
    ),
    Route(f"reset/{_ONE}", {Op.UPDATE: _db(config_paths.reset_connection)}),
    Route(f"rotate-root/{_ONE}", {Op.UPDATE: _db(config_paths.rotate_root)}),
    Route("roles/?", {Op.LIST: _db(role_paths.list_roles)}),
    Route(
        f"roles/{_ONE}",
        {
            Op.READ: _db(role_paths.read_role),
            Op.UPDATE: _db(role_paths.write_role),
            Op.DELETE: _db(role_paths.delete_role),
        },
    ),
    Route(f"creds/{_ONE}", {Op.READ: _db(creds.generate)}),
    Route("static-roles/?", {Op.LIST: static_paths.list_static_roles}),
    Route(
        f"static-roles/{_ONE}",
        {
            Op.READ: static_paths.read_static_role,
            Op.UPDATE: static_paths.write_static_role,
            Op.DELETE: static_paths.delete_static_role,
        },
    ),
    Route(f"static-creds/{_ONE}", {Op.READ: creds.read_static}),
    Route(f"rotate-role/{_ONE}", {Op.UPDATE: creds.rotate_role}),
)

ROUTER = Router(ROUTES)
