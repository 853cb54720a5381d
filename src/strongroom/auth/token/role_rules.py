"""What a token role does to a creation request (Vault's handleCreateCommon, the role part):
its orphan, renewable, bound CIDRs, path and use limit; the lesser of its and the request's
period and explicit max TTL, with Vault's warnings; and its allowed and disallowed policies,
which bound the child itself rather than the parent's set. Every refusal is a 400 with
Vault's message.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from strongroom.auth.token.models import TokenRole
from strongroom.errors import BadRequest
from strongroom.logical.tokens import TokenEntry, TokenRequest, sanitise


def matches(patterns: tuple[str, ...], value: str) -> bool:
    """Exact or glob (`*` only, as Vault's StrListContainsGlob) membership."""
    return any(
        re.fullmatch(".*".join(re.escape(part) for part in p.split("*")), value) for p in patterns
    )


def _quoted(names: tuple[str, ...]) -> str:
    """A list as Go's %q prints a []string, as Vault's messages do."""
    return "[" + " ".join(f'"{n}"' for n in names) + "]"


def _policies(
    role: TokenRole, asked: tuple[str, ...], parent: TokenEntry, no_default: bool
) -> tuple[tuple[str, ...], bool]:
    """The child's policies within the role's bounds, and whether `default` was left out.
    Raises BadRequest naming the policies outside the role's."""
    add_default = not no_default and not role.token_no_default_policy
    add_default = add_default and not matches(
        (*role.disallowed_policies, *role.disallowed_policies_glob), "default"
    )

    def with_default(names: tuple[str, ...]) -> tuple[str, ...]:
        return sanitise((*names, "default")) if add_default and "root" not in names else names

    chosen = with_default(asked) if asked else ()
    if role.allowed_policies or role.allowed_policies_glob:
        allowed = with_default(role.allowed_policies)
        if not chosen:
            chosen = allowed
        elif not all(p in allowed or matches(role.allowed_policies_glob, p) for p in chosen):
            raise BadRequest(
                f"token policies ({_quoted(chosen)}) must be subset of the role's allowed "
                f"policies ({_quoted(allowed)}) or glob policies "
                f"({_quoted(role.allowed_policies_glob)})"
            )
    elif not chosen:
        chosen = with_default(sanitise(parent.policies))
    for policy in chosen:
        if policy in role.disallowed_policies or matches(role.disallowed_policies_glob, policy):
            raise BadRequest(f'token policy "{policy}" is disallowed by this role')
    return chosen, not add_default


def _lesser(asked: int, of_role: int, what: str, warnings: list[str]) -> int:
    """Vault takes the lesser of a request's and a role's period or explicit max TTL."""
    if not of_role:
        return asked
    if not asked:
        return of_role
    chosen = min(asked, of_role)
    warnings.append(
        f"{what} specified both during creation call and in role; using the lesser value of "
        f"{chosen} seconds"
    )
    return chosen


def with_role(
    request: TokenRequest, role: TokenRole, parent: TokenEntry, warnings: list[str]
) -> TokenRequest:
    """`request` as `role` shapes it; the lesser-value warnings are appended to `warnings`."""
    changes: dict[str, Any] = {
        "orphan": role.orphan,
        "renewable": request.renewable and role.renewable,
        "bound_cidrs": role.token_bound_cidrs,
        "path": f"auth/token/create/{role.name}"
        + (f"/{role.path_suffix}" if role.path_suffix else ""),
        "role": role.name,
        "num_uses": min(filter(None, (request.num_uses, role.token_num_uses)), default=0),
    }
    if request.type == "service":
        changes["explicit_max_ttl"] = _lesser(
            request.explicit_max_ttl, role.token_explicit_max_ttl, "Explicit max TTL", warnings
        )
        changes["period"] = _lesser(request.period, role.token_period, "Period", warnings)
    if role.bounds_policies:
        asked = sanitise(request.policies or ())
        policies, no_default = _policies(role, asked, parent, request.no_default_policy)
        changes.update(policies=policies, policies_vetted=True, no_default_policy=no_default)
    return dataclasses.replace(request, **changes)
