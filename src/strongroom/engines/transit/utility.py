"""`random(/:source)(/:bytes)` and `hash(/:algorithm)`: key-less helpers of the transit API.

As Vault's `helper/random.HandleRandomAPI`: `source` may be platform, seal or all (one
entropy source here, the OS CSPRNG through `secrets`), at most 128 KiB per call, hex or base64.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from strongroom.core.fields import get_int, get_str
from strongroom.core.request import Request, Response
from strongroom.engines.transit import params
from strongroom.engines.transit.crypto import digest
from strongroom.engines.transit.service import Transit
from strongroom.errors import BadRequest

MAX_RANDOM_BYTES = 128 * 1024
_SOURCES = {"platform", "seal", "all"}


def _encoded(raw: bytes, fmt: str) -> str:
    if fmt == "hex":
        return raw.hex()
    if fmt == "base64":
        return params.b64encode(raw)
    raise BadRequest(f'unsupported encoding format "{fmt}"; must be "hex" or "base64"')


def _count(req: Request, p: Mapping[str, str]) -> int:
    source, url_bytes = p.get("source", ""), p.get("bytes", "")
    if source and not url_bytes and source not in _SOURCES:
        source, url_bytes = "", source  # `random/16`: the one segment is the byte count
    if source and source not in _SOURCES:
        raise BadRequest(f'unsupported entropy source "{source}"')
    if url_bytes:
        try:
            return int(url_bytes)
        except ValueError:
            raise BadRequest("error parsing url-set byte count") from None
    return get_int(req.data, "bytes", 32)


async def random(_t: Transit, req: Request, p: Mapping[str, str]) -> Response:
    count = _count(req, p)
    if count < 1:
        raise BadRequest('"bytes" cannot be less than 1')
    if count > MAX_RANDOM_BYTES:
        raise BadRequest(f'"bytes" should be less than {MAX_RANDOM_BYTES}')
    fmt = get_str(req.data, "format") or "base64"
    _encoded(b"", fmt)  # refuse a bad format before drawing any entropy
    return Response({"random_bytes": _encoded(secrets.token_bytes(count), fmt)})


async def hash_data(_t: Transit, req: Request, p: Mapping[str, str]) -> Response:
    algorithm = p.get("algorithm") or get_str(req.data, "algorithm") or "sha2-256"
    if algorithm not in digest.HASH_ENDPOINT:
        raise BadRequest("unsupported algorithm")
    fmt = get_str(req.data, "format") or "hex"
    _encoded(b"", fmt)
    data = params.b64decode(get_str(req.data, "input"), "input")
    return Response({"sum": _encoded(digest.digest(algorithm, data), fmt)})
