"""`auth/token/create`, `create-orphan` and `create/:role`: who may ask for what.

Vault's rules (`handleCreateCommon` in vault/token_store.go), in its order: a batch or
limited-use parent creates nothing; only a caller with root or `sudo` on the creating path
may choose a token's ID, create an orphan with `no_parent`, ask for a `period`, create in a
child namespace, or hand out policies outside its own set. A role may grant what its own
settings say (its policies, orphan, period) without sudo; that is what roles are for. Every
refusal is a 400 with Vault's message.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from strongroom.core.fields import (
    get_bool,
    get_duration,
    get_int,
    get_str,
    get_str_list,
    get_str_map,
)
from strongroom.core.request import Request, Response
from strongroom.core.token import scoped
from strongroom.core.token.entry import TokenEntry, TokenRole
from strongroom.core.token.issue import (
    TokenRequest,
    auth_block,
    check_parent,
    issue,
    refuse_batch_limits,
    sanitise,
    sudo_required,
)
from strongroom.errors import BadRequest, PermissionDenied

if TYPE_CHECKING:
    from strongroom.core.core import Core

_ROLE = msgspec.json.Decoder(TokenRole)
_CUSTOM_ID_WARNING = (
    "Supplying a custom ID for the token uses the weaker SHA1 hashing instead of the more "
    "secure SHA2-256 HMAC for token obfuscation. SHA1 hashed tokens on the wire leads to less "
    "secure lookups."
)
_DISPLAY_UNSAFE = re.compile(r"[^a-zA-Z0-9-]")


def _caller(req: Request) -> TokenEntry:
    if req.caller is None:
        raise PermissionDenied
    return req.caller


def _token_type(role: TokenRole | None, asked: str) -> Literal["service", "batch"]:
    if role is not None and role.token_type in ("service", "batch"):
        asked = role.token_type
    elif role is not None and role.token_type == "default-batch":  # noqa: S105 - a type
        asked = asked or "batch"
    if asked in ("", "service"):
        return "service"
    if asked == "batch":
        return "batch"
    raise BadRequest("invalid 'token_type' value")


def _check_entity_alias(role: TokenRole | None, data: Mapping[str, Any]) -> None:
    alias = get_str(data, "entity_alias").lower()
    if not alias:
        return
    if role is None:
        raise BadRequest("'entity_alias' is only allowed in combination with token role")
    if not _matches(role.allowed_entity_aliases, alias):
        raise BadRequest("invalid 'entity_alias' value")


def _matches(patterns: tuple[str, ...], value: str) -> bool:
    """Exact or glob (`*` only, as Vault's StrListContainsGlob) membership."""
    return any(
        re.fullmatch(".*".join(re.escape(part) for part in p.split("*")), value) for p in patterns
    )


def _display_name(data: Mapping[str, Any]) -> str:
    asked = get_str(data, "display_name")
    return _DISPLAY_UNSAFE.sub("-", asked).removesuffix("-") if asked else ""


def _quoted(names: tuple[str, ...] | list[str]) -> str:
    """A list as Go's %q prints a []string, as Vault's messages do."""
    return "[" + " ".join(f'"{n}"' for n in names) + "]"


def _role_policies(
    role: TokenRole, asked: tuple[str, ...], parent: TokenEntry, no_default: bool
) -> tuple[tuple[str, ...], bool]:
    """A role with allowed/disallowed policies bounds the child itself, not the parent's set.
    Returns the policies and whether `default` was left out."""
    add_default = not no_default and not role.token_no_default_policy
    add_default = add_default and not _matches(
        (*role.disallowed_policies, *role.disallowed_policies_glob), "default"
    )

    def with_default(names: tuple[str, ...]) -> tuple[str, ...]:
        return sanitise((*names, "default")) if add_default and "root" not in names else names

    chosen = with_default(asked) if asked else ()
    if role.allowed_policies or role.allowed_policies_glob:
        allowed = with_default(role.allowed_policies)
        if not chosen:
            chosen = allowed
        elif not all(p in allowed or _matches(role.allowed_policies_glob, p) for p in chosen):
            raise BadRequest(
                f"token policies ({_quoted(chosen)}) must be subset of the role's allowed "
                f"policies ({_quoted(allowed)}) or glob policies "
                f"({_quoted(role.allowed_policies_glob)})"
            )
    elif not chosen:
        chosen = with_default(sanitise(parent.policies))
    for policy in chosen:
        if policy in role.disallowed_policies or _matches(role.disallowed_policies_glob, policy):
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


def _refuse_unprivileged(req: Request, role: TokenRole | None) -> None:
    """What only root or sudo may ask for directly (a role's own settings need neither)."""
    if req.sudo:
        return
    if role is None and get_bool(req.data, "no_parent"):
        raise sudo_required("create orphan token")
    if get_duration(req.data, "period"):
        # A periodic token renews forever: minting one escapes every max TTL.
        raise sudo_required("create periodic token")


def _request(
    req: Request, parent: TokenEntry, role: TokenRole | None, orphan: bool
) -> TokenRequest:
    """The TokenRequest a creation call asks for, after Vault's privilege checks."""
    data = req.data
    kind = _token_type(role, get_str(data, "type"))
    num_uses, period = get_int(data, "num_uses"), get_duration(data, "period")
    explicit_max_ttl = get_duration(data, "explicit_max_ttl")
    if kind == "batch":  # (refused before any privilege check, as Vault does)
        refuse_batch_limits(explicit_max_ttl, num_uses, period)
    if num_uses < 0:
        raise BadRequest("number of uses cannot be negative")
    _check_entity_alias(role, data)
    _refuse_unprivileged(req, role)
    detached = orphan or (role is None and get_bool(data, "no_parent"))
    return TokenRequest(
        policies=tuple(get_str_list(data, "policies")) or None,
        meta=get_str_map(data, "meta") or None,
        display_name=_display_name(data),
        ttl=get_duration(data, "ttl"),
        explicit_max_ttl=explicit_max_ttl,
        period=period,
        num_uses=num_uses,
        renewable=get_bool(data, "renewable", default=True) and kind == "service",
        no_default_policy=get_bool(data, "no_default_policy"),
        orphan=detached,
        type=kind,
        bound_cidrs=() if detached else parent.bound_cidrs,
        token_id=get_str(data, "id") or None,
        path="auth/token/create-orphan" if orphan else "auth/token/create",
        sudo=req.sudo,
    )


def _with_role(
    request: TokenRequest, role: TokenRole, parent: TokenEntry, warnings: list[str]
) -> TokenRequest:
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
    bounded = (
        role.allowed_policies
        or role.disallowed_policies
        or role.allowed_policies_glob
        or role.disallowed_policies_glob
    )
    if bounded:
        asked = sanitise(request.policies or ())
        policies, no_default = _role_policies(role, asked, parent, request.no_default_policy)
        changes.update(policies=policies, policies_vetted=True, no_default_policy=no_default)
    return dataclasses.replace(request, **changes)


async def _create(
    core: Core, req: Request, *, orphan: bool = False, role: TokenRole | None = None
) -> Response:
    parent = _caller(req)
    check_parent(parent)
    request, warnings = _request(req, parent, role, orphan), list[str]()
    if role is not None:
        request = _with_role(request, role, parent, warnings)
    issued = await issue(core, request, parent)
    # Vault's order: the role's lesser-value warnings, the TTL caps, then the custom ID.
    warnings += issued.warnings
    if request.token_id is not None:
        warnings.append(_CUSTOM_ID_WARNING)
    return Response(auth=auth_block(issued), warnings=warnings or None)


async def create(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    return await _create(core, req)


async def create_orphan(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    return await _create(core, req, orphan=True)


async def create_with_role(core: Core, req: Request, params: Mapping[str, str]) -> Response:
    name = params["role"]
    blob = await scoped.roles(core).get(name.lower())
    if blob is None:
        raise BadRequest("unknown role")
    return await _create(core, req, role=_ROLE.decode(blob))
