"""From the wire to a logical `Request`: method, path, namespace, token, body and query.

Every way the input can be malformed ends in a 4xx here, before the core sees anything; no
message echoes a submitted value.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from itertools import accumulate, chain
from operator import sub
from typing import Any
from urllib.parse import parse_qs

import msgspec

from strongroom.core.request import Operation
from strongroom.errors import BadRequest, NotFound, UnsupportedMediaType, UnsupportedOperation

MAX_BODY = 32 * 1024 * 1024
# Vault's listener option `max_json_depth` defaults to 500; msgspec would otherwise recurse until
# Python's recursion limit and raise RecursionError (a 500).
MAX_DEPTH = 500
FORM = "application/x-www-form-urlencoded"
_INVALID_JSON = "failed to decode JSON input: invalid JSON"
_TOO_DEEP = "failed to decode JSON input: JSON input exceeds allowed nesting depth"
# The depth scan keeps brackets (objects read as arrays) and quotes, and drops everything else.
_BRACKETS = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKET = bytes(set(range(256)) - set(b'[]{}"'))
_RUN = re.compile(rb"\[+|\]+")
_COLLAPSES = 4
_METHODS = {
    "GET": Operation.READ,
    "HEAD": Operation.READ,
    "LIST": Operation.LIST,
    "POST": Operation.UPDATE,
    "PUT": Operation.UPDATE,
    "DELETE": Operation.DELETE,
    "PATCH": Operation.PATCH,
}
_TRUE = ("true", "1", "t")


def operation(method: str, query: Mapping[str, Any]) -> Operation:
    if query.get("help"):
        return Operation.HELP  # Vault's wrapHelpHandler: any non-blank `help`, any method
    op = _METHODS.get(method)
    if op is None:
        raise UnsupportedOperation("")  # Vault answers an unknown method with no message
    if op is Operation.READ and str(query.get("list", "")).lower() in _TRUE:
        return Operation.LIST
    return op


def logical_path(raw_path: str) -> str:
    """The path below `/v1/`, without surrounding slashes. Raises NotFound outside /v1."""
    if not raw_path.startswith("/v1/"):
        raise NotFound
    path = raw_path[4:].lstrip("/")  # already percent-decoded by the server: decode once only
    if "\x00" in path or ".." in path.split("/"):
        raise BadRequest("invalid path")
    return path


def query(raw: bytes) -> dict[str, Any]:
    """Query parameters: a single value stays a string, repeated ones become a list."""
    if not raw:
        return {}
    try:
        parsed = parse_qs(raw.decode(), keep_blank_values=True, strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("invalid query string") from None
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


def body(raw: bytes, method: str, content_type: str) -> dict[str, Any]:
    media_type = content_type.split(";", maxsplit=1)[0].strip()
    if method == "PATCH" and media_type != "application/merge-patch+json":
        raise UnsupportedMediaType("PATCH requires Content-Type of application/merge-patch+json")
    if media_type == "application/ocsp-request":
        # RFC 6960 A.1: a DER body; the PKI engine reads it as its `req` field, the same
        # base64 text a GET carries in its path.
        return {"req": base64.b64encode(raw).decode()}
    if not raw.strip():
        return {}
    if media_type == FORM and raw.lstrip()[:1] not in (b"{", b"["):
        return form(raw)  # curl -d sends JSON as a "form": Vault's isForm sniffs for it too
    if too_deep(raw):
        raise BadRequest(_TOO_DEEP)
    try:
        data = msgspec.json.decode(raw)
    except (msgspec.DecodeError, UnicodeDecodeError):  # the latter: invalid UTF-8 in a string
        raise BadRequest(_INVALID_JSON) from None
    if data is None:
        return {}  # `bao write -f` sends `null`; OpenBao reads it as no fields
    if not isinstance(data, dict):
        raise BadRequest("failed to decode JSON input: expected a JSON object")
    return data


def form(raw: bytes) -> dict[str, Any]:
    """An `application/x-www-form-urlencoded` body, as Vault's parseFormRequest reads it (OAuth
    clients post the OIDC token endpoint so): a repeated key's values joined by commas."""
    try:
        pairs = parse_qs(raw.decode(), keep_blank_values=True, strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("failed to parse form data") from None
    return {key: ",".join(values) for key, values in pairs.items()}


def too_deep(raw: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether `raw` nests arrays and objects deeper than `limit`; brackets in strings don't
    count. A scan of the bytes at C speed, not a parse: a body with no more than `limit`
    openers needs nothing else (nearly every body). Otherwise string contents go and only
    brackets stay; innermost `[]` pairs collapse a few times (each pass lowers the depth by at
    most one), and what is left is measured by runs of openers and closers. Measured on this
    machine, the worst 32 MiB body costs about 3 s, less than decoding 23 MB of small objects.
    """
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside = b"".join(unescaped.translate(_BRACKETS, _NOT_BRACKET).split(b'"')[::2])
    for _ in range(_COLLAPSES):
        if outside.count(b"[") <= limit:
            return False
        outside = outside.replace(b"[]", b"")
        limit -= 1
    runs = list(map(len, _RUN.findall(outside.lstrip(b"]"))))
    opened = accumulate(runs[0::2])
    closed = accumulate(chain((0,), runs[1::2]))
    return max(map(sub, opened, closed), default=0) > limit


def token(headers: Mapping[str, str]) -> str | None:
    value = headers.get("x-vault-token")
    if value:
        return value
    auth = headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return None


def namespace(headers: Mapping[str, str]) -> str:
    """The namespace named by `X-Vault-Namespace`, normalised to `a/b/` ("" is the root)."""
    value = headers.get("x-vault-namespace", "").strip("/")
    if value in ("", "root"):
        return ""
    return value + "/"
