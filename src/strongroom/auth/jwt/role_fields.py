"""The fields of a role write (Vault's path_role.go; api-docs/auth/jwt "Create/Update Role";
the `token_*` fields are `strongroom.logical.token_fields`'s) and how they change a role.

Only the fields sent change, with Vault's one exception: `role_type` is "oidc" whenever a
write leaves it out. Messages name the field, never the submitted value.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.auth.jwt.context import RoleName
from strongroom.auth.jwt.models import Role
from strongroom.errors import BadRequest
from strongroom.logical import UNSET, Duration, UnsetType
from strongroom.logical.fields import DURATION, convert, sent
from strongroom.logical.token_fields import TokenFieldsWrite, check_token_rules, token_changes

_LISTS = ("bound_audiences", "allowed_redirect_uris", "oidc_scopes")
_PLAIN = (
    "user_claim",
    "user_claim_json_pointer",
    "bound_subject",
    "groups_claim",
    "max_age",
    "verbose_oidc_logging",
)
_LEEWAYS = ("clock_skew_leeway", "expiration_leeway", "not_before_leeway")


class RoleWrite(TokenFieldsWrite, frozen=True, kw_only=True):
    name: RoleName
    role_type: Annotated[
        str | UnsetType, Meta(description="Type of the role, either 'jwt' or 'oidc'.")
    ] = UNSET
    bound_audiences: Annotated[
        list[str] | UnsetType,
        Meta(
            description=(
                "Comma-separated list of 'aud' claims that are valid for login; any match"
                " is sufficient"
            )
        ),
    ] = UNSET
    user_claim: Annotated[
        str | UnsetType, Meta(description="The claim to use for the Identity entity alias name")
    ] = UNSET
    user_claim_json_pointer: Annotated[
        bool | UnsetType,
        Meta(
            description=(
                "If true, the user_claim value will use JSON pointer syntax for referencing claims."
            )
        ),
    ] = UNSET
    bound_subject: Annotated[
        str | UnsetType, Meta(description="The 'sub' claim that is valid for login. Optional.")
    ] = UNSET
    bound_claims: Annotated[
        dict[str, Any] | UnsetType,
        Meta(description="Map of claims/values which must match for login"),
    ] = UNSET
    bound_claims_type: Annotated[
        str | UnsetType,
        Meta(
            description=(
                "How to interpret values in the map of claims/values (which must match "
                "for login): allowed values are 'string' or 'glob'"
            )
        ),
    ] = UNSET
    claim_mappings: Annotated[
        dict[str, str] | UnsetType,
        Meta(
            description="Mappings of claims (key) that will be copied to a metadata field (value)"
        ),
    ] = UNSET
    groups_claim: Annotated[
        str | UnsetType, Meta(description="The claim to use for the Identity group alias names")
    ] = UNSET
    clock_skew_leeway: Annotated[
        str | UnsetType,
        Meta(
            description=(
                "Duration in seconds of leeway when validating all claims to account for "
                "clock skew. Defaults to 60 (1 minute) if set to 0 and can be disabled if"
                " set to -1."
            )
        ),
    ] = UNSET
    expiration_leeway: Annotated[
        str | UnsetType,
        Meta(
            description=(
                "Duration in seconds of leeway when validating expiration of a token to "
                "account for clock skew. Defaults to 0 and can be disabled if set to -1."
            )
        ),
    ] = UNSET
    not_before_leeway: Annotated[
        str | UnsetType,
        Meta(
            description=(
                "Duration in seconds of leeway when validating not before values of a "
                "token to account for clock skew. Defaults to 0 and can be disabled if "
                "set to -1."
            )
        ),
    ] = UNSET
    allowed_redirect_uris: Annotated[
        list[str] | UnsetType,
        Meta(description="Comma-separated list of allowed values for redirect_uri"),
    ] = UNSET
    oidc_scopes: Annotated[
        list[str] | UnsetType, Meta(description="Comma-separated list of OIDC scopes")
    ] = UNSET
    max_age: Annotated[
        Duration | UnsetType,
        Meta(
            description=(
                "Specifies the allowable elapsed time in seconds since the last time the "
                "user was actively authenticated."
            )
        ),
    ] = UNSET
    verbose_oidc_logging: Annotated[
        bool | UnsetType,
        Meta(
            description=(
                "Log received OIDC tokens and claims when debug-level logging is active. "
                "Not recommended in production since sensitive information may be present"
                " in OIDC responses."
            )
        ),
    ] = UNSET


def _leeway(data: dict[str, Any], name: str) -> int:
    """A duration in seconds, or -1 for none (which a plain duration field refuses)."""
    if str(data[name]).strip() == "-1":
        return -1
    return int(convert(data, name, DURATION, 0))


def _bound_claims(value: dict[str, Any], *, globbed: bool) -> dict[str, Any]:
    for bound in value.values():
        items = bound if isinstance(bound, list) else [bound]
        if globbed and not all(isinstance(item, str) for item in items):
            raise BadRequest("claim is not a string")
        if any(isinstance(item, dict | list) for item in items):
            raise BadRequest("unsupported type in bound_claims")
    return value


def _claim_mappings(value: dict[str, str]) -> dict[str, str]:
    targets: set[str] = set()
    for target in value.values():
        if target in targets:
            raise BadRequest("multiple keys are mapped to the same metadata key")
        if target == "role":
            raise BadRequest('metadata key "role" is reserved')
        targets.add(target)
    return value


def _own_changes(data: dict[str, Any], role: Role) -> dict[str, Any]:
    changes: dict[str, Any] = {"role_type": data.get("role_type") or "oidc"}
    if changes["role_type"] not in ("jwt", "oidc"):
        raise BadRequest("invalid 'role_type'")
    changes.update({n: tuple(s.strip() for s in data[n] if s.strip()) for n in _LISTS if n in data})
    changes.update({n: data[n] for n in _PLAIN if n in data})
    changes.update({name: _leeway(data, name) for name in _LEEWAYS if name in data})
    claims_type = data.get("bound_claims_type", role.bound_claims_type) or "string"
    if claims_type not in ("string", "glob"):
        raise BadRequest("invalid 'bound_claims_type'")
    changes["bound_claims_type"] = claims_type
    bound = data.get("bound_claims", role.bound_claims)
    if bound is not None:
        changes["bound_claims"] = _bound_claims(bound, globbed=claims_type == "glob") or None
    if "claim_mappings" in data:
        changes["claim_mappings"] = _claim_mappings(data["claim_mappings"]) or None
    return changes


def _check_role(role: Role) -> None:
    check_token_rules(role)
    if role.role_type == "oidc" and not role.allowed_redirect_uris:
        raise BadRequest(
            "'allowed_redirect_uris' must be set if 'role_type' is 'oidc' or unspecified."
        )
    if role.role_type == "jwt" and not (
        role.bound_audiences or role.bound_subject or role.bound_claims or role.token_bound_cidrs
    ):
        raise BadRequest("must have at least one bound constraint when creating/updating a role")
    if not role.user_claim:
        raise BadRequest("a user claim must be defined on the role")


def apply_role(role: Role, fields: RoleWrite) -> tuple[Role, list[str]]:
    """`role` with the fields sent applied, and Vault's warnings. Raises BadRequest."""
    data = sent(fields)
    token, warnings = token_changes(data)
    updated = msgspec.structs.replace(role, **_own_changes(data, role), **token)
    _check_role(updated)
    return updated, warnings
