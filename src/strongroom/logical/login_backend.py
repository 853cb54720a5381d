"""The shape shared by auth methods whose one unauthenticated path is `login/:name` (Vault's
PathsSpecial "login/*") and whose log-ins count in a lockout: userpass and LDAP."""

from __future__ import annotations

from typing import Generic, Protocol, TypeVar

from strongroom.core.request import Request, Response
from strongroom.errors import BadRequest
from strongroom.logical.lockout import INVALID_OPTIONS, Lockouts
from strongroom.logical.paths import PathTable


class HasLockouts(Protocol):
    @property
    def lockouts(self) -> Lockouts: ...


Ctx = TypeVar("Ctx", bound=HasLockouts)


class LoginBackend(Generic[Ctx]):
    """Serves `paths` over its context; a mount whose lockout options are malformed has none
    and refuses every request (failing closed, and visibly)."""

    unauthenticated: frozenset[str] = frozenset({"login/*"})
    paths: PathTable[Ctx]  # the route table (set by the subclass), also for the OpenAPI document

    def __init__(self, context: Ctx | None) -> None:
        self._ctx = context

    async def handle(self, request: Request, path: str) -> Response:
        """Serve `request` at `path` below the mount. Raises BadRequest for malformed lockout
        options, and whatever the handler raises."""
        return await self.paths.dispatch(self._context(), request, path)

    async def exists(self, path: str) -> bool:
        """Vault's existence check, from the table."""
        return await self.paths.exists(self._context(), path)

    async def tick(self) -> None:
        """The core's background round: stale lockout counters removed."""
        if self._ctx is not None:
            await self._ctx.lockouts.sweep()

    def _context(self) -> Ctx:
        if self._ctx is None:
            raise BadRequest(INVALID_OPTIONS)
        return self._ctx
