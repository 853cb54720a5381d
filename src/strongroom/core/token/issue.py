"""Minting tokens: the rules that turn a parent, a request (or a log-in) and a role into an entry.

Vault's rules: policies are sanitised (lower-case, sorted, unique), `default` is added unless
refused, a non-root parent may only hand out a subset of its own policies, only root may choose
a token's ID, and batch tokens are never root, renewable, periodic or limited-use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from strongroom.core.token import batch
from strongroom.core.token.entry import IssuedToken, TokenEntry
from strongroom.core.token.store import new_accessor
from strongroom.core.token.ttl import initial
from strongroom.errors import BadRequest, PermissionDenied

if TYPE_CHECKING:
    from strongroom.core.core import Core


@dataclass(frozen=True, slots=True)
class TokenRequest:
    """Everything a new token may be asked to be; defaults are Vault's."""

    policies: tuple[str, ...] | None = None  # None: inherit the parent's
    meta: Mapping[str, str] | None = None
    display_name: str = ""
    ttl: int = 0
    explicit_max_ttl: int = 0
    period: int = 0
    num_uses: int = 0
    renewable: bool = True
    no_default_policy: bool = False
    orphan: bool = False
    type: Literal["service", "batch"] = "service"
    bound_cidrs: tuple[str, ...] = ()
    token_id: str | None = field(default=None, repr=False)
    path: str = "auth/token/create"
    role: str = ""
    internal: Mapping[str, str] = field(default_factory=dict)
    policies_vetted: bool = False  # a role already bounded the policies: skip the parent check
    max_ttl: int = 0  # a role's token_max_ttl: lowers the mount's maximum
    ttls: tuple[int, int] | None = None  # (default, max) of the issuing mount; None: auth/token


def sanitise(policies: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(sorted({p.strip().lower() for p in policies if p.strip()}))


def _policies(req: TokenRequest, parent: TokenEntry | None) -> tuple[str, ...]:
    if req.policies is None:
        chosen = parent.policies if parent is not None else ()
    else:
        chosen = sanitise(req.policies)
    if parent is not None and not parent.is_root and not req.policies_vetted:
        allowed = set(parent.policies) | {"default"}
        if not set(chosen) <= allowed:
            raise BadRequest("child policies must be subset of parent")
    if "root" not in chosen and not req.no_default_policy:
        chosen = sanitise((*chosen, "default"))
    if not chosen:
        raise BadRequest("token must have at least one policy")
    return chosen


def _check_batch(req: TokenRequest, policies: tuple[str, ...]) -> None:
    if req.type != "batch":
        return
    if "root" in policies:
        raise BadRequest("batch tokens cannot be root tokens")
    if req.period or req.explicit_max_ttl or req.num_uses:
        raise BadRequest("batch tokens cannot be periodic, limited-use or have an explicit max TTL")


async def issue(core: Core, req: TokenRequest, parent: TokenEntry | None) -> IssuedToken:
    """Mint a token under `parent` (None for an orphan). Raises BadRequest/PermissionDenied."""
    if req.token_id is not None and (parent is None or not parent.is_root):
        # (only a root caller may choose a token's value; it still becomes that caller's child)
        raise PermissionDenied("root or sudo privileges required to specify token id")
    if parent is not None and parent.type == "batch":
        raise BadRequest("batch tokens cannot create more tokens")
    policies = _policies(req, parent)
    _check_batch(req, policies)
    now = core.clock.now()
    default_ttl, max_ttl = req.ttls or core.mount_ttls("auth", "token/")
    if req.max_ttl:
        max_ttl = min(max_ttl, req.max_ttl)
    life = initial(
        now,
        ttl=req.ttl,
        explicit_max_ttl=req.explicit_max_ttl,
        period=req.period,
        default_ttl=default_ttl,
        max_ttl=max_ttl,
        root="root" in policies,
    )
    entry = TokenEntry(
        accessor="" if req.type == "batch" else new_accessor(),
        policies=policies,
        namespace=core.namespace_id,
        display_name=f"token-{req.display_name}" if req.display_name else "token",
        meta=dict(req.meta) if req.meta else None,
        creation_time=now,
        creation_ttl=life.ttl,
        expire_time=life.expire_time,
        max_expire=life.max_expire,
        explicit_max_ttl=req.explicit_max_ttl,
        period=req.period,
        num_uses=req.num_uses,
        parent="" if req.orphan or parent is None else parent.key,
        type=req.type,
        path=req.path,
        renewable=req.renewable and req.type == "service" and life.expire_time is not None,
        bound_cidrs=req.bound_cidrs,
        role=req.role,
        internal=dict(req.internal),
    )
    if req.type == "batch":
        return IssuedToken(await batch.seal(core.barrier, entry), entry)
    return await core.tokens.store.create(entry, req.token_id)


def auth_block(issued: IssuedToken, now: float) -> dict[str, Any]:
    """Vault's `auth` object for a new or renewed token."""
    entry = issued.entry
    return {
        "client_token": issued.token,
        "accessor": entry.accessor,
        "policies": list(entry.policies),
        "token_policies": list(entry.policies),
        "metadata": entry.meta,
        "lease_duration": entry.ttl_left(now),
        "renewable": entry.renewable,
        "entity_id": entry.entity_id,
        "token_type": entry.type,
        "orphan": entry.orphan,
        "mfa_requirement": None,
        "num_uses": entry.num_uses,
    }
