"""Request fields of the AppRole role API, parsed with Vault's rules (api-docs/auth/approle,
"Create/Update AppRole", and the common token fields of sdk/helper/tokenutil).

On a write only the fields present change; a new role starts from Vault's defaults. Messages
name the field, never the submitted value.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Mapping
from typing import Any

import msgspec

from strongroom.auth.approle import cidrs
from strongroom.auth.approle.models import BATCH, Role, RoleTokenType
from strongroom.auth.approle.secret_ids import Draft
from strongroom.core.fields import get_bool, get_duration, get_int, get_str, get_str_list
from strongroom.errors import BadRequest

MAX_HMAC_INPUT = 4096  # Vault's maxHmacInputLength: role names and secret IDs are HMACed
_NOT_SUBSET = (
    "failed to verify subset relationship between CIDR blocks on the role and CIDR blocks on "
    "the secret ID"
)
_TOKEN_TYPES: dict[str, tuple[RoleTokenType, str | None]] = {
    "": ("default", None),
    "default": ("default", None),
    "service": ("service", None),
    "batch": ("batch", None),
    # Vault's backwards-compatibility case: accepted, adjusted, and warned about.
    "default-service": ("service", "default-service has no useful meaning; adjusting to service"),
    "default-batch": ("batch", "default-batch has no useful meaning; adjusting to batch"),
}


def present(data: Mapping[str, Any], name: str) -> bool:
    """Whether the request sets `name` (JSON null counts as absent, as in Vault)."""
    return data.get(name) is not None


def role_name(params: Mapping[str, str]) -> str:
    """The role name from the path, lower-cased as Vault stores every role created since 0.9."""
    name = params["role_name"].lower()
    if len(name) > MAX_HMAC_INPUT:
        raise BadRequest(f"role_name is longer than maximum of {MAX_HMAC_INPUT} bytes")
    return name


def non_negative(data: Mapping[str, Any], name: str) -> int:
    value = get_int(data, name)
    if value < 0:
        raise BadRequest(f"{name} cannot be negative")
    return value


def sanitized_policies(names: list[str]) -> tuple[str, ...]:
    """Vault's policyutil.ParsePolicies for the legacy `policies` field: trimmed, lower-cased,
    deduplicated and sorted; "root" stands alone."""
    cleaned = {n.strip().lower() for n in names} - {""}
    return ("root",) if "root" in cleaned else tuple(sorted(cleaned))


def _token_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """Changes to the `token_*` fields (tokenutil.ParseTokenFields)."""
    changes: dict[str, Any] = {}
    if present(data, "token_bound_cidrs"):
        blocks = get_str_list(data, "token_bound_cidrs")
        changes["token_bound_cidrs"] = cidrs.validated(blocks, "token_bound_cidrs")
    for name in ("token_explicit_max_ttl", "token_max_ttl", "token_period", "token_ttl"):
        if present(data, name):
            changes[name] = get_duration(data, name)
    if present(data, "token_no_default_policy"):
        changes["token_no_default_policy"] = get_bool(data, "token_no_default_policy")
    if present(data, "token_num_uses"):
        changes["token_num_uses"] = non_negative(data, "token_num_uses")
    if present(data, "token_policies"):
        changes["token_policies"] = tuple(get_str_list(data, "token_policies"))
        # Setting the new field clears the legacy one unless both are given (tokenutil).
        changes["policies"] = changes["token_policies"] if present(data, "policies") else ()
    elif present(data, "policies"):
        changes["token_policies"] = sanitized_policies(get_str_list(data, "policies"))
        changes["policies"] = changes["token_policies"]
    if present(data, "token_period"):
        changes["period"] = changes["token_period"] if present(data, "period") else 0
    elif present(data, "period"):  # the deprecated field counts only without the new one
        changes["token_period"] = changes["period"] = get_duration(data, "period")
    return changes


def _token_type(data: Mapping[str, Any]) -> tuple[RoleTokenType, str | None] | None:
    if not present(data, "token_type"):
        return None
    chosen = _TOKEN_TYPES.get(get_str(data, "token_type"))
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


def _secret_id_fields(data: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if present(data, "bind_secret_id"):
        changes["bind_secret_id"] = get_bool(data, "bind_secret_id")
    for name in ("secret_id_bound_cidrs", "bound_cidr_list"):  # the second is deprecated
        if present(data, name):
            blocks = get_str_list(data, name)
            changes["secret_id_bound_cidrs"] = cidrs.validated(blocks, name)
            break
    if present(data, "secret_id_num_uses"):
        changes["secret_id_num_uses"] = non_negative(data, "secret_id_num_uses")
    if present(data, "secret_id_ttl"):
        changes["secret_id_ttl"] = get_duration(data, "secret_id_ttl")
    if present(data, "local_secret_ids"):
        if not creating:
            raise BadRequest("local_secret_ids can only be modified during role creation")
        changes["local_secret_ids"] = get_bool(data, "local_secret_ids")
    if present(data, "role_id"):
        changes["role_id"] = get_str(data, "role_id").strip()
        if not changes["role_id"]:
            raise BadRequest("invalid role_id supplied, or failed to generate a role_id")
    return changes


def apply_role(role: Role, data: Mapping[str, Any], *, creating: bool) -> tuple[Role, list[str]]:
    """`role` with the fields of `data` applied, and Vault's warnings. Raises BadRequest."""
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


