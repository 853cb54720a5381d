"""Cubbyhole handlers over the caller's own view, with Vault's answers (checked against
`bao server -dev`): a missing key or empty folder is a bare 404, a write needs some data and
replaces the whole object, a delete of nothing is fine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.view import View
from strongroom.errors import BadRequest, NotFound

_DECODER = msgspec.json.Decoder(dict[str, Any])


async def read(view: View, _req: Request, p: Mapping[str, str]) -> Response:
    key = p["path"]
    raw = None if not key or key.endswith("/") else await view.get(key)
    if raw is None:
        raise NotFound
    return Response(_DECODER.decode(raw))


async def write(view: View, req: Request, p: Mapping[str, str]) -> Response:
    key = p["path"]
    if not key or key.endswith("/"):
        raise BadRequest("cannot write to a path ending in '/'")
    if not req.data:
        # Vault answers this with a 500 ("missing data fields"); bad input is a 400 here.
        raise BadRequest("missing data fields")
    await view.put(key, msgspec.json.encode(dict(req.data)))
    return NO_CONTENT


async def delete(view: View, _req: Request, p: Mapping[str, str]) -> Response:
    key = p["path"]
    if key and not key.endswith("/"):
        await view.delete(key)
    return NO_CONTENT


async def list_keys(view: View, _req: Request, p: Mapping[str, str]) -> Response:
    keys = await view.list(p["path"])
    if not keys:
        raise NotFound
    return Response({"keys": keys})
