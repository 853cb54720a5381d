"""The fields of a role write (api-docs/auth/approle "Create/Update AppRole", and the common
token fields of sdk/helper/tokenutil), and how they change a role.

On a write only the fields sent change; a new role starts from Vault's defaults. Messages
name the field, never the submitted value.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.auth.approle import cidrs
from strongroom.auth.approle.context import RoleName, non_negative
from strongroom.auth.approle.models import BATCH, Role, RoleTokenType
from strongroom.errors import BadRequest
from strongroom.logical import UNSET, Duration, UnsetType
from strongroom.logical.fields import sent

_TOKEN_TYPES: dict[str, tuple[RoleTokenType, str | None]] = {
    "": ("default", None),
    "default": ("default", None),
    "service": ("service", None),
    "batch": ("batch", None),
    # Vault's backwards-compatibility case: accepted, adjusted, and warned about.
    "default-service": ("service", "default-service has no useful meaning; adjusting to service"),
    "default-batch": ("batch", "default-batch has no useful meaning; adjusting to batch"),
}


class RoleWrite(msgspec.Struct, frozen=True, kw_only=True):
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
    policies: Annotated[
        list[str] | UnsetType,
        Meta(
            description='Use "token_policies" instead. If this and "token_policies" are both '
            'specified, only "token_policies" will be used.'
        ),
    ] = UNSET
    period: Annotated[
        Duration | UnsetType,
        Meta(
            description='Use "token_period" instead. If this and "token_period" are both '
            'specified, only "token_period" will be used.'
        ),
    ] = UNSET
    token_bound_cidrs: Annotated[
        list[str] | UnsetType,
        Meta(
            description="Comma separated string or JSON list of CIDR blocks. If set, "
            "specifies the blocks of IP addresses which are allowed to use the generated token."
        ),
    ] = UNSET
    token_explicit_max_ttl: Annotated[
        Duration | UnsetType,
        Meta(
            description="If set, tokens created via this role carry an explicit maximum TTL. "
            "During renewal, the current maximum TTL values of the role and the mount are not "
            "checked for changes, and any updates to these values will have no effect on the "
            "token being renewed."
        ),
    ] = UNSET
    token_max_ttl: Annotated[
        Duration | UnsetType, Meta(description="The maximum lifetime of the generated token")
    ] = UNSET
    token_no_default_policy: Annotated[
        bool | UnsetType,
        Meta(
            description="If true, the 'default' policy will not automatically be added to "
            "generated tokens"
        ),
    ] = UNSET
    token_num_uses: Annotated[
        int | UnsetType,
        Meta(
            description="The maximum number of times a token may be used, a value of zero "
            "means unlimited"
        ),
    ] = UNSET
    token_period: Annotated[
        Duration | UnsetType,
        Meta(
            description="If set, tokens created via this role will have no max lifetime; "
            "instead, their renewal period will be fixed to this value. This takes an integer "
            'number of seconds, or a string duration (e.g. "24h").'
        ),
    ] = UNSET
    token_policies: Annotated[
        list[str] | UnsetType, Meta(description="Comma-separated list of policies")
    ] = UNSET
    token_ttl: Annotated[
        Duration | UnsetType, Meta(description="The initial ttl of the token to generate")
    ] = UNSET
    token_type: Annotated[
        str | UnsetType, Meta(description="The type of token to generate, service or batch")
    ] = UNSET


def sanitized_policies(names: list[str]) -> tuple[str, ...]:
    """Vault's policyutil.ParsePolicies for the legacy `policies` field: trimmed, lower-cased,
    deduplicated and sorted; "root" stands alone."""
    cleaned = {n.strip().lower() for n in names} - {""}
    return ("root",) if "root" in cleaned else tuple(sorted(cleaned))


def _token_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Changes to the `token_*` fields (tokenutil.ParseTokenFields)."""
    changes: dict[str, Any] = {}
    if "token_bound_cidrs" in data:
        changes["token_bound_cidrs"] = cidrs.validated(
            data["token_bound_cidrs"], "token_bound_cidrs"
        )
    for name in ("token_explicit_max_ttl", "token_max_ttl", "token_period", "token_ttl"):
        if name in data:
            changes[name] = data[name]
    if "token_no_default_policy" in data:
        changes["token_no_default_policy"] = data["token_no_default_policy"]
    if "token_num_uses" in data:
        changes["token_num_uses"] = non_negative(data["token_num_uses"], "token_num_uses")
    if "token_policies" in data:
        changes["token_policies"] = tuple(data["token_policies"])
        # Setting the new field clears the legacy one unless both are given (tokenutil).
        changes["policies"] = changes["token_policies"] if "policies" in data else ()
    elif "policies" in data:
        changes["token_policies"] = sanitized_policies(data["policies"])
        changes["policies"] = changes["token_policies"]
    if "token_period" in data:
        changes["period"] = changes["token_period"] if "period" in data else 0
    elif "period" in data:  # the deprecated field counts only without the new one
        changes["token_period"] = changes["period"] = data["period"]
    return changes


def _token_type(data: dict[str, Any]) -> tuple[RoleTokenType, str | None] | None:
    if "token_type" not in data:
        return None
    chosen = _TOKEN_TYPES.get(data["token_type"])
    if chosen is None:
        raise BadRequest("invalid 'token_type' value")
    return chosen


def _check_token_rules(role: Role) -> None:
    if role.token_type == BATCH and role.token_period:
        raise BadRequest("'token_type' cannot be 'batch' when set to generate periodic tokens")
    if role.token_type == BATCH and role.token_num_uses:
        raise BadRequest(
            "'token_type' cannot be 'batch' when set to generate tokens with limited use count"
        )
    if role.token_ttl and role.token_max_ttl and role.token_ttl > role.token_max_ttl:
        raise BadRequest("'token_ttl' cannot be greater than 'token_max_ttl'")


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
    warnings: list[str] = []
    changes = {**_secret_id_fields(data, creating=creating), **_token_fields(data)}
    chosen = _token_type(data)
    if chosen is not None:
        changes["token_type"] = chosen[0]
        if chosen[1] is not None:
            warnings.append(chosen[1])
    updated = msgspec.structs.replace(role, **changes)
    _check_token_rules(updated)
    if not updated.has_constraint():
        raise BadRequest("at least one constraint should be enabled on the role")
    return updated, warnings
