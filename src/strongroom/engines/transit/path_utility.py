"""`random(/:source)(/:urlbytes)` and `hash(/:urlalgorithm)`: key-less helpers of the transit API
(Vault's `path_random.go`, `path_hash.go`).

As Vault's `helper/random.HandleRandomAPI`: `source` may be platform, seal or all (one
entropy source here, the OS CSPRNG through `secrets`), at most 128 KiB per call, hex or base64.
"""

from __future__ import annotations

import secrets
from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.transit import encoding
from strongroom.engines.transit.context import TransitContext
from strongroom.engines.transit.crypto import digest
from strongroom.errors import BadRequest
from strongroom.logical import Request, Response

MAX_RANDOM_BYTES = 128 * 1024
_SOURCES = {"platform", "seal", "all"}
RANDOM_SYNOPSIS = "Generate random bytes"
HASH_SYNOPSIS = "Generate a hash sum for input data"


class Random(msgspec.Struct, frozen=True, kw_only=True):
    source: Annotated[
        str,
        Meta(
            description='Which system to source random data from, ether "platform", "seal", '
            'or "all".'
        ),
    ] = ""
    urlbytes: Annotated[
        str, Meta(description="The number of bytes to generate (POST URL parameter)")
    ] = ""
    bytes: Annotated[
        int,
        Meta(
            description="The number of bytes to generate (POST body parameter). Defaults to "
            "32 (256 bits)."
        ),
    ] = 32
    format: Annotated[
        str,
        Meta(description='Encoding format to use. Can be "hex" or "base64". Defaults to "base64".'),
    ] = ""


class Hash(msgspec.Struct, frozen=True, kw_only=True):
    urlalgorithm: Annotated[str, Meta(description="Algorithm to use (POST URL parameter)")] = ""
    algorithm: Annotated[
        str, Meta(description='Algorithm to use (POST body parameter). Defaults to "sha2-256".')
    ] = ""
    input: Annotated[str, Meta(description="The base64-encoded input data")] = ""
    format: Annotated[
        str,
        Meta(description='Encoding format to use. Can be "hex" or "base64". Defaults to "hex".'),
    ] = ""


def _encoded(raw: bytes, fmt: str) -> str:
    if fmt == "hex":
        return raw.hex()
    if fmt == "base64":
        return encoding.b64encode(raw)
    raise BadRequest(f'unsupported encoding format "{fmt}"; must be "hex" or "base64"')


def _count(fields: Random) -> int:
    source, url_bytes = fields.source, fields.urlbytes
    if source and not url_bytes and source not in _SOURCES:
        source, url_bytes = "", source  # `random/16`: the one segment is the byte count
    if source and source not in _SOURCES:
        raise BadRequest(f'unsupported entropy source "{source}"')
    if url_bytes:
        try:
            return int(url_bytes)
        except ValueError:
            raise BadRequest("error parsing url-set byte count") from None
    return fields.bytes


async def random(_t: TransitContext, _req: Request, fields: Random) -> Response:
    count = _count(fields)
    if count < 1:
        raise BadRequest('"bytes" cannot be less than 1')
    if count > MAX_RANDOM_BYTES:
        raise BadRequest(f'"bytes" should be less than {MAX_RANDOM_BYTES}')
    fmt = fields.format or "base64"
    _encoded(b"", fmt)  # refuse a bad format before drawing any entropy
    return Response({"random_bytes": _encoded(secrets.token_bytes(count), fmt)})


async def hash_data(_t: TransitContext, _req: Request, fields: Hash) -> Response:
    algorithm = fields.urlalgorithm or fields.algorithm or "sha2-256"
    if algorithm not in digest.HASH_ENDPOINT:
        raise BadRequest("unsupported algorithm")
    fmt = fields.format or "hex"
    _encoded(b"", fmt)
    data = encoding.b64decode(fields.input, "input")
    return Response({"sum": _encoded(digest.digest(algorithm, data), fmt)})
