"""The one place where errors become HTTP responses (STYLE.md habit 4).

A `StrongroomError` answers with its status and client-safe message; anything else is a bug and
answers a fixed-text 500, the detail going only to the operator log. The `detail` of a 4xx (why
an AppRole log-in was refused, say) goes to the operator log too, at info: it is the caller's
mistake, not the server's, but without it an operator cannot tell one refusal from another.
Details are fixed texts and names of known things, never submitted values (errors.py).
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
    elif exc.detail:
        level = logging.ERROR if exc.status >= 500 else logging.INFO
        log.log(level, "request %s: %s", request_id, exc.detail)
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
