"""The database engine's stored records (msgspec Structs, frozen), sealed by the barrier.

Field names follow Vault's `DatabaseConfig`, `roleEntry` and `staticAccount` where Vault has the
concept. A static role is one record holding both its definition and its rotation state, so
every change to it is one checked write (`store.py`): a rotation, an API update and a resumed
crash can never interleave half-way.
"""

from __future__ import annotations

from typing import Any

import msgspec

from strongroom.logical.matching import glob_match
from strongroom.secret import masked_repr


class DatabaseConfig(msgspec.Struct, frozen=True, kw_only=True):
    """`config/:name`. `connection_details` holds the plugin's fields (connection_url,
    username, password, username_template, ...) exactly as Vault keeps them."""

    plugin_name: str
    plugin_version: str = ""
    connection_details: dict[str, Any] = msgspec.field(default_factory=dict)
    allowed_roles: list[str] = msgspec.field(default_factory=list)
    root_credentials_rotate_statements: list[str] = msgspec.field(default_factory=list)
    password_policy: str = ""
    verify_connection: bool = True
    # rotate-root's write-ahead record: the new root password, stored before the database is
    # told, so a crash in between never loses the only copy (`root.py`).
    pending_root_password: str = ""

    def allows(self, role: str) -> bool:
        """Vault: "*" allows every role; otherwise the name or a glob of it must be listed."""
        return any(glob_match(pattern, role) for pattern in self.allowed_roles)

    def __repr__(self) -> str:
        return masked_repr(self, ("connection_details", "pending_root_password"))


class Role(msgspec.Struct, frozen=True, kw_only=True):
    """`roles/:name`: how dynamic users are created and dropped."""

    db_name: str
    creation_statements: list[str] = msgspec.field(default_factory=list)
    revocation_statements: list[str] = msgspec.field(default_factory=list)
    rollback_statements: list[str] = msgspec.field(default_factory=list)
    renew_statements: list[str] = msgspec.field(default_factory=list)
    default_ttl: int = 0
    max_ttl: int = 0
    credential_type: str = "password"


class Pending(msgspec.Struct, frozen=True, kw_only=True):
    """A password change written ahead of touching the database (`rotation.py`).

    `slot` names the rotation (the scheduled time it serves, "create" or "manual:<id>") so it
    happens once; `owner` and `lease_until` say which worker is doing it and until when the
    others leave it alone; after that anyone may finish it with the same password.
    """

    slot: str
    kind: str  # "rotate": hand out `password` for `target`; "retire": end `target`'s overlap
    target: str
    password: str
    owner: str
    lease_until: float

    def __repr__(self) -> str:
        return masked_repr(self, ("password",))


class StaticAccount(msgspec.Struct, frozen=True, kw_only=True):
    """The rotation state of a static role.

    `username`/`password` are what `static-creds` hands out. With `rotation_overlap` the role
    alternates between its user and a clone (`overlap.py`): `retired` is the user handed out
    before the last rotation, whose password stays valid until `retire_at`.
    """

    username: str = ""
    password: str = ""
    last_vault_rotation: float = 0.0
    next_vault_rotation: float = 0.0
    generation: int = 0  # committed rotations, so tests and operators can count them
    retired: str = ""
    retire_at: float = 0.0
    pending: Pending | None = None

    def __repr__(self) -> str:
        return masked_repr(self, ("password",))


class StaticRole(msgspec.Struct, frozen=True, kw_only=True):
    """`static-roles/:name`, with its account state."""

    db_name: str
    username: str
    rotation_period: int = 0
    rotation_schedule: str = ""
    rotation_window: int = 0
    rotation_statements: list[str] = msgspec.field(default_factory=list)
    rotation_overlap: int = 0  # Strongroom extension: seconds the previous password stays valid
    credential_type: str = "password"
    account: StaticAccount = StaticAccount()


def encode(record: msgspec.Struct) -> bytes:
    return msgspec.json.encode(record)


CONFIG_DECODER = msgspec.json.Decoder(DatabaseConfig)
ROLE_DECODER = msgspec.json.Decoder(Role)
STATIC_DECODER = msgspec.json.Decoder(StaticRole)
