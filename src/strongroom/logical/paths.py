"""The declarative route table of an engine (Vault's `sdk/framework` `Path` and `Backend`).

Each `Path` declares its pattern (a regular expression over the path below the mount, named
groups becoming fields), its operations (a handler and the Struct of its fields each), its
existence check, whether it needs `sudo` or no token at all, and its help text. A `PathTable`
serves requests from them: it decodes and validates the fields before the handler runs, warns
about parameters no operation of the path declares, answers `?help=1`, and tells the core the
sudo and unauthenticated paths and whether a write creates or updates.

    paths.py      V2 = PathTable([Path("config", {Op.READ: Operation(path_config.read)}, ...)])
    path_*.py     async def read(ctx: KvContext, req: Request, fields: ConfigRead) -> Response

Handlers get the request with its `data` sealed off: every input they read is a declared field.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import msgspec

from strongroom.core.request import Operation, Request, Response
from strongroom.errors import NotFound, UnsupportedOperation
from strongroom.logical.fields import Field, NoFields, Schema
from strongroom.logical.openapi import help_response

__all__ = ["Operation", "OperationSpec", "Path", "PathTable"]

Ctx = TypeVar("Ctx")
FieldsHandler = Callable[[Ctx, Request, Any], Awaitable[Response]]
ExistenceCheck = Callable[[Ctx, Mapping[str, str]], Awaitable[bool]]
# Vault's framework answers with this warning when a request names fields the path lacks.
UNKNOWN_WARNING = "Endpoint ignored these unrecognized parameters: [{}]"


@dataclass(frozen=True, slots=True)
class OperationSpec(Generic[Ctx]):
    """One operation of a path (Vault's `OperationHandler`): the handler and its fields."""

    handler: FieldsHandler[Ctx]
    fields: type[msgspec.Struct] = NoFields
    summary: str = ""
    schema: Schema = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "schema", Schema(self.fields))


@dataclass(frozen=True, slots=True)
class Path(Generic[Ctx]):
    """One route (Vault's `framework.Path`)."""

    pattern: str
    operations: Mapping[Operation, OperationSpec[Ctx]]
    synopsis: str = ""
    description: str = ""
    exists: ExistenceCheck[Ctx] | None = None  # None: the target always exists (an update)
    sudo: bool = False  # Vault's PathsSpecial.Root
    unauthenticated: bool = False  # Vault's PathsSpecial.Unauthenticated (a literal pattern)
    arbitrary_input: bool = False  # Vault's TakesArbitraryInput: no unknown-field warning
    # The names `fields()` declares, computed once: every request checks its parameters.
    known: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "known", frozenset(self.fields()))

    @property
    def handlers(self) -> Mapping[Operation, FieldsHandler[Ctx]]:
        """The handler of each operation (what the route sweeps of the tests walk)."""
        return {op: spec.handler for op, spec in self.operations.items()}

    def fields(self) -> dict[str, Field]:
        """Every field any operation declares, by name (what counts as a known parameter)."""
        return {n: f for spec in self.operations.values() for n, f in spec.schema.fields.items()}

    def captures(self) -> tuple[str, ...]:
        return tuple(re.compile(self.pattern).groupindex)

    def operation(self, op: Operation) -> OperationSpec[Ctx]:
        """Raises UnsupportedOperation when the path lacks `op` (a create falls back to update)."""
        spec = self.operations.get(op)
        if spec is None and op is Operation.CREATE:
            spec = self.operations.get(Operation.UPDATE)
        if spec is None:
            raise UnsupportedOperation
        return spec


class _SealedData(Mapping[str, Any]):
    """The `data` handlers see: their input is the decoded Struct, so reading this is a bug."""

    def __getitem__(self, key: str) -> Any:  # noqa: ANN401 - Mapping's signature
        raise _misuse()

    def __iter__(self) -> Iterator[str]:
        raise _misuse()

    def __len__(self) -> int:
        raise _misuse()


def _misuse() -> RuntimeError:
    return RuntimeError("a handler read request.data: declare the field in its Struct")


SEALED_DATA: Mapping[str, Any] = _SealedData()


class PathTable(Generic[Ctx]):
    """First matching pattern wins; patterns are anchored at both ends."""

    def __init__(self, paths: Sequence[Path[Ctx]]) -> None:
        self.routes = tuple(paths)
        self._compiled = [(re.compile(f"^(?:{p.pattern})$"), p) for p in paths]
        self.unauthenticated = frozenset(p.pattern for p in paths if p.unauthenticated)
        self._any_sudo = any(p.sudo for p in paths)

    def match(self, path: str) -> tuple[Path[Ctx], dict[str, str]]:
        """The route serving `path` and its named captures. Raises NotFound if none does."""
        for regex, route in self._compiled:
            found = regex.match(path)
            if found is not None:
                return route, {k: v for k, v in found.groupdict().items() if v is not None}
        raise NotFound("unsupported path")

    async def dispatch(self, ctx: Ctx, request: Request, path: str) -> Response:
        """Decode the fields of `request`, run its handler, add Vault's unknown-field warning.

        Raises NotFound, UnsupportedOperation, BadRequest (a field that does not convert) and
        whatever the handler raises.
        """
        route, captures = self.match(path)
        if request.operation is Operation.HELP:
            return help_response(route, path)
        spec = route.operation(request.operation)
        data = request.data
        fields = spec.schema.decode(data, captures)
        if not route.arbitrary_input:
            request = request.with_data(SEALED_DATA)
        response = await spec.handler(ctx, request, fields)
        unknown = [] if route.arbitrary_input else _unknown(route, data)
        if unknown and not response.empty:  # Vault adds it to a response, never makes one
            warning = UNKNOWN_WARNING.format(" ".join(unknown))
            response.warnings = [*(response.warnings or []), warning]
        return response

    async def exists(self, ctx: Ctx, path: str) -> bool:
        """Vault's ExistenceCheck: whether a write to `path` updates (True) or creates."""
        try:
            route, captures = self.match(path)
        except NotFound:
            return True
        return True if route.exists is None else await route.exists(ctx, captures)

    def sudo(self, path: str) -> bool:
        """Whether `path` is root-protected (needs `sudo` on top of the operation's capability)."""
        if not self._any_sudo:  # most tables: no second match on every request
            return False
        try:
            return self.match(path)[0].sudo
        except NotFound:
            return False


def _unknown(route: Path[Any], data: Mapping[str, Any]) -> list[str]:
    """The request's top-level parameters no operation of `route` declares, sorted as Go's
    sort.Strings does (bytewise)."""
    known = route.known
    # `list` is the HTTP layer's (`GET ?list=true`), as in Vault, which drops it before routing.
    return sorted(k for k in data if k not in known and k != "list")
