"""The system backend (`sys/*`): its route table is `paths.py`; this is where a request to
`sys/` goes. A path `Reach.NODE` or `Reach.WRAPPING` answers before the pipeline (no token;
a node path while sealed too), `Reach.ANONYMOUS` does so when the request carries no token,
and every other request arrives through the pipeline at `handle`."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from strongroom.core.namespaces.registry import ROOT
from strongroom.core.request import Request, Response
from strongroom.core.system.paths import TABLE
from strongroom.core.system.reach import Reach, SysPath
from strongroom.errors import NotFound, Sealed

if TYPE_CHECKING:
    from strongroom.core.core import Core

# Answered before the pipeline, never through it (in a namespace: not at all).
_BEFORE_PIPELINE = (Reach.NODE, Reach.WRAPPING)


def _reach(path: str) -> Reach | None:
    """The reach of the route serving `path` below `sys/`, or None if no route does."""
    try:
        route, _captures = TABLE.match(path)
    except NotFound:
        return None
    return route.reach if isinstance(route, SysPath) else Reach.NAMESPACE


class SystemBackend:
    unauthenticated: frozenset[str] = frozenset()  # answered before routing: open_handler
    paths = TABLE  # its route table: sudo paths, sys/internal/specs/openapi, ?help=1

    def __init__(self, core: Core) -> None:
        self._core = core

    def open_handler(self, request: Request) -> Awaitable[Response] | None:
        """The answer to a request that needs no token, or None for the pipeline's."""
        if not request.path.startswith("sys/"):
            return None
        rest = request.path[4:]
        reach = _reach(rest)
        if reach is Reach.WRAPPING:
            if self._core.sealed:
                raise Sealed
            return TABLE.dispatch(self._core, request, rest)
        if self._core.namespace is not ROOT:
            return None  # seal, init and health belong to the node: the root namespace
        if reach is Reach.NODE or (reach is Reach.ANONYMOUS and not request.token):
            return TABLE.dispatch(self._core, request, rest)
        return None

    async def handle(self, request: Request, path: str) -> Response:
        reach = _reach(path)
        in_namespace = self._core.namespace is not ROOT
        if reach in _BEFORE_PIPELINE or (in_namespace and reach is not None and reach.root_only):
            raise NotFound("unsupported path")
        return await TABLE.dispatch(self._core, request, path)
