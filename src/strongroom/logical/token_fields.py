"""The common token fields of every auth method's role or user (Vault's sdk/helper/tokenutil:
`token_policies`, `token_ttl`, `token_max_ttl`, ..., and the legacy `policies` and `period`),
declared once: the write fields, the stored settings, their rendering, and what a log-in hands
the core. AppRole roles, userpass users and the LDAP config each carry them.

On a write only the fields sent change; messages name the field, never the submitted value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from strongroom.bound_cidrs import validated
from strongroom.core.login import Login
from strongroom.errors import BadRequest
from strongroom.logical.fields import UNSET, Duration, UnsetType, sent

TokenTypeName = Literal["default", "service", "batch"]
BATCH: TokenTypeName = "batch"

_TOKEN_TYPES: dict[str, tuple[TokenTypeName, str | None]] = {
    "": ("default", None),
    "default": ("default", None),
    "service": ("service", None),
    "batch": ("batch", None),
    # Vault's backwards-compatibility case: accepted, adjusted, and warned about.
    "default-service": ("service", "default-service has no useful meaning; adjusting to service"),
    "default-batch": ("batch", "default-batch has no useful meaning; adjusting to batch"),
}


class TokenFieldsWrite(msgspec.Struct, frozen=True, kw_only=True):
    """The token fields of a write (tokenutil.AddTokenFields)."""

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


class TokenSettings(msgspec.Struct, frozen=True, kw_only=True):
    """The token fields as stored (tokenutil.TokenParams): TTLs in whole seconds."""

    token_policies: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()  # Vault's deprecated alias of token_policies
    token_ttl: int = 0
    token_max_ttl: int = 0
    token_explicit_max_ttl: int = 0
    token_num_uses: int = 0
    token_period: int = 0
    period: int = 0  # Vault's deprecated alias of token_period
    token_type: TokenTypeName = "default"  # noqa: S105 - a token type, not a secret
    token_bound_cidrs: tuple[str, ...] = ()
    token_no_default_policy: bool = False


def _non_negative(value: int, name: str) -> int:
    """Raises BadRequest if the count `name` is negative."""
    if value < 0:
        raise BadRequest(f"{name} cannot be negative")
    return value


def sanitized_policies(names: list[str]) -> tuple[str, ...]:
    """Vault's policyutil.ParsePolicies for the legacy `policies` field: trimmed, lower-cased,
    deduplicated and sorted; "root" stands alone."""
    cleaned = {n.strip().lower() for n in names} - {""}
    return ("root",) if "root" in cleaned else tuple(sorted(cleaned))


def _token_changes(data: Mapping[str, Any]) -> dict[str, Any]:
    """Changes to the `token_*` fields (tokenutil.ParseTokenFields)."""
    changes: dict[str, Any] = {}
    if "token_bound_cidrs" in data:
        changes["token_bound_cidrs"] = validated(data["token_bound_cidrs"], "token_bound_cidrs")
    for name in ("token_explicit_max_ttl", "token_max_ttl", "token_period", "token_ttl"):
        if name in data:
            changes[name] = data[name]
    if "token_no_default_policy" in data:
        changes["token_no_default_policy"] = data["token_no_default_policy"]
    if "token_num_uses" in data:
        changes["token_num_uses"] = _non_negative(data["token_num_uses"], "token_num_uses")
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


def _token_type(data: Mapping[str, Any]) -> tuple[TokenTypeName, str | None] | None:
    if "token_type" not in data:
        return None
    chosen = _TOKEN_TYPES.get(data["token_type"])
    if chosen is None:
        raise BadRequest("invalid 'token_type' value")
    return chosen


def check_token_rules(role: TokenSettings) -> None:
    """Raises BadRequest for the combinations Vault refuses."""
    batch = role.token_type == BATCH
    if batch and role.token_period:
        raise BadRequest("'token_type' cannot be 'batch' when set to generate periodic tokens")
    if batch and role.token_num_uses:
        raise BadRequest(
            "'token_type' cannot be 'batch' when set to generate tokens with limited use count"
        )
    if role.token_ttl and role.token_max_ttl and role.token_ttl > role.token_max_ttl:
        raise BadRequest("'token_ttl' cannot be greater than 'token_max_ttl'")


def token_field_changes(fields: TokenFieldsWrite) -> tuple[dict[str, Any], list[str]]:
    """The changes the token fields sent make (to a `TokenSettings`), and Vault's warnings.
    Raises BadRequest for a malformed one; `check_token_rules` then checks the result."""
    return token_changes(sent(fields))


def token_changes(data: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """`token_field_changes` of fields already taken from their Struct (`sent`), for a method
    that renames its deprecated fields first."""
    changes = _token_changes(data)
    warnings: list[str] = []
    chosen = _token_type(data)
    if chosen is not None:
        changes["token_type"] = chosen[0]
        if chosen[1] is not None:
            warnings.append(chosen[1])
    return changes, warnings


def render_token_fields(settings: TokenSettings) -> dict[str, Any]:
    """The token fields of a read (tokenutil.PopulateTokenData); the deprecated `period` and
    `policies` appear only when set, as in Vault."""
    data: dict[str, Any] = {
        "token_bound_cidrs": list(settings.token_bound_cidrs),
        "token_explicit_max_ttl": settings.token_explicit_max_ttl,
        "token_max_ttl": settings.token_max_ttl,
        "token_no_default_policy": settings.token_no_default_policy,
        "token_num_uses": settings.token_num_uses,
        "token_period": settings.token_period,
        "token_policies": list(settings.token_policies),
        "token_ttl": settings.token_ttl,
        "token_type": settings.token_type,
    }
    if settings.period:
        data["period"] = settings.period
    if settings.policies:
        data["policies"] = list(settings.policies)
    return data


@dataclass(frozen=True, slots=True)
class Identity:
    """Who logged in, as the method saw them: the rest of a `Login` besides the token fields."""

    display_name: str
    alias_name: str
    metadata: Mapping[str, str] = field(default_factory=dict)
    policies: tuple[str, ...] = ()  # joining the settings' token_policies (LDAP's groups)
    bound_cidrs: tuple[str, ...] | None = None  # None: the settings' token_bound_cidrs
    alias_metadata: Mapping[str, str] = field(default_factory=dict)
    group_aliases: tuple[str, ...] = ()
    internal: Mapping[str, str] = field(default_factory=dict)


def token_login(settings: TokenSettings, who: Identity) -> Login:
    """The `Login` a log-in under `settings` hands the core (tokenutil.PopulateTokenAuth)."""
    bound = settings.token_bound_cidrs if who.bound_cidrs is None else who.bound_cidrs
    return Login(
        policies=tuple(dict.fromkeys((*settings.token_policies, *who.policies))),
        display_name=who.display_name,
        metadata=who.metadata,
        ttl=settings.token_ttl,
        max_ttl=settings.token_max_ttl,
        explicit_max_ttl=settings.token_explicit_max_ttl,
        period=settings.token_period,
        num_uses=settings.token_num_uses,
        token_type=settings.token_type,
        bound_cidrs=bound,
        renewable=True,
        no_default_policy=settings.token_no_default_policy,
        alias_name=who.alias_name,
        alias_metadata=who.alias_metadata,
        group_aliases=who.group_aliases,
        internal=who.internal,
    )
