"""The PathTable: decoding before the handler, the sealed request data, Vault's warning for
unknown parameters (only on a non-empty answer), create falling back to update, sudo, exists
and help."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec
import pytest

from strongroom.errors import NotFound, UnsupportedOperation
from strongroom.logical import (
    NO_CONTENT,
    Operation,
    OperationSpec,
    Path,
    PathTable,
    Request,
    Response,
)


class Named(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    size: int = 0


async def _echo(_ctx: None, req: Request, fields: Named) -> Response:
    return Response({"name": fields.name, "size": fields.size, "op": req.operation.value})


async def _nothing(_ctx: None, _req: Request, _fields: Named) -> Response:
    return NO_CONTENT


async def _peek(_ctx: None, req: Request, _fields: Named) -> Response:
    return Response(dict(req.data))


async def _absent(_ctx: None, captures: Mapping[str, str]) -> bool:
    return captures["name"] != "new"


TABLE: PathTable[None] = PathTable(
    [
        Path(
            "items/(?P<name>[^/]+)",
            {
                Operation.READ: OperationSpec(_echo, Named),
                Operation.UPDATE: OperationSpec(_echo, Named),
                Operation.DELETE: OperationSpec(_nothing, Named),
            },
            synopsis="Items.",
            exists=_absent,
        ),
        Path("peek/(?P<name>.+)", {Operation.READ: OperationSpec(_peek, Named)}),
        Path("admin", {Operation.UPDATE: OperationSpec(_echo, Named)}, sudo=True),
        Path("login", {Operation.UPDATE: OperationSpec(_echo, Named)}, unauthenticated=True),
    ]
)


def _request(op: Operation, data: dict[str, Any]) -> Request:
    return Request("id", op, "x", data)


async def test_fields_are_decoded_before_the_handler_and_unknowns_warned() -> None:
    answer = await TABLE.dispatch(
        None, _request(Operation.CREATE, {"size": "3", "b": 1, "a": 1}), "items/k"
    )
    assert answer.data == {"name": "k", "size": 3, "op": "create"}
    assert answer.warnings == ["Endpoint ignored these unrecognized parameters: [a b]"]


async def test_an_empty_answer_gets_no_warning_and_stays_shared() -> None:
    answer = await TABLE.dispatch(None, _request(Operation.DELETE, {"zz": 1}), "items/k")
    assert answer is NO_CONTENT
    assert NO_CONTENT.warnings is None


async def test_a_handler_reading_request_data_fails() -> None:
    with pytest.raises(RuntimeError, match="declare the field"):
        await TABLE.dispatch(None, _request(Operation.READ, {}), "peek/k")


async def test_missing_routes_and_operations() -> None:
    with pytest.raises(NotFound):
        await TABLE.dispatch(None, _request(Operation.READ, {}), "nothing")
    with pytest.raises(UnsupportedOperation):
        await TABLE.dispatch(None, _request(Operation.PATCH, {}), "items/k")


async def test_exists_sudo_and_unauthenticated_come_from_the_table() -> None:
    assert not await TABLE.exists(None, "items/new")
    assert await TABLE.exists(None, "items/old")
    assert await TABLE.exists(None, "admin")  # no check declared: an update
    assert TABLE.sudo("admin")
    assert not TABLE.sudo("items/k")
    assert TABLE.unauthenticated == frozenset({"login"})


async def test_help_describes_the_matching_route() -> None:
    answer = await TABLE.dispatch(None, _request(Operation.HELP, {"help": "1"}), "items/k")
    assert answer.raw
    assert answer.data is not None
    assert answer.data["help"].startswith("Request:        items/k\nMatching Route: ^items/")
    assert "    size (int)" in answer.data["help"]
    item = answer.data["openapi"]["paths"]["/items/{name}"]
    assert item["x-vault-createSupported"] is True
    assert sorted(k for k in item if k in ("get", "post", "delete")) == ["delete", "get", "post"]
