"""Route tables: how a backend maps a path below its mount to a handler per operation.

Every engine, auth method and the system backend declares a tuple of `Route`s (its `paths.py`),
mirroring Vault's `framework.Path`: a regular expression over the path relative to the mount,
with named groups passed to the handler as `params`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from strongroom.core.request import Operation, Request, Response
from strongroom.errors import NotFound, UnsupportedOperation

Ctx = TypeVar("Ctx")

# The name of a role, key, policy, ...: Vault's framework.GenericNameWithAtRegex
# (sdk/framework/path.go), word characters with `-`, `.` and `@` allowed inside, so one path
# segment that neither starts nor ends with punctuation.
GENERIC_NAME = r"\w(?:[\w.@-]*\w)?"


def named(group: str) -> str:
    """GENERIC_NAME captured as the route parameter `group`."""
    return f"(?P<{group}>{GENERIC_NAME})"


Handler = Callable[[Ctx, Request, Mapping[str, str]], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Route(Generic[Ctx]):
    pattern: str
    handlers: Mapping[Operation, Handler[Ctx]]

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern)


class Router(Generic[Ctx]):
    """First matching pattern wins; patterns are anchored at both ends."""

    def __init__(self, routes: Sequence[Route[Ctx]]) -> None:
        self.routes = tuple(routes)  # as declared (the isolation test walks every one)
        self._routes = [(re.compile(f"^(?:{r.pattern})$"), r.handlers) for r in routes]

    def resolve(self, path: str, operation: Operation) -> tuple[Handler[Ctx], dict[str, str]]:
        """Raises NotFound when no pattern matches, UnsupportedOperation when the op is missing."""
        for regex, handlers in self._routes:
            match = regex.match(path)
            if match is None:
                continue
            handler = handlers.get(operation)
            if handler is None and operation is Operation.CREATE:
                handler = handlers.get(Operation.UPDATE)
            if handler is None:
                raise UnsupportedOperation
            return handler, {k: v for k, v in match.groupdict().items() if v is not None}
        raise NotFound("unsupported path")

    async def dispatch(self, ctx: Ctx, request: Request, path: str) -> Response:
        handler, params = self.resolve(path, request.operation)
        return await handler(ctx, request, params)
