"""The contract between the database secrets engine and one kind of database.

A plugin owns the connections to one configured database (`database/config/:name`) and knows
its dialect: it renders the role's statements with Vault's template variables (`{{name}}`,
`{{username}}`, `{{password}}`, `{{expiration}}`) and runs them. The engine owns everything
else: names, passwords, leases, schedules. Plugins never log statements or passwords.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Connection:
    """A `database/config/:name` entry as the plugin needs it (secrets masked in repr)."""

    connection_url: str = field(repr=False)
    username: str = ""
    password: str = field(default="", repr=False)
    options: Mapping[str, Any] = field(default_factory=dict)  # plugin-specific fields


class DatabasePlugin(Protocol):
    async def verify(self) -> None:
        """Open a connection and check the credentials work; raises on failure."""
        ...

    async def create_user(
        self, statements: Sequence[str], username: str, password: str, expiration: datetime
    ) -> None:
        """Create a user with the role's creation statements (empty: the plugin's default)."""
        ...

    async def renew_user(
        self, statements: Sequence[str], username: str, expiration: datetime
    ) -> None:
        """Extend a user's validity with the role's renew statements (may be a no-op)."""
        ...

    async def revoke_user(self, statements: Sequence[str], username: str) -> None:
        """Drop a user. Idempotent: a user that no longer exists is success."""
        ...

    async def set_password(self, statements: Sequence[str], username: str, password: str) -> None:
        """Change an existing user's password (static roles, root rotation)."""
        ...

    async def close(self) -> None:
        """Release pooled connections; idempotent."""
        ...


def positive_option(value: object, default: int) -> int:
    """A connection option such as `max_open_connections`: a positive integer (JSON number or
    digits), else `default`."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value.isdigit() and int(value) > 0:
        return int(value)
    return default
