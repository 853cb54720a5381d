"""From the wire to a logical `Request`: method, path, namespace, token, body and query.

Every way the input can be malformed ends in a 4xx here, before the core sees anything; no
message echoes a submitted value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, unquote

import msgspec

from strongroom.core.request import Operation
from strongroom.errors import BadRequest, NotFound, UnsupportedMediaType, UnsupportedOperation

MAX_BODY = 32 * 1024 * 1024
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
    path = unquote(raw_path[4:]).lstrip("/")
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
    if not raw.strip():
        return {}
    try:
        data = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        raise BadRequest("failed to decode JSON input: invalid JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("failed to decode JSON input: expected a JSON object")
    return data


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
