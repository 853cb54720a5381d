"""What every userpass handler is given: the mount's store, its password hasher and lockouts,
and Vault's rule on usernames (lower-cased, path_users.go)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, TypeVar

from msgspec import Meta

from strongroom.auth.userpass.hashing import Hasher
from strongroom.auth.userpass.store import Store
from strongroom.errors import BadRequest
from strongroom.logical.lockout import Lockouts

Username = Annotated[str, Meta(description="Username for this user.")]
USERNAME = r"(?P<username>\w(?:[\w.-]*\w)?)"  # Vault's GenericNameRegex
MISSING_USER = "username does not exist"
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class UserpassContext:
    store: Store
    hasher: Hasher
    lockouts: Lockouts


def username(captured: str) -> str:
    """The username from the path, lower-cased as Vault stores and looks up every user."""
    return captured.lower()


def password_required(password: T | None) -> T:
    """`password` (or its hash). Raises BadRequest (Vault's message) if none was sent."""
    if password is None:
        raise BadRequest("must provide either password or password_hash")
    return password
