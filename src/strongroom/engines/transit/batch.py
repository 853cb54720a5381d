"""Vault's batch plumbing: `batch_input` items, per-item errors, and the batch status code.

One bad item never fails the others: each item's 4xx becomes its `error` field. As Vault's
`batchRequestResponse`, a batch with any failed item answers 400 (with every result in the
body) unless `partial_failure_response_code` names another code and some item succeeded. A
single (non-batch) request raises its item's error instead.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from strongroom.core.fields import get_int
from strongroom.core.request import Response
from strongroom.errors import BadRequest, StrongroomError

Item = Mapping[str, Any]
Result = dict[str, Any] | StrongroomError


def items(data: Mapping[str, Any], fields: Sequence[str]) -> tuple[list[Item], bool]:
    """The request's items and whether it was a batch. Raises BadRequest if malformed."""
    raw = data.get("batch_input")
    if raw is None:
        return [{name: data.get(name) for name in fields}], False
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise BadRequest("failed to parse batch input")
    if not raw:
        raise BadRequest("missing batch input to process")
    return raw, True


def text(item: Item, name: str) -> str:
    """A string field of an item ("" if absent). Raises BadRequest for another type."""
    value = item.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRequest(f'error converting input for field "{name}": expected string')
    return value


def number(item: Item, name: str) -> int:
    return get_int(item, name)


async def run(
    items_: Sequence[Item], one: Callable[[Item], Awaitable[dict[str, Any]]]
) -> list[Result]:
    """`one` over every item; a 4xx from an item is kept as that item's result."""
    results: list[Result] = []
    for item in items_:
        try:
            results.append(await one(item))
        except StrongroomError as exc:
            if exc.status >= 500:
                raise
            results.append(exc)
    return results


def respond(
    data: Mapping[str, Any],
    inputs: Sequence[Item],
    results: Sequence[Result],
    *,
    batch: bool,
    on_error: Mapping[str, Any] | None = None,
) -> Response:
    """The response: the single result, or `batch_results` with Vault's status rules."""
    if not batch:
        only = results[0]
        if isinstance(only, StrongroomError):
            raise only
        return Response(only)
    rendered: list[dict[str, Any]] = []
    for item, result in zip(inputs, results, strict=True):
        body = (
            {**(on_error or {}), "error": result.public}
            if isinstance(result, Exception)
            else result
        )
        rendered.append({**body, "reference": text(item, "reference")})
    failed = sum(isinstance(result, Exception) for result in results)
    status = 200
    if failed:
        status = 400
        code = get_int(data, "partial_failure_response_code") if failed < len(results) else 0
        if 1 <= code <= 599:
            status = code
    return Response({"batch_results": rendered}, status=status)
