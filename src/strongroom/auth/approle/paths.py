"""The AppRole route table: Vault's approle path tree (api-docs/auth/approle).

Patterns are anchored by the Router. A LIST path always ends in "/" (the HTTP layer adds it).
Role names follow Vault's GenericNameRegex (ASCII word characters, with `-` and `.` inside).
"""

from __future__ import annotations

from strongroom.auth.approle import handlers, login, secret_id_handlers
from strongroom.auth.approle.context import AppRole
from strongroom.core.request import Operation as Op
from strongroom.core.routes import Route, Router

NAME = r"(?P<role_name>[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)"
ROLE = "role/" + NAME

ROUTES: tuple[Route[AppRole], ...] = (
    Route("login", {Op.UPDATE: login.login}),
    Route("role/?", {Op.LIST: handlers.list_roles}),
    Route(
        ROLE,
        {
            Op.READ: handlers.read_role,
            Op.UPDATE: handlers.write_role,
            Op.DELETE: handlers.delete_role,
        },
    ),
    Route(ROLE + "/role-id", {Op.READ: handlers.read_role_id, Op.UPDATE: handlers.write_role_id}),
    Route(ROLE + "/local-secret-ids", {Op.READ: handlers.read_local_secret_ids}),
    Route(
        ROLE + "/secret-id/?",
        {Op.UPDATE: secret_id_handlers.generate, Op.LIST: secret_id_handlers.list_accessors},
    ),
    Route(ROLE + "/custom-secret-id", {Op.UPDATE: secret_id_handlers.custom}),
    Route(ROLE + "/secret-id/lookup/?", {Op.UPDATE: secret_id_handlers.lookup}),
    Route(
        ROLE + "/secret-id/destroy/?",
        {Op.UPDATE: secret_id_handlers.destroy, Op.DELETE: secret_id_handlers.destroy},
    ),
    Route(ROLE + "/secret-id-accessor/lookup/?", {Op.UPDATE: secret_id_handlers.lookup_accessor}),
    Route(
        ROLE + "/secret-id-accessor/destroy/?",
        {
            Op.UPDATE: secret_id_handlers.destroy_accessor,
            Op.DELETE: secret_id_handlers.destroy_accessor,
        },
    ),
    Route("tidy/secret-id", {Op.UPDATE: secret_id_handlers.tidy}),
)

ROUTER = Router(ROUTES)
