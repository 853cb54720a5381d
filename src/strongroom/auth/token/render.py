"""Token store answers in Vault's shapes: a token's lookup data and a role's read."""

from __future__ import annotations

from typing import Any

import msgspec

from strongroom.auth.token.models import TokenRole
from strongroom.clock import rfc3339
from strongroom.logical.tokens import TokenEntry


def lookup(entry: TokenEntry, token: str, now: float) -> dict[str, Any]:
    """`data` of auth/token/lookup*, as Vault's handleLookup (`id` is "" by accessor)."""
    data: dict[str, Any] = {
        "accessor": entry.accessor,
        "creation_time": int(entry.creation_time),
        "creation_ttl": entry.creation_ttl,
        "display_name": entry.display_name,
        "entity_id": entry.entity_id,
        "expire_time": None if entry.expire_time is None else rfc3339(entry.expire_time),
        "explicit_max_ttl": entry.explicit_max_ttl,
        "id": token,
        "issue_time": rfc3339(entry.creation_time),
        "meta": entry.meta,
        "num_uses": entry.num_uses,
        "orphan": entry.orphan,
        "path": entry.path,
        "policies": list(entry.policies),
        "renewable": entry.renewable,
        "ttl": entry.ttl_left(now),
        "type": entry.type,
    }
    if entry.period:
        data["period"] = entry.period
    if entry.role:
        data["role"] = entry.role
    if entry.bound_cidrs:
        data["bound_cidrs"] = list(entry.bound_cidrs)
    if entry.last_renewal is not None:
        data["last_renewal"] = rfc3339(entry.last_renewal)
        data["last_renewal_time"] = int(entry.last_renewal)
    return data


def role(found: TokenRole) -> dict[str, Any]:
    """`data` of a role read: its fields, and the deprecated names Vault still answers with."""
    data = msgspec.structs.asdict(found)
    for key, value in data.items():
        if isinstance(value, tuple):
            data[key] = list(value)
    data["explicit_max_ttl"] = found.token_explicit_max_ttl
    data["period"] = found.token_period
    data["bound_cidrs"] = list(found.token_bound_cidrs)
    return data
