"""How AppRole records look on the wire: Vault's role read and secret-ID lookup bodies
(api-docs/auth/approle, "Read AppRole" and "Read AppRole secret ID")."""

from __future__ import annotations

from typing import Any

from strongroom.auth.approle.models import Role, SecretId
from strongroom.clock import rfc3339
from strongroom.logical.tokenutil import token_view

ZERO_TIME = "0001-01-01T00:00:00Z"  # Go's zero time.Time, which Vault shows for "never"


def role(entry: Role) -> dict[str, Any]:
    return {
        "bind_secret_id": entry.bind_secret_id,
        "local_secret_ids": entry.local_secret_ids,
        "secret_id_bound_cidrs": list(entry.secret_id_bound_cidrs),
        "secret_id_num_uses": entry.secret_id_num_uses,
        "secret_id_ttl": entry.secret_id_ttl,
        **token_view(entry),
    }


def secret_id(record: SecretId) -> dict[str, Any]:
    expires = record.expiration_time
    return {
        "cidr_list": list(record.cidr_list),
        "creation_time": rfc3339(record.creation_time),
        "expiration_time": rfc3339(expires) if expires else ZERO_TIME,
        "last_updated_time": rfc3339(record.last_updated_time),
        "metadata": dict(record.metadata),
        "secret_id_accessor": record.accessor,
        "secret_id_num_uses": record.num_uses,
        "secret_id_ttl": record.ttl,
        "token_bound_cidrs": list(record.token_bound_cidrs),
    }


def issued(secret_id_value: str, record: SecretId) -> dict[str, Any]:
    """The body of a `secret-id` or `custom-secret-id` answer: the one time the value is shown."""
    return {
        "secret_id": secret_id_value,
        "secret_id_accessor": record.accessor,
        "secret_id_num_uses": record.num_uses,
        "secret_id_ttl": record.ttl,
    }
