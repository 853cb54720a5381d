"""Cubbyhole handlers over the caller's own view, with Vault's answers (checked against
`bao server -dev`): a missing key or empty folder is a bare 404, a write needs some data and
replaces the whole object, a delete of nothing is fine."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, Request, Response, View

SYNOPSIS = (
    "Pass-through secret storage to a token-specific cubbyhole in the storage backend, "
    "allowing you to read/write arbitrary data into secret storage."
)
_DECODER = msgspec.json.Decoder(dict[str, Any])


class Key(msgspec.Struct, frozen=True, kw_only=True):
    path: Annotated[str, Meta(description="Specifies the path of the secret.")]


def _is_folder(key: str) -> bool:
    return not key or key.endswith("/")


async def read(view: View, _req: Request, fields: Key) -> Response:
    raw = None if _is_folder(fields.path) else await view.get(fields.path)
    if raw is None:
        raise NotFound
    return Response(_DECODER.decode(raw))


async def write(view: View, req: Request, fields: Key) -> Response:
    """The request body is the secret (the path takes arbitrary input, as Vault's)."""
    if _is_folder(fields.path):
        raise BadRequest("cannot write to a path ending in '/'")
    if not req.data:
        # Vault answers this with a 500 ("missing data fields"); bad input is a 400 here.
        raise BadRequest("missing data fields")
    await view.put(fields.path, msgspec.json.encode(dict(req.data)))
    return NO_CONTENT


async def delete(view: View, _req: Request, fields: Key) -> Response:
    if not _is_folder(fields.path):
        await view.delete(fields.path)
    return NO_CONTENT


async def list_keys(view: View, _req: Request, fields: Key) -> Response:
    keys = await view.list(fields.path)
    if not keys:
        raise NotFound
    return Response({"keys": keys})
