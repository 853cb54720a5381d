"""The stored lease and the keys of its indexes."""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from strongroom.secret import masked_repr, random_base62

_ID_LENGTH = 24  # Vault's lease suffix length: ~143 bits


class LeaseEntry(msgspec.Struct, frozen=True, kw_only=True):
    lease_id: str
    mount_uuid: str  # the mount that granted it, found again even after a remount
    internal: dict[str, Any]  # what the engine needs to revoke or renew; never leaves the core
    token_key: str = ""  # the creating token's storage key; "" for none (batch, root-less)
    issue_time: float
    expire_time: float
    max_expire_time: float
    ttl: int  # the duration last granted, reused when a renewal asks for no increment
    renewable: bool = True
    last_renewal: float | None = None
    due: float  # when the expiry job next acts: expire_time, or the next revocation retry
    attempts: int = 0  # failed revocations so far (visible in sys/leases/lookup)
    last_error: str = ""  # the failing exception's type name only: messages may hold secrets

    def __repr__(self) -> str:
        return masked_repr(self, ("internal",))


def new_lease_id(prefix: str) -> str:
    """`<mount path><request path>/<random>`, as Vault names leases."""
    suffix = random_base62(_ID_LENGTH)
    return f"{prefix.rstrip('/')}/{suffix}"


def lease_key(lease_id: str) -> str:
    return hashlib.sha256(lease_id.encode()).hexdigest()[:32]


def entry_key(lease_id: str) -> str:
    return f"id/{lease_id}"


def due_key(entry: LeaseEntry) -> str:
    return f"due/{int(entry.due):012d}-{lease_key(entry.lease_id)}"


def token_index_key(entry: LeaseEntry) -> str:
    return f"token/{entry.token_key}/{lease_key(entry.lease_id)}"


def due_time(key: str) -> int:
    """The time part of a `due/` key (the name as listed, without the `due/` prefix)."""
    return int(key.split("-", 1)[0])
