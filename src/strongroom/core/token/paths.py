"""The route table of `auth/token/` (Vault's token store paths)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from strongroom.core.request import Operation, Request, Response
from strongroom.core.routes import Route, Router
from strongroom.core.token import create as c
from strongroom.core.token import handlers as h

if TYPE_CHECKING:
    from strongroom.core.core import Core

R, L, U, D = Operation.READ, Operation.LIST, Operation.UPDATE, Operation.DELETE

ROUTES: Router[Core] = Router(
    [
        Route("create", {U: c.create}),
        Route("create-orphan", {U: c.create_orphan}),
        Route(r"create/(?P<role>[\w\-.]+)", {U: c.create_with_role}),
        Route("lookup", {U: h.lookup, R: h.lookup}),
        Route("lookup-self", {R: h.lookup_self, U: h.lookup_self}),
        Route("lookup-accessor", {U: h.lookup_accessor}),
        Route("renew", {U: h.renew}),
        Route("renew-self", {U: h.renew_self}),
        Route("renew-accessor", {U: h.renew_accessor}),
        Route("revoke", {U: h.revoke}),
        Route("revoke-self", {U: h.revoke_self}),
        Route("revoke-accessor", {U: h.revoke_accessor}),
        Route("revoke-orphan", {U: h.revoke_orphan}),
        Route("accessors/?", {L: h.accessors}),
        Route("tidy", {U: h.tidy}),
        Route("roles/?", {L: h.list_roles}),
        Route(
            r"roles/(?P<role>[\w\-.]+)",
            {R: h.read_role, U: h.write_role, D: h.delete_role},
        ),
    ]
)


class TokenBackend:
    """The `auth/token/` mount: the token store's HTTP face."""

    unauthenticated: frozenset[str] = frozenset()
    paths = ROUTES  # its route table, for sys/internal/specs/openapi

    def __init__(self, core: Core) -> None:
        self._core = core

    async def handle(self, request: Request, path: str) -> Response:
        return await ROUTES.dispatch(self._core, request, path)
