"""The one place where errors become HTTP responses (STYLE.md habit 4).

A `StrongroomError` answers with its status and client-safe message; anything else is a bug and
answers a fixed-text 500, the detail going only to the operator log.
"""

from __future__ import annotations

import logging
from typing import Any

from strongroom.errors import InternalError, StrongroomError

log = logging.getLogger("strongroom.http")


def error_body(exc: BaseException, request_id: str) -> tuple[int, dict[str, Any]]:
    """Status and JSON body for `exc`. KV v2 style 404s carry a data envelope."""
    if not isinstance(exc, StrongroomError):
        log.error("request %s failed", request_id, exc_info=exc)
        exc = InternalError()
    elif exc.status >= 500 and exc.detail:
        log.error("request %s: %s", request_id, exc.detail)
    if exc.data is not None:
        return exc.status, envelope(request_id, exc.data)
    return exc.status, {"errors": [exc.public] if exc.public else []}


def envelope(request_id: str, data: Any, **fields: Any) -> dict[str, Any]:  # noqa: ANN401 - JSON
    body: dict[str, Any] = {
        "request_id": request_id,
        "lease_id": "",
        "renewable": False,
        "lease_duration": 0,
        "data": data,
        "wrap_info": None,
        "warnings": None,
        "auth": None,
        "mount_type": "",
    }
    body.update(fields)
    return body
