"""`auth/token/create`, `create-orphan` and `create/:role_name`: who may ask for what
(api-docs/auth/token "Create token").

Vault's rules (`handleCreateCommon` in vault/token_store.go), in its order: a batch or
limited-use parent creates nothing; a batch token refuses limits before any privilege check;
only a caller with root or `sudo` on the creating path may choose a token's ID, create an
orphan with `no_parent`, ask for a `period`, create in a child namespace, or hand out
policies outside its own set (the last three are the core's, `core/token/issue.py`). A role
may grant what its own settings say (its policies, orphan, period) without sudo; that is what
roles are for, so `create/:role_name` ignores `no_parent`. Every refusal is a 400 with
Vault's message.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from strongroom.auth.token.context import TokenContext, caller
from strongroom.auth.token.models import TokenRole
from strongroom.auth.token.path_roles import RoleName, role
from strongroom.auth.token.role_rules import matches, with_role
from strongroom.errors import BadRequest
from strongroom.logical import Duration, Request, Response
from strongroom.logical.tokens import (
    TokenEntry,
    TokenRequest,
    auth_block,
    check_parent,
    refuse_batch_limits,
    sudo_required,
)

CREATE_SYNOPSIS = "The token create path is used to create new tokens."
ORPHAN_SYNOPSIS = "The token create path is used to create new orphan tokens."
ROLE_SYNOPSIS = "This token create path is used to create new tokens adhering to the given role."
_CUSTOM_ID_WARNING = (
    "Supplying a custom ID for the token uses the weaker SHA1 hashing instead of the more "
    "secure SHA2-256 HMAC for token obfuscation. SHA1 hashed tokens on the wire leads to less "
    "secure lookups."
)
_DISPLAY_UNSAFE = re.compile(r"[^a-zA-Z0-9-]")


class CreateFields(msgspec.Struct, frozen=True, kw_only=True):
    """The fields of every creation path (Vault's tokenCreateRequest)."""

    display_name: Annotated[str, Meta(description="Name to associate with this token")] = ""
    entity_alias: Annotated[
        str, Meta(description="Name of the entity alias to associate with this token")
    ] = ""
    explicit_max_ttl: Annotated[Duration, Meta(description="Explicit Max TTL of this token")] = 0
    id: Annotated[str, Meta(description="Value for the token")] = ""
    lease: Annotated[Duration, Meta(description="Use 'ttl' instead")] = 0
    meta: Annotated[
        dict[str, str],
        Meta(description="Arbitrary key=value metadata to associate with the token"),
    ] = {}
    no_default_policy: Annotated[
        bool, Meta(description="Do not include default policy for this token")
    ] = False
    no_parent: Annotated[bool, Meta(description="Create the token with no parent")] = False
    num_uses: Annotated[int, Meta(description="Max number of uses for this token")] = 0
    period: Annotated[Duration, Meta(description="Renew period")] = 0
    policies: Annotated[list[str], Meta(description="List of policies for the token")] = []
    renewable: Annotated[
        bool,
        Meta(
            description="Allow token to be renewed past its initial TTL up to system/mount "
            "maximum TTL"
        ),
    ] = True
    ttl: Annotated[Duration, Meta(description="Time to live for this token")] = 0
    type: Annotated[str, Meta(description="Token type")] = ""


class RoleCreateFields(CreateFields, frozen=True, kw_only=True):
    role_name: RoleName


def _token_type(found: TokenRole | None, asked: str) -> Literal["service", "batch"]:
    """The role's type wins; a `default-batch` role makes batch what does not ask."""
    if found is not None and found.token_type in ("service", "batch"):
        asked = found.token_type
    elif found is not None and found.token_type == "default-batch":  # noqa: S105 - a type
        asked = asked or "batch"
    if asked in ("", "service"):
        return "service"
    if asked == "batch":
        return "batch"
    raise BadRequest("invalid 'token_type' value")


def _check_entity_alias(found: TokenRole | None, asked: str) -> None:
    alias = asked.lower()
    if not alias:
        return
    if found is None:
        raise BadRequest("'entity_alias' is only allowed in combination with token role")
    if not matches(found.allowed_entity_aliases, alias):
        raise BadRequest("invalid 'entity_alias' value")


def _display_name(asked: str) -> str:
    return _DISPLAY_UNSAFE.sub("-", asked).removesuffix("-") if asked else ""


def _refuse_unprivileged(req: Request, fields: CreateFields, found: TokenRole | None) -> None:
    """What only root or sudo may ask for directly (a role's own settings need neither)."""
    if req.sudo:
        return
    if found is None and fields.no_parent:
        raise sudo_required("create orphan token")
    if fields.period:
        # A periodic token renews forever: minting one escapes every max TTL.
        raise sudo_required("create periodic token")


def _request(
    req: Request, fields: CreateFields, parent: TokenEntry, found: TokenRole | None, orphan: bool
) -> TokenRequest:
    """The TokenRequest a creation call asks for, after Vault's checks in Vault's order."""
    kind = _token_type(found, fields.type)
    if kind == "batch":  # (refused before any privilege check, as Vault does)
        refuse_batch_limits(fields.explicit_max_ttl, fields.num_uses, fields.period)
    if fields.num_uses < 0:
        raise BadRequest("number of uses cannot be negative")
    _check_entity_alias(found, fields.entity_alias)
    _refuse_unprivileged(req, fields, found)
    detached = orphan or (found is None and fields.no_parent)
    return TokenRequest(
        policies=tuple(fields.policies) or None,
        meta=fields.meta or None,
        display_name=_display_name(fields.display_name),
        ttl=fields.ttl or fields.lease,
        explicit_max_ttl=fields.explicit_max_ttl,
        period=fields.period,
        num_uses=fields.num_uses,
        renewable=fields.renewable and kind == "service",
        no_default_policy=fields.no_default_policy,
        orphan=detached,
        type=kind,
        bound_cidrs=() if detached else parent.bound_cidrs,
        token_id=fields.id or None,
        path="auth/token/create-orphan" if orphan else "auth/token/create",
        sudo=req.sudo,
    )


async def _create(
    ctx: TokenContext,
    req: Request,
    fields: CreateFields,
    *,
    orphan: bool = False,
    found: TokenRole | None = None,
) -> Response:
    parent = caller(req)
    check_parent(parent)
    request, warnings = _request(req, fields, parent, found, orphan), list[str]()
    if found is not None:
        request = with_role(request, found, parent, warnings)
    issued = await ctx.issue(request, parent)
    # Vault's order: the role's lesser-value warnings, the TTL caps, then the custom ID.
    warnings += issued.warnings
    if request.token_id is not None:
        warnings.append(_CUSTOM_ID_WARNING)
    return Response(auth=auth_block(issued), warnings=warnings or None)


async def create(ctx: TokenContext, req: Request, fields: CreateFields) -> Response:
    return await _create(ctx, req, fields)


async def create_orphan(ctx: TokenContext, req: Request, fields: CreateFields) -> Response:
    return await _create(ctx, req, fields, orphan=True)


async def create_with_role(ctx: TokenContext, req: Request, fields: RoleCreateFields) -> Response:
    """Raises BadRequest ("unknown role") if the role does not exist."""
    return await _create(ctx, req, fields, found=await role(ctx, fields.role_name))
