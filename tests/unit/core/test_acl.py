"""Root-protected paths: a declarative table's `sudo` routes (the system backend's too)."""

from __future__ import annotations

from strongroom.core.acl import needs_sudo
from strongroom.logical import (
    NO_CONTENT,
    NoFields,
    Operation,
    OperationSpec,
    Path,
    PathTable,
    Request,
    Response,
)
from support.inproc import make_core


async def _noop(_ctx: None, _req: Request, _fields: NoFields) -> Response:
    return NO_CONTENT


class _Backend:
    unauthenticated: frozenset[str] = frozenset()
    paths = PathTable(
        [
            Path("rotate-root", {Operation.UPDATE: OperationSpec(_noop)}, sudo=True),
            Path("roles", {Operation.UPDATE: OperationSpec(_noop)}),
        ]
    )

    async def handle(self, request: Request, path: str) -> Response:
        return await self.paths.dispatch(None, request, path)


def test_a_table_route_marked_sudo_needs_sudo() -> None:
    backend = _Backend()
    assert needs_sudo("db/rotate-root", backend, "rotate-root")
    assert not needs_sudo("db/roles", backend, "roles")
    assert not needs_sudo("db/nothing", backend, "nothing")


def test_the_system_paths_need_sudo_from_their_table() -> None:
    system = make_core().system
    assert needs_sudo("sys/seal", system, "seal")
    assert needs_sudo("sys/audit/file", system, "audit/file")
    assert not needs_sudo("sys/health", system, "health")
    assert not needs_sudo("sys/seal", None, "")  # no core list of sys paths any more
