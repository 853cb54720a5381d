"""Vault's batch plumbing: `batch_input` items, per-item errors, and the batch status code.

Each item is decoded into its operation's item Struct with the same weak typing as the
request's own fields; a non-batch request is one item, taken from those fields. One bad item
never fails the others: each item's 4xx (a field that does not convert included) becomes its
`error` field. As Vault's `batchRequestResponse`, a batch with any failed item answers 400
(with every result in the body) unless `partial_failure_response_code` names another code and
some item succeeded. A single (non-batch) request raises its item's error instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import cache
from typing import Annotated, Any, TypeVar

import msgspec
from msgspec import Meta

from strongroom.errors import BadRequest, StrongroomError
from strongroom.logical import UNSET, Response, UnsetType
from strongroom.logical.fields import Schema

Item = TypeVar("Item", bound=msgspec.Struct)
Result = dict[str, Any] | StrongroomError
BatchInput = Annotated[
    list[Any] | UnsetType,
    Meta(
        description="Specifies a list of items for processing. When this parameter is set, the "
        "single-item parameters are ignored; the results come in the same order in "
        "'batch_results'."
    ),
]
PartialFailureCode = Annotated[
    int,
    Meta(
        description="Ordinarily, if a batch item fails, a 400 is returned. If this is set, "
        "the status code is this one when some items succeeded."
    ),
]
Reference = Annotated[
    str, Meta(description="An identifier of the item, returned unchanged with its result.")
]


class Entry(msgspec.Struct, frozen=True):
    """One item to process: its decoded fields (or why they did not decode) and reference."""

    item: Any
    reference: str = ""


@cache
def _schema(struct: type[msgspec.Struct]) -> Schema:
    return Schema(struct)


def entries(
    batch_input: list[Any] | UnsetType, fields: msgspec.Struct, kind: type[Item]
) -> tuple[list[Entry], bool]:
    """The request's items as `kind` Structs and whether it was a batch; a non-batch request
    is one item made of `fields` (already decoded, and of the same types). Raises BadRequest if
    the batch is malformed."""
    if batch_input is UNSET:
        # A request Struct that extends its item Struct is its own single item (the hot path).
        single = fields if isinstance(fields, kind) else kind(**_shared(fields, kind))
        return [Entry(single)], False
    if not all(isinstance(raw, dict) for raw in batch_input):
        raise BadRequest("failed to parse batch input")
    if not batch_input:
        raise BadRequest("missing batch input to process")
    schema = _schema(kind)
    return [_entry(schema, raw) for raw in batch_input], True


def _shared(fields: msgspec.Struct, kind: type[msgspec.Struct]) -> dict[str, Any]:
    """The fields of `kind` that `fields` carries (an absent one keeps the item's default)."""
    found = {name: getattr(fields, name) for name in _common(type(fields), kind)}
    return {name: value for name, value in found.items() if value is not UNSET}


@cache
def _common(request: type[msgspec.Struct], kind: type[msgspec.Struct]) -> tuple[str, ...]:
    return tuple(name for name in kind.__struct_fields__ if name in request.__struct_fields__)


def _entry(schema: Schema, raw: Mapping[str, Any]) -> Entry:
    try:
        item = schema.decode(raw, {})
    except BadRequest as exc:
        return Entry(exc, _schema(_Referenced).decode(raw, {}).reference)
    return Entry(item, getattr(item, "reference", ""))


class _Referenced(msgspec.Struct, frozen=True, kw_only=True):
    """What an item that does not decode still answers with: its reference."""

    reference: str = ""


def text(value: str | UnsetType) -> str:
    """An optional string field: absent is ""."""
    return "" if value is UNSET else value


def decoded(entries_: Sequence[Entry], kind: type[Item]) -> list[Item]:
    """The items that decoded (what cross-item checks such as Vault's context rule see)."""
    return [entry.item for entry in entries_ if isinstance(entry.item, kind)]


async def run(
    entries_: Sequence[Entry], one: Callable[[Any], Awaitable[dict[str, Any]]]
) -> list[Result]:
    """`one` over every decoded item; a 4xx from an item is kept as that item's result."""
    results: list[Result] = []
    for entry in entries_:
        if isinstance(entry.item, StrongroomError):
            results.append(entry.item)
            continue
        try:
            results.append(await one(entry.item))
        except StrongroomError as exc:
            if exc.status >= 500:
                raise
            results.append(exc)
    return results


def respond(
    entries_: Sequence[Entry],
    results: Sequence[Result],
    *,
    batch: bool,
    partial_failure_code: int = 0,
    on_error: Mapping[str, Any] | None = None,
) -> Response:
    """The response: the single result, or `batch_results` with Vault's status rules."""
    if not batch:
        only = results[0]
        if isinstance(only, StrongroomError):
            raise only
        return Response(only)
    rendered: list[dict[str, Any]] = []
    for entry, result in zip(entries_, results, strict=True):
        body = (
            {**(on_error or {}), "error": result.public}
            if isinstance(result, Exception)
            else result
        )
        rendered.append({**body, "reference": entry.reference})
    failed = sum(isinstance(result, Exception) for result in results)
    status = 200
    if failed:
        status = 400
        code = partial_failure_code if failed < len(results) else 0
        if 1 <= code <= 599:
            status = code
    return Response({"batch_results": rendered}, status=status)
