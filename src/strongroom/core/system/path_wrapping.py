"""sys/wrapping/*: wrap a body, and look up, unwrap or rewrap a wrapping token (Vault's
api-docs/system/wrapping-*). The mechanism itself is `core/wrapping.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import msgspec

from strongroom.clock import rfc3339
from strongroom.core import wrapping
from strongroom.core.request import Request, Response
from strongroom.errors import BadRequest
from strongroom.logical.fields import NoFields

if TYPE_CHECKING:
    from strongroom.core.core import Core

WRAP_SYNOPSIS = "Response-wraps an arbitrary JSON object."
LOOKUP_SYNOPSIS = "Looks up the properties of a response-wrapped token."
UNWRAP_SYNOPSIS = "Unwraps a response-wrapped token."
REWRAP_SYNOPSIS = "Rotates a response-wrapped token."


class WrappingToken(msgspec.Struct, frozen=True, kw_only=True):
    """The wrapping token, in the body or else as the request's own token."""

    token: Annotated[str, msgspec.Meta(description="The wrapping token ID.")] = ""


def _token(req: Request, fields: WrappingToken) -> str:
    return fields.token or req.token or ""


async def unwrap(core: Core, req: Request, fields: WrappingToken) -> Response:
    return await wrapping.unwrap(core, _token(req, fields))


async def lookup(core: Core, req: Request, fields: WrappingToken) -> Response:
    wrapped = await wrapping.lookup(core, _token(req, fields))
    return Response(
        {
            "creation_path": wrapped.creation_path,
            "creation_time": rfc3339(wrapped.creation_time),
            "creation_ttl": wrapped.creation_ttl,
        }
    )


async def rewrap(core: Core, req: Request, fields: WrappingToken) -> Response:
    return await wrapping.rewrap(core, _token(req, fields))


async def wrap_data(core: Core, req: Request, _f: NoFields) -> Response:
    """sys/wrapping/wrap: the request body itself is the response to wrap (the route takes
    arbitrary input, so `req.data` is the body)."""
    del core
    if wrapping.requested_ttl(req.headers) is None:
        raise BadRequest("no wrap TTL specified")
    return Response(dict(req.data))
