"""`auth/token/roles/` and `auth/token/roles/:role_name` (Vault's token_store.go
pathTokenRoles; api-docs/auth/token "List token roles", "Read token role", "Create/Update
token role", "Delete token role").

A write changes only the fields sent; a new role starts from Vault's defaults (renewable, a
`default-service` token type). Vault's deprecated `period`, `explicit_max_ttl` and
`bound_cidrs` are read when their `token_` names are not sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.auth.token import render
from strongroom.auth.token.context import TokenContext
from strongroom.auth.token.models import ROLE_CODEC, TokenRole
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, UNSET, Duration, NoFields, Request, Response, UnsetType
from strongroom.logical.fields import sent
from strongroom.logical.tokens import sanitise

LIST_SYNOPSIS = "This endpoint lists configured roles."
ROLE_SYNOPSIS = "This endpoint allows creating, reading, and deleting roles."
# A role's `token_type`: what it may be sent as, and what it is kept as.
_TOKEN_TYPES = {
    "service": "service",
    "batch": "batch",
    "default": "default-service",
    "default-service": "default-service",
    "default-batch": "default-batch",
}
_DEPRECATED = {
    "period": "token_period",
    "explicit_max_ttl": "token_explicit_max_ttl",
    "bound_cidrs": "token_bound_cidrs",
}
_LISTS_OF_POLICIES = (
    "allowed_policies",
    "disallowed_policies",
    "allowed_policies_glob",
    "disallowed_policies_glob",
)
RoleName = Annotated[str, Meta(description="Name of the role")]


def _doc(text: str) -> Meta:
    return Meta(description=text)


class RoleOnly(msgspec.Struct, frozen=True, kw_only=True):
    role_name: RoleName


class RoleWrite(msgspec.Struct, frozen=True, kw_only=True):
    role_name: RoleName
    allowed_policies: Annotated[
        list[str] | UnsetType,
        _doc(
            "If set, tokens can be created with any subset of the policies in this list, "
            "rather than the normal semantics of tokens being a subset of the calling token's "
            "policies. The parameter is a comma-delimited string of policy names."
        ),
    ] = UNSET
    disallowed_policies: Annotated[
        list[str] | UnsetType,
        _doc(
            "If set, successful token creation via this role will require that no policies in "
            "the given list are requested. The parameter is a comma-delimited string of policy "
            "names."
        ),
    ] = UNSET
    allowed_policies_glob: Annotated[
        list[str] | UnsetType,
        _doc(
            "If set, tokens can be created with any subset of glob matched policies in this "
            "list, rather than the normal semantics of tokens being a subset of the calling "
            "token's policies. The parameter is a comma-delimited string of policy name globs."
        ),
    ] = UNSET
    disallowed_policies_glob: Annotated[
        list[str] | UnsetType,
        _doc(
            "If set, successful token creation via this role will require that no requested "
            "policies glob match any of policies in this list. The parameter is a "
            "comma-delimited string of policy name globs."
        ),
    ] = UNSET
    allowed_entity_aliases: Annotated[
        list[str] | UnsetType,
        _doc(
            "String or JSON list of allowed entity aliases. If set, specifies the entity "
            "aliases which are allowed to be used during token generation. This field "
            "supports globbing."
        ),
    ] = UNSET
    orphan: Annotated[
        bool | UnsetType,
        _doc("If true, tokens created via this role will be orphan tokens (have no parent)"),
    ] = UNSET
    renewable: Annotated[
        bool | UnsetType,
        _doc(
            "Tokens created via this role will be renewable or not according to this value. "
            'Defaults to "true".'
        ),
    ] = UNSET
    path_suffix: Annotated[
        str | UnsetType,
        _doc(
            "If set, tokens created via this role will contain the given suffix as a part of "
            "their path. This can be used to assist use of the 'revoke-prefix' endpoint later "
            "on."
        ),
    ] = UNSET
    token_type: Annotated[
        str | UnsetType, _doc("The type of token to generate, service or batch")
    ] = UNSET
    token_bound_cidrs: Annotated[
        list[str] | UnsetType,
        _doc(
            "Comma separated string or JSON list of CIDR blocks. If set, specifies the blocks "
            "of IP addresses which are allowed to use the generated token."
        ),
    ] = UNSET
    token_explicit_max_ttl: Annotated[
        Duration | UnsetType,
        _doc(
            "If set, tokens created via this role carry an explicit maximum TTL. During "
            "renewal, the current maximum TTL values of the role and the mount are not "
            "checked for changes, and any updates to these values will have no effect on the "
            "token being renewed."
        ),
    ] = UNSET
    token_period: Annotated[
        Duration | UnsetType,
        _doc(
            "If set, tokens created via this role will have no max lifetime; instead, their "
            "renewal period will be fixed to this value. This takes an integer number of "
            'seconds, or a string duration (e.g. "24h").'
        ),
    ] = UNSET
    token_no_default_policy: Annotated[
        bool | UnsetType,
        _doc("If true, the 'default' policy will not automatically be added to generated tokens"),
    ] = UNSET
    token_num_uses: Annotated[
        int | UnsetType,
        _doc("The maximum number of times a token may be used, a value of zero means unlimited"),
    ] = UNSET
    bound_cidrs: Annotated[list[str] | UnsetType, _doc("Use 'token_bound_cidrs' instead.")] = UNSET
    explicit_max_ttl: Annotated[
        Duration | UnsetType, _doc("Use 'token_explicit_max_ttl' instead.")
    ] = UNSET
    period: Annotated[Duration | UnsetType, _doc("Use 'token_period' instead.")] = UNSET


def _role_name(captured: str) -> str:
    return captured.lower()  # Vault keeps every role created since 0.9 lower-cased


async def _read(ctx: TokenContext, name: str) -> TokenRole | None:
    blob = await ctx.roles.get(name)
    return None if blob is None else ROLE_CODEC.decode(blob)


async def exists(ctx: TokenContext, captures: Mapping[str, str]) -> bool:
    """Whether a write to `roles/:role_name` updates (True) or creates the role."""
    return await ctx.roles.get(_role_name(captures["role_name"])) is not None


def _changes(fields: RoleWrite) -> dict[str, Any]:
    """The role's fields that `fields` sends, under the role's names. Raises BadRequest for
    a token type Vault does not know."""
    changes = sent(fields)
    del changes["role_name"]
    for old, new in _DEPRECATED.items():
        if old in changes:
            changes.setdefault(new, changes.pop(old))
    for name, value in changes.items():
        if isinstance(value, list):
            changes[name] = sanitise(value) if name in _LISTS_OF_POLICIES else tuple(value)
    if "token_type" in changes:
        kind = _TOKEN_TYPES.get(changes["token_type"])
        if kind is None:
            raise BadRequest("invalid 'token_type' value")
        changes["token_type"] = kind
    return changes


def _check_batch_role(role: TokenRole) -> None:
    """A batch role must not promise what batch tokens cannot be (Vault's role write checks)."""
    if role.token_type != "batch":  # noqa: S105 - a token type
        return
    for broken, what in (
        (not role.orphan, "non-orphan tokens"),
        (role.token_period, "periodic tokens"),
        (role.renewable, "renewable tokens"),
        (role.token_explicit_max_ttl, "tokens with an explicit max TTL"),
    ):
        if broken:
            raise BadRequest(f"'token_type' cannot be 'batch' when role is set to generate {what}")


async def write_role(ctx: TokenContext, _req: Request, fields: RoleWrite) -> Response:
    """Create the role or change the fields sent. Raises BadRequest as Vault's checks do."""
    name, changes = _role_name(fields.role_name), _changes(fields)

    def changed(found: TokenRole | None) -> TokenRole:
        role = msgspec.structs.replace(found or TokenRole(name=name), **changes)
        _check_batch_role(role)
        return role

    # A checked write: two writers of different fields both keep their change.
    await ctx.roles.update(name, ROLE_CODEC.decode, changed, encode=msgspec.json.encode)
    return NO_CONTENT


async def read_role(ctx: TokenContext, _req: Request, fields: RoleOnly) -> Response:
    found = await _read(ctx, _role_name(fields.role_name))
    if found is None:
        raise NotFound
    return Response(render.role(found))


async def delete_role(ctx: TokenContext, _req: Request, fields: RoleOnly) -> Response:
    await ctx.roles.delete(_role_name(fields.role_name))
    return NO_CONTENT


async def list_roles(ctx: TokenContext, _req: Request, _fields: NoFields) -> Response:
    """The namespace's role names; none is a 404, as Vault's empty LIST."""
    keys = await ctx.roles.list("")
    if not keys:
        raise NotFound
    return Response({"keys": keys})


async def role(ctx: TokenContext, captured: str) -> TokenRole:
    """The role `create/:role_name` names. Raises BadRequest ("unknown role", without the
    name: OpenBao echoes it) if there is none."""
    found = await _read(ctx, _role_name(captured))
    if found is None:
        raise BadRequest("unknown role")
    return found
