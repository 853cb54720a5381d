"""database/roles/:name: how dynamic users are created, renewed and dropped (Vault's fields).

A write replaces the fields it names and keeps the others (defaults on creation). Role and
static role names share one namespace, as in Vault.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strongroom.core.fields import get_duration, get_str
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.engines.database.models import Role
from strongroom.engines.database.params import given, listing, statements
from strongroom.engines.database.service import Database
from strongroom.errors import BadRequest, NotFound

_STATEMENTS = (
    "creation_statements",
    "revocation_statements",
    "rollback_statements",
    "renew_statements",
)


def credential_type(data: Mapping[str, Any], current: str) -> str:
    """Only passwords: Vault's other credential types are not offered by this build."""
    kind = get_str(data, "credential_type", current)
    if kind != "password":
        raise BadRequest(f'invalid credential_type "{kind}"')
    return kind


async def write_role(db: Database, req: Request, params: Mapping[str, str]) -> Response:
    name, data = params["name"], req.data
    if await db.store.static_role(name) is not None:
        raise BadRequest("Role and Static Role names must be unique")
    old = await db.store.role(name) or Role(db_name="")
    fields: dict[str, Any] = {
        key: statements(data, key) if given(data, key) else getattr(old, key) for key in _STATEMENTS
    }
    role = Role(
        db_name=get_str(data, "db_name", old.db_name),
        default_ttl=get_duration(data, "default_ttl", old.default_ttl),
        max_ttl=get_duration(data, "max_ttl", old.max_ttl),
        credential_type=credential_type(data, old.credential_type),
        **fields,
    )
    if not role.db_name:
        raise BadRequest("database name is required")
    if role.default_ttl < 0 or role.max_ttl < 0:
        raise BadRequest("ttl values must not be negative")
    await db.store.put_role(name, role)
    return NO_CONTENT


async def read_role(db: Database, _req: Request, params: Mapping[str, str]) -> Response:
    role = await db.store.role(params["name"])
    if role is None:
        raise NotFound
    return Response(
        {
            "db_name": role.db_name,
            "creation_statements": list(role.creation_statements),
            "revocation_statements": list(role.revocation_statements),
            "rollback_statements": list(role.rollback_statements),
            "renew_statements": list(role.renew_statements),
            "default_ttl": role.default_ttl,
            "max_ttl": role.max_ttl,
            "credential_type": role.credential_type,
        }
    )


async def delete_role(db: Database, _req: Request, params: Mapping[str, str]) -> Response:
    await db.store.delete_role(params["name"])
    return NO_CONTENT


async def list_roles(db: Database, req: Request, _p: Mapping[str, str]) -> Response:
    names = await db.store.role_names(*listing(req.data))
    if not names:
        raise NotFound
    return Response({"keys": names})
