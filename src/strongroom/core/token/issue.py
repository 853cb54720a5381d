"""Minting tokens: the rules that turn a parent, a request (or a log-in) and a role into an entry.

Vault's rules (`handleCreateCommon`): policies are sanitised (lower-case, sorted, unique); a
child asking for none inherits its parent's; a parent without root or sudo on the creating path
may only hand out a subset of its own, and adds `default` only if it holds it; only root or sudo
may choose a token's ID or create in a child namespace; a batch or limited-use token creates
nothing; batch tokens are never root, renewable, periodic or limited-use.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from strongroom.core.token import batch
from strongroom.core.token.entry import IssuedToken, TokenEntry
from strongroom.core.token.store import new_accessor
from strongroom.core.token.ttl import initial, token_time
from strongroom.errors import BadRequest

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
    policies_vetted: bool = False  # bounded by a role or auth method, not by the parent's set
    sudo: bool = False  # the caller holds root or sudo on the creating path (Vault's isSudo)
    max_ttl: int = 0  # a role's token_max_ttl: lowers the mount's maximum
    ttls: tuple[int, int] | None = None  # (default, max) of the issuing mount; None: auth/token
    entity_id: str = ""  # the identity entity of a log-in


def sanitise(policies: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(sorted({p.strip().lower() for p in policies if p.strip()}))


# Policies Vault refuses to put on a token created through the token store.
_NOT_ASSIGNABLE = ("response-wrapping", "control-group")


def sudo_required(what: str) -> BadRequest:
    return BadRequest(f"root or sudo privileges required to {what}")


def _policies(req: TokenRequest, parent: TokenEntry | None) -> tuple[str, ...]:
    chosen, add_default = sanitise(req.policies or ()), True
    if parent is not None and not req.policies_vetted:
        if not chosen:
            chosen, add_default = parent.policies, False  # inherited as they are
        elif not req.sudo:
            if not set(chosen) <= set(parent.policies):
                raise BadRequest("child policies must be subset of parent")
            add_default = "default" in parent.policies
    if add_default and "root" not in chosen:
        chosen = sanitise((*chosen, "default"))
    if req.no_default_policy:
        chosen = tuple(p for p in chosen if p != "default")
    if not chosen:
        raise BadRequest("token must have at least one policy")
    return chosen


def check_parent(parent: TokenEntry) -> None:
    """Raises BadRequest if `parent` may create no tokens at all (Vault checks this first)."""
    if parent.type == "batch":
        raise BadRequest("batch tokens cannot create more tokens")
    if parent.num_uses:  # (it could otherwise escape its use count through children)
        raise BadRequest("restricted use token cannot generate child tokens")


def _check_parent(core: Core, req: TokenRequest, parent: TokenEntry) -> None:
    check_parent(parent)
    if core.namespace_id != parent.namespace:
        if not req.sudo:
            raise sudo_required("directly generate a token in a child namespace")
        if "root" in (req.policies or ()):
            raise BadRequest("root tokens may not be created from a parent namespace")
    if req.token_id is not None:
        if not req.sudo:
            raise sudo_required("specify token id")
        if core.namespace_id:
            raise BadRequest("token IDs can only be manually specified in the root namespace")


def _check_granted(policies: tuple[str, ...], parent: TokenEntry) -> None:
    for policy in policies:
        if policy in _NOT_ASSIGNABLE:
            raise BadRequest(f'cannot assign policy "{policy}"')
    if "root" in policies and not parent.is_root:
        # (sudo on the creating path is not enough: it would be an escalation to root)
        raise BadRequest("root tokens may not be created without parent token being root")


def _check_batch(req: TokenRequest, policies: tuple[str, ...]) -> None:
    if req.type != "batch":
        return
    if "root" in policies:
        raise BadRequest("batch tokens cannot be root tokens")
    refuse_batch_limits(req.explicit_max_ttl, req.num_uses, req.period)


def refuse_batch_limits(explicit_max_ttl: int, num_uses: int, period: int) -> None:
    """Raises BadRequest, naming the first, if a batch token is asked to have any of these."""
    for name, value in (
        ("explicit_max_ttl", explicit_max_ttl),
        ("num_uses", num_uses),
        ("period", period),
    ):
        if value:
            raise BadRequest(f'batch tokens cannot have "{name}" set')


async def issue(core: Core, req: TokenRequest, parent: TokenEntry | None) -> IssuedToken:
    """Mint a token under `parent` (None: minted by a log-in or for wrapping, never with a
    chosen ID). Raises BadRequest."""
    if parent is not None:
        _check_parent(core, req, parent)
    elif req.token_id is not None:
        raise sudo_required("specify token id")
    policies = _policies(req, parent)
    if parent is not None:
        _check_granted(policies, parent)
    _check_batch(req, policies)
    now = token_time(core.clock.now())
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
    if life.expire_time is None and parent is not None and parent.expire_time is not None:
        raise BadRequest("expiring root tokens cannot create non-expiring root tokens")
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
        period=life.period,
        num_uses=req.num_uses,
        parent="" if req.orphan or parent is None else parent.key,
        type=req.type,
        path=req.path,
        renewable=req.renewable and req.type == "service" and life.expire_time is not None,
        bound_cidrs=req.bound_cidrs,
        role=req.role,
        # A child acts for its parent's entity; an orphan for none (as OpenBao does).
        entity_id=req.entity_id or ("" if req.orphan or parent is None else parent.entity_id),
        internal=dict(req.internal),
    )
    warnings = () if life.warning is None else (life.warning,)
    if req.type == "batch":
        return IssuedToken(await batch.seal(core.barrier, entry), entry, warnings)
    issued = await core.tokens.store.create(entry, req.token_id)
    return dataclasses.replace(issued, warnings=warnings)


def auth_block(issued: IssuedToken, identity_policies: tuple[str, ...] = ()) -> dict[str, Any]:
    """Vault's `auth` object for a new or renewed token. `policies` joins the token's own and
    its entity's (`identity_policies`, present only when there are some, as OpenBao)."""
    entry = issued.entry
    block: dict[str, Any] = {
        "client_token": issued.token,
        "accessor": entry.accessor,
        "policies": sorted({*entry.policies, *identity_policies}),
        "token_policies": list(entry.policies),
        "metadata": entry.meta,
        "lease_duration": entry.granted_ttl(),
        "renewable": entry.renewable,
        "entity_id": entry.entity_id,
        "token_type": entry.type,
        "orphan": entry.orphan,
        "mfa_requirement": None,
        "num_uses": entry.num_uses,
    }
    if identity_policies:
        block["identity_policies"] = list(identity_policies)
    return block
