"""Request-field helpers of the database engine (on top of `core/fields.py`).

Statements are Vault's TypeStringSlice: a JSON list of strings, or one string that is one
statement (never split on commas: SQL is full of them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from strongroom.errors import BadRequest

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def given(data: Mapping[str, Any], name: str) -> bool:
    """Whether the request set `name` (JSON null counts as absent, as in Vault)."""
    return data.get(name) is not None


def statements(data: Mapping[str, Any], name: str) -> list[str]:
    value = data.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v for v in value if v.strip()]
    raise BadRequest(f'error converting input for field "{name}": expected list of strings')


def db_username(value: str, field: str = "username") -> str:
    """A database user name given by the caller: non-empty, no control characters."""
    if not value:
        raise BadRequest(f"{field} is a required field to create a static account")
    if _CONTROL.search(value):
        raise BadRequest(f"{field} must not contain control characters")
    return value


def listing(data: Mapping[str, Any]) -> tuple[str | None, int | None]:
    """OpenBao's `after`/`limit` pagination of LIST."""
    after = data.get("after")
    limit = data.get("limit")
    if isinstance(after, list):
        after = after[0] if after else None
    if isinstance(limit, list):
        limit = limit[0] if limit else None
    try:
        count = int(limit) if limit not in (None, "") else None
    except (TypeError, ValueError):
        raise BadRequest('error converting input for field "limit": expected integer') from None
    return (str(after) if after else None), (count if count and count > 0 else None)
