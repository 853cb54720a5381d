"""The fields of a role write (api-docs/auth/approle "Create/Update AppRole"; the common
token fields are `strongroom.logical.tokenutil`'s), and how they change a role.

On a write only the fields sent change; a new role starts from Vault's defaults. Messages
name the field, never the submitted value.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.auth.approle import cidrs
from strongroom.auth.approle.context import RoleName
from strongroom.auth.approle.models import Role
from strongroom.errors import BadRequest
from strongroom.logical import UNSET, Duration, UnsetType
from strongroom.logical.fields import sent
from strongroom.logical.tokenutil import (
    TokenFields,
    check_token_rules,
    non_negative,
    token_changes,
)


class RoleWrite(TokenFields, frozen=True, kw_only=True):
    role_name: RoleName
    bind_secret_id: Annotated[
        bool | UnsetType,
        Meta(
            description="Impose secret_id to be presented when logging in using this role. "
            "Defaults to 'true'."
        ),
    ] = UNSET
    bound_cidr_list: Annotated[
        list[str] | UnsetType, Meta(description='Use "secret_id_bound_cidrs" instead.')
    ] = UNSET
    secret_id_bound_cidrs: Annotated[
        list[str] | UnsetType,
        Meta(
            description="Comma separated string or list of CIDR blocks. If set, specifies the "
            "blocks of IP addresses which can perform the login operation."
        ),
    ] = UNSET
    secret_id_num_uses: Annotated[
        int | UnsetType,
        Meta(
            description="Number of times a SecretID can access the role, after which the "
            "SecretID will expire. Defaults to 0 meaning that the the secret_id is of "
            "unlimited use."
        ),
    ] = UNSET
    secret_id_ttl: Annotated[
        Duration | UnsetType,
        Meta(
            description="Duration in seconds after which the issued SecretID should expire. "
            "Defaults to 0, meaning no expiration."
        ),
    ] = UNSET
    local_secret_ids: Annotated[
        bool | UnsetType,
        Meta(
            description="If set, the secret IDs generated using this role will be cluster "
            "local. This can only be set during role creation and once set, it can't be reset "
            "later."
        ),
    ] = UNSET
    role_id: Annotated[
        str | UnsetType, Meta(description="Identifier of the role. Defaults to a UUID.")
    ] = UNSET


def _secret_id_fields(data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if "bind_secret_id" in data:
        changes["bind_secret_id"] = data["bind_secret_id"]
    for name in ("secret_id_bound_cidrs", "bound_cidr_list"):  # the second is deprecated
        if name in data:
            changes["secret_id_bound_cidrs"] = cidrs.validated(data[name], name)
            break
    if "secret_id_num_uses" in data:
        changes["secret_id_num_uses"] = non_negative(
            data["secret_id_num_uses"], "secret_id_num_uses"
        )
    if "secret_id_ttl" in data:
        changes["secret_id_ttl"] = data["secret_id_ttl"]
    if "local_secret_ids" in data:
        if not creating:
            raise BadRequest("local_secret_ids can only be modified during role creation")
        changes["local_secret_ids"] = data["local_secret_ids"]
    if "role_id" in data:
        changes["role_id"] = data["role_id"].strip()
        if not changes["role_id"]:
            raise BadRequest("invalid role_id supplied, or failed to generate a role_id")
    return changes


def apply_role(role: Role, fields: RoleWrite, *, creating: bool) -> tuple[Role, list[str]]:
    """`role` with the fields sent applied, and Vault's warnings. Raises BadRequest."""
    data = sent(fields)
    token, warnings = token_changes(data)
    changes = {**_secret_id_fields(data, creating=creating), **token}
    updated = msgspec.structs.replace(role, **changes)
    check_token_rules(updated)
    if not updated.has_constraint():
        raise BadRequest("at least one constraint should be enabled on the role")
    return updated, warnings
