"""The `token_*` fields every auth method's roles share (Vault's sdk/helper/tokenutil; e.g.
api-docs/auth/approle "Create/Update AppRole", api-docs/auth/jwt "Create/Update Role",
api-docs/auth/kubernetes "Create/Update Role").

    TokenFields    the write-side declarations (UNSET defaults: only the fields sent change)
    TokenParams    what a stored role keeps of them (a base Struct of the role's model)
    token_changes  the changes a write makes, with Vault's warnings; check_token_rules after
    token_view     how a role read renders them
    login_of       the `Login` a role's token gets

Messages name the field, never the submitted value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from strongroom.bound_cidrs import network
from strongroom.core.login import Login
from strongroom.errors import BadRequest
from strongroom.logical.fields import UNSET, Duration, UnsetType

RoleTokenType = Literal["default", "service", "batch"]
BATCH: RoleTokenType = "batch"
_TOKEN_TYPES: dict[str, tuple[RoleTokenType, str | None]] = {
    "": ("default", None),
    "default": ("default", None),
    "service": ("service", None),
    "batch": ("batch", None),
    # Vault's backwards-compatibility case: accepted, adjusted, and warned about.
    "default-service": ("service", "default-service has no useful meaning; adjusting to service"),
    "default-batch": ("batch", "default-batch has no useful meaning; adjusting to batch"),
}


class TokenFields(msgspec.Struct, frozen=True, kw_only=True):
    """The token fields of a role write, as tokenutil.AddTokenFields declares them."""

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


class TokenParams(msgspec.Struct, frozen=True, kw_only=True):
    """The token settings a stored role keeps (tokenutil.TokenParams)."""

    token_policies: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()  # Vault's deprecated alias of token_policies
    token_ttl: int = 0
    token_max_ttl: int = 0
    token_explicit_max_ttl: int = 0
    token_num_uses: int = 0
    token_period: int = 0
    period: int = 0  # Vault's deprecated alias of token_period
    token_type: RoleTokenType = "default"  # noqa: S105 - a token type, not a secret
    token_bound_cidrs: tuple[str, ...] = ()
    token_no_default_policy: bool = False


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


def _policy_changes(data: Mapping[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if "token_policies" in data:
        changes["token_policies"] = tuple(data["token_policies"])
        # Setting the new field clears the legacy one unless both are given (tokenutil).
        changes["policies"] = changes["token_policies"] if "policies" in data else ()
    elif "policies" in data:
        changes["token_policies"] = sanitized_policies(data["policies"])
        changes["policies"] = changes["token_policies"]
    if "token_period" in data:
        changes["period"] = data["token_period"] if "period" in data else 0
    elif "period" in data:  # the deprecated field counts only without the new one
        changes["token_period"] = changes["period"] = data["period"]
    return changes


def token_changes(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The changes to a role's `TokenParams` of the fields sent (`data`, from `sent`), and
    Vault's warnings (tokenutil.ParseTokenFields). Raises BadRequest."""
    changes = _policy_changes(data)
    if "token_bound_cidrs" in data:
        changes["token_bound_cidrs"] = validated_cidrs(
            data["token_bound_cidrs"], "token_bound_cidrs"
        )
    for name in ("token_explicit_max_ttl", "token_max_ttl", "token_ttl"):
        if name in data:
            changes[name] = data[name]
    if "token_period" in data:
        changes["token_period"] = data["token_period"]
    if "token_no_default_policy" in data:
        changes["token_no_default_policy"] = data["token_no_default_policy"]
    if "token_num_uses" in data:
        changes["token_num_uses"] = non_negative(data["token_num_uses"], "token_num_uses")
    warnings: list[str] = []
    if "token_type" in data:
        chosen = _TOKEN_TYPES.get(data["token_type"])
        if chosen is None:
            raise BadRequest("invalid 'token_type' value")
        changes["token_type"] = chosen[0]
        warnings.extend([chosen[1]] if chosen[1] else [])
    return changes, warnings


def check_token_rules(params: TokenParams) -> None:
    """Vault's checks across the token fields of a role. Raises BadRequest."""
    if params.token_type == BATCH and params.token_period:
        raise BadRequest("'token_type' cannot be 'batch' when set to generate periodic tokens")
    if params.token_type == BATCH and params.token_num_uses:
        raise BadRequest(
            "'token_type' cannot be 'batch' when set to generate tokens with limited use count"
        )
    if params.token_ttl and params.token_max_ttl and params.token_ttl > params.token_max_ttl:
        raise BadRequest("'token_ttl' cannot be greater than 'token_max_ttl'")


def token_view(params: TokenParams) -> dict[str, Any]:
    """The token fields of a role read; the deprecated ones only when set, as in Vault."""
    data: dict[str, Any] = {
        "token_bound_cidrs": list(params.token_bound_cidrs),
        "token_explicit_max_ttl": params.token_explicit_max_ttl,
        "token_max_ttl": params.token_max_ttl,
        "token_no_default_policy": params.token_no_default_policy,
        "token_num_uses": params.token_num_uses,
        "token_period": params.token_period,
        "token_policies": list(params.token_policies),
        "token_ttl": params.token_ttl,
        "token_type": params.token_type,
    }
    if params.period:
        data["period"] = params.period
    if params.policies:
        data["policies"] = list(params.policies)
    return data


def login_of(params: TokenParams, **identity: Any) -> Login:  # noqa: ANN401 - Login's fields
    """The `Login` of a token with the role's settings; `identity` gives the method's own
    fields (display_name, metadata, alias_name, alias_metadata, group_aliases, internal)."""
    return Login(
        policies=params.token_policies,
        ttl=params.token_ttl,
        max_ttl=params.token_max_ttl,
        explicit_max_ttl=params.token_explicit_max_ttl,
        period=params.token_period,
        num_uses=params.token_num_uses,
        token_type=params.token_type,
        bound_cidrs=params.token_bound_cidrs,
        renewable=True,
        no_default_policy=params.token_no_default_policy,
        **identity,
    )
