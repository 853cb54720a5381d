"""Role paths: `role/` (LIST) and `role/:name` (Vault's path_role.go; api-docs/auth/kubernetes
"Create Role", "Read Role", "List Roles", "Delete Role"). Only the fields sent change; the
`token_*` fields are `strongroom.logical.token_fields`'s. Names and namespaces are globs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.auth.kubernetes import render
from strongroom.auth.kubernetes.context import KubernetesContext, RoleName
from strongroom.auth.kubernetes.models import Role
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import (
    NO_CONTENT,
    UNSET,
    Duration,
    NoFields,
    Request,
    Response,
    UnsetType,
)
from strongroom.logical.fields import sent
from strongroom.logical.token_fields import TokenFieldsWrite, check_token_rules, token_changes

LIST_SYNOPSIS = "Lists all the roles registered with the backend."
ROLE_SYNOPSIS = "Register an role with the backend."
_SOURCES = ("serviceaccount_uid", "serviceaccount_name")


class RoleOnly(msgspec.Struct, frozen=True, kw_only=True):
    name: RoleName


class RoleWrite(TokenFieldsWrite, frozen=True, kw_only=True):
    name: RoleName
    bound_service_account_names: Annotated[
        list[str] | UnsetType,
        Meta(
            description=(
                'List of service account names able to access this role. If set to "*" all names '
                "are allowed."
            )
        ),
    ] = UNSET
    bound_service_account_namespaces: Annotated[
        list[str] | UnsetType,
        Meta(
            description=(
                'List of namespaces allowed to access this role. If set to "*" all namespaces are'
                " allowed."
            )
        ),
    ] = UNSET
    audience: Annotated[
        str | UnsetType, Meta(description="Optional Audience claim to verify in the jwt.")
    ] = UNSET
    # Deprecated unprefixed aliases of token_ttl, token_max_ttl, token_num_uses and
    # token_bound_cidrs, which clients such as hvac still send; the token_* field wins.
    ttl: Annotated[Duration | UnsetType, Meta(description='Use "token_ttl" instead.')] = UNSET
    max_ttl: Annotated[Duration | UnsetType, Meta(description='Use "token_max_ttl" instead.')] = (
        UNSET
    )
    num_uses: Annotated[int | UnsetType, Meta(description='Use "token_num_uses" instead.')] = UNSET
    bound_cidrs: Annotated[
        list[str] | UnsetType, Meta(description='Use "token_bound_cidrs" instead.')
    ] = UNSET
    alias_name_source: Annotated[
        str | UnsetType,
        Meta(
            description=(
                'Source to use when deriving the Alias name. valid choices: "serviceaccount_uid" '
                ": <token.uid> e.g. 474b11b5-0f20-4f9d-8ca5-65715ab325e0 (most secure choice) "
                '"serviceaccount_name" : <namespace>/<serviceaccount> e.g. vault/vault-agent '
                'default: "serviceaccount_uid"'
            )
        ),
    ] = UNSET


async def exists(ctx: KubernetesContext, captures: Mapping[str, str]) -> bool:
    return await ctx.store.role(captures["name"].lower()) is not None


async def list_roles(ctx: KubernetesContext, _req: Request, _fields: NoFields) -> Response:
    names = await ctx.store.role_names()
    if not names:
        raise NotFound
    return Response({"keys": names})


async def read_role(ctx: KubernetesContext, _req: Request, fields: RoleOnly) -> Response:
    role = await ctx.store.role(fields.name.lower())
    if role is None:
        raise NotFound
    return Response(render.role(role))


def _own_changes(data: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in ("bound_service_account_names", "bound_service_account_namespaces"):
        if name in data:
            changes[name] = tuple(v.strip() for v in data[name] if v.strip())
    if "audience" in data:
        changes["audience"] = data["audience"]
    if "alias_name_source" in data:
        if data["alias_name_source"] not in _SOURCES:
            raise BadRequest(
                "invalid alias_name_source, must be one of: serviceaccount_uid, serviceaccount_name"
            )
        changes["alias_name_source"] = data["alias_name_source"]
    return changes


_LEGACY = {
    "ttl": "token_ttl",
    "max_ttl": "token_max_ttl",
    "num_uses": "token_num_uses",
    "bound_cidrs": "token_bound_cidrs",
}


def apply_role(role: Role, fields: RoleWrite) -> tuple[Role, list[str]]:
    """`role` with the fields sent applied, and Vault's warnings. Raises BadRequest."""
    data = sent(fields)
    for old, new in _LEGACY.items():
        if old in data:
            data.setdefault(new, data.pop(old))
    token, warnings = token_changes(data)
    updated = msgspec.structs.replace(role, **_own_changes(data), **token)
    check_token_rules(updated)
    if not updated.bound_service_account_names:
        raise BadRequest('"bound_service_account_names" can not be empty')
    if not updated.bound_service_account_namespaces:
        raise BadRequest(
            '"bound_service_account_namespaces" can not be empty if '
            '"bound_service_account_namespace_selector" is not set'
        )
    return updated, warnings


async def write_role(ctx: KubernetesContext, _req: Request, fields: RoleWrite) -> Response:
    warnings = await ctx.store.write_role(
        fields.name.lower(), lambda found: apply_role(found or Role(), fields)
    )
    return Response(warnings=warnings) if warnings else NO_CONTENT


async def delete_role(ctx: KubernetesContext, _req: Request, fields: RoleOnly) -> Response:
    await ctx.store.delete_role(fields.name.lower())
    return NO_CONTENT