def _metadata_text(text: str) -> dict[str, str]:
    """Vault's strutil.ParseArbitraryKeyValues: base64 of either form, a JSON object of
    strings, or comma-separated `key=value` pairs."""
    # ValueError covers binascii.Error, UnicodeDecodeError and the refusal of non-ASCII text.
    with contextlib.suppress(ValueError):
        text = base64.b64decode(text, validate=True).decode()
    try:
        return msgspec.json.decode(text, type=dict[str, str])
    except msgspec.DecodeError:
        pass
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise BadRequest("failed to parse metadata: invalid <key,value> format")
        pairs[key.strip()] = value.strip()
    return pairs


def metadata(data: Mapping[str, Any]) -> dict[str, str]:
    """A secret ID's `metadata`: a string as Vault takes it, or (leniently) a JSON object."""
    value = data.get("metadata")
    if isinstance(value, dict):
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise BadRequest("failed to parse metadata: expected a map of strings")
        return dict(value)
    return _metadata_text(get_str(data, "metadata"))


def _narrowed(data: Mapping[str, Any], name: str, role_value: int) -> int:
    """A per-secret-ID `num_uses` or `ttl`: may narrow the role's limit, never lift it."""
    value = non_negative(data, name) if name == "num_uses" else get_duration(data, name)
    if role_value and (value == 0 or value > role_value):
        if name == "num_uses":
            raise BadRequest("num_uses cannot be higher than the role's secret_id_num_uses")
        raise BadRequest("ttl cannot be longer than the role's secret_id_ttl")
    return value


def draft(role: Role, data: Mapping[str, Any]) -> Draft:
    """The secret ID a `secret-id` or `custom-secret-id` request asks for. Raises BadRequest."""
    cidr_list = cidrs.validated(get_str_list(data, "cidr_list"), "cidr_list")
    if not cidrs.subset(cidr_list, role.secret_id_bound_cidrs):
        raise BadRequest(_NOT_SUBSET)
    token_cidrs = cidrs.validated(get_str_list(data, "token_bound_cidrs"), "token_bound_cidrs")
    if not cidrs.subset(token_cidrs, role.token_bound_cidrs):
        raise BadRequest(_NOT_SUBSET)
    uses = role.secret_id_num_uses
    ttl = role.secret_id_ttl
    return Draft(
        num_uses=_narrowed(data, "num_uses", uses) if present(data, "num_uses") else uses,
        ttl=_narrowed(data, "ttl", ttl) if present(data, "ttl") else ttl,
        metadata=metadata(data),
        cidr_list=cidr_list,
        token_bound_cidrs=token_cidrs,
    )
