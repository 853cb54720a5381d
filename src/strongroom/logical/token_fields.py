"""The token fields every auth method's role takes (Vault's sdk/helper/tokenutil: `token_*`,
with the deprecated `policies` and `period`), and how a write changes them.

A role's Struct of fields inherits `TokenWrite`; `token_changes` turns the fields sent into
the changes of the stored role (whose attributes carry the same names), and
`check_token_rules` refuses the combinations Vault refuses. Messages name the field, never
the submitted value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal, Protocol

import msgspec
from msgspec import Meta

from strongroom.bound_cidrs import network
from strongroom.errors import BadRequest
from strongroom.logical.fields import UNSET, Duration, UnsetType

__all__ = [
    "RoleTokenType",
    "TokenWrite",
    "check_token_rules",
    "non_negative",
    "sanitized_policies",
    "token_changes",
    "token_type_choice",
    "validated_cidrs",
]

RoleTokenType = Literal["default", "service", "batch"]
BATCH: RoleTokenType = "batch"
DEFAULT_TYPE: RoleTokenType = "default"
_TOKEN_TYPES: dict[str, tuple[RoleTokenType, str | None]] = {
    "": ("default", None),
    "default": ("default", None),
    "service": ("service", None),
    "batch": ("batch", None),
    # Vault's backwards-compatibility case: accepted, adjusted, and warned about.
    "default-service": ("service", "default-service has no useful meaning; adjusting to service"),
    "default-batch": ("batch", "default-batch has no useful meaning; adjusting to batch"),
}


class TokenWrite(msgspec.Struct, frozen=True, kw_only=True):
    """The token fields of a role write (tokenutil.AddTokenFields)."""

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


class TokenSettings(Protocol):
    """What `check_token_rules` reads of a stored role."""

    @property
    def token_type(self) -> RoleTokenType: ...
    @property
    def token_period(self) -> int: ...
    @property
    def token_num_uses(self) -> int: ...
    @property
    def token_ttl(self) -> int: ...
    @property
    def token_max_ttl(self) -> int: ...


def non_negative(value: int, name: str) -> int:
    """Raises BadRequest if the count `name` is negative."""
    if value < 0:
        raise BadRequest(f"{name} cannot be negative")
    return value


def validated_cidrs(blocks: Iterable[str], field: str) -> tuple[str, ...]:
    """`blocks`, stripped, once each parses. Raises BadRequest naming `field`, not the value."""
    kept = tuple(b.strip() for b in blocks if b.strip())
    try:
        for block in kept:
            network(block)
    except ValueError:
        raise BadRequest(f'failed to validate CIDR blocks in field "{field}"') from None
    return kept


def sanitized_policies(names: list[str]) -> tuple[str, ...]:
    """Vault's policyutil.ParsePolicies for the legacy `policies` field: trimmed, lower-cased,
    deduplicated and sorted; "root" stands alone."""
    cleaned = {n.strip().lower() for n in names} - {""}
    return ("root",) if "root" in cleaned else tuple(sorted(cleaned))


def token_changes(data: dict[str, Any]) -> dict[str, Any]:
    """Changes to the `token_*` fields of a role from the fields sent (ParseTokenFields)."""
    changes: dict[str, Any] = {}
    if "token_bound_cidrs" in data:
        changes["token_bound_cidrs"] = validated_cidrs(
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


def token_type_choice(data: dict[str, Any]) -> tuple[RoleTokenType, str | None] | None:
    """The token type sent and Vault's warning for it, or None if none was sent. Raises
    BadRequest for an unknown type."""
    if "token_type" not in data:
        return None
    chosen = _TOKEN_TYPES.get(data["token_type"])
    if chosen is None:
        raise BadRequest("invalid 'token_type' value")
    return chosen


def check_token_rules(role: TokenSettings) -> None:
    """Raises BadRequest for the token settings Vault refuses together."""
    if role.token_type == BATCH and role.token_period:
        raise BadRequest("'token_type' cannot be 'batch' when set to generate periodic tokens")
    if role.token_type == BATCH and role.token_num_uses:
        raise BadRequest(
            "'token_type' cannot be 'batch' when set to generate tokens with limited use count"
        )
    if role.token_ttl and role.token_max_ttl and role.token_ttl > role.token_max_ttl:
        raise BadRequest("'token_ttl' cannot be greater than 'token_max_ttl'")
