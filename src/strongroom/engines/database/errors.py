"""The engine's one error: a database refused or failed, said without any secret.

Driver messages can quote the statement that failed (`LINE 1: ALTER ROLE ... PASSWORD '...'`)
or the connection string; only the server's primary message is kept, and every secret the
caller knows of is replaced by `[password]` (Vault's DatabaseErrorSanitizerMiddleware).
"""

from __future__ import annotations

from collections.abc import Iterable

from strongroom.errors import BadRequest
from strongroom.secret import scrubbed


class DatabaseError(BadRequest):
    """400: the database could not do what was asked; the message is sanitized."""


def sanitized(message: str, hidden: Iterable[str]) -> str:
    return scrubbed(message, hidden)
