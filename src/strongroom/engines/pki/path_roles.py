"""`roles/:name` (read, write, patch, delete) and LIST `roles` (api-docs/secret/pki#create-
update-role). A POST sets every field (one not sent takes Vault's default); a PATCH changes only
the fields sent.
"""

from __future__ import annotations

import typing
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.pki import certs, keys
from strongroom.engines.pki.context import PkiContext
from strongroom.engines.pki.models import Role
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, UNSET, Duration, Request, Response, UnsetType

ROLE_SYNOPSIS = "Manage the roles that can be created with this backend."
LIST_SYNOPSIS = "List the existing roles in this backend."
NO_DEFAULT_WARNING = (
    "Issuing Certificate was set to default, but no default issuing certificate "
    "(configurable at /config/issuers) is currently set"
)
DURATIONS = frozenset({"ttl", "max_ttl", "not_before_duration"})
# A role's `key_type` may also be `any` (sign only: the CSR's key decides).
ROLE_KEY_TYPES = ("rsa", "ec", "ed25519", "any")


class RoleName(msgspec.Struct, frozen=True, kw_only=True):
    name: Annotated[str, Meta(description="Name of the role.")]


class RoleList(msgspec.Struct, frozen=True, kw_only=True):
    pass


def _write_struct() -> type[msgspec.Struct]:
    """The fields of a role write: every Role field, each UNSET unless sent (typed as the
    Role's own, durations as Vault's TypeDurationSecond)."""
    hints = typing.get_type_hints(Role)
    fields: list[tuple[str, Any, Any]] = [
        ("name", Annotated[str, Meta(description="Name of the role.")], msgspec.NODEFAULT)
    ]
    for info in msgspec.structs.fields(Role):
        kind: Any = Duration if info.name in DURATIONS else hints[info.name]
        described = Annotated[kind, Meta(description=f"The role's {info.name}.")]
        fields.append((info.name, described | UnsetType, UNSET))
    return msgspec.defstruct("RoleWrite", fields, frozen=True, kw_only=True)


RoleWrite = _write_struct()


def _checked(role: Role) -> Role:
    """Raises BadRequest for settings Vault refuses at write time."""
    if role.key_type not in ROLE_KEY_TYPES:
        raise BadRequest("unknown key_type; must be one of rsa, ec, ed25519 or any")
    if role.key_type != "any":
        bits = keys.checked_bits(role.key_type, role.key_bits)
        role = msgspec.structs.replace(role, key_bits=bits)
    if role.signature_bits not in (0, 256, 384, 512):
        raise BadRequest("unsupported signature_bits; must be 0, 256, 384 or 512")
    if role.max_ttl and role.ttl > role.max_ttl:
        raise BadRequest('"ttl" value must be less than "max_ttl" value')
    certs.key_usage(role.key_usage, ca=False)
    certs.ext_key_usages(role.ext_key_usage, role.ext_key_usage_oids)
    return role


def render(role: Role) -> dict[str, Any]:
    return msgspec.structs.asdict(role)


async def exists(ctx: PkiContext, captures: typing.Mapping[str, str]) -> bool:
    return await ctx.store.role(captures["name"]) is not None


async def read_role(ctx: PkiContext, _req: Request, fields: RoleName) -> Response:
    role = await ctx.store.role(fields.name)
    if role is None:
        raise NotFound
    return Response(data=render(role))


async def _save(ctx: PkiContext, name: str, base: Role, fields: Any) -> Response:  # noqa: ANN401
    values = {
        k: v for k, v in msgspec.structs.asdict(fields).items() if v is not UNSET and k != "name"
    }
    if values.get("key_type") == "ed25519" and "key_bits" not in values:
        values["key_bits"] = 0
    if values.get("key_type") == "ec" and "key_bits" not in values:
        values["key_bits"] = 256
    role = _checked(msgspec.structs.replace(base, **values))
    await ctx.store.put_role(name, role)
    warnings = None
    if role.issuer_ref == "default" and not await ctx.store.issuer_id("default"):
        warnings = [NO_DEFAULT_WARNING]
    return Response(data=render(role), warnings=warnings)


async def write_role(ctx: PkiContext, _req: Request, fields: Any) -> Response:  # noqa: ANN401
    return await _save(ctx, fields.name, Role(), fields)


async def patch_role(ctx: PkiContext, _req: Request, fields: Any) -> Response:  # noqa: ANN401
    role = await ctx.store.role(fields.name)
    if role is None:
        raise BadRequest("Unable to fetch role entry to patch")
    return await _save(ctx, fields.name, role, fields)


async def delete_role(ctx: PkiContext, _req: Request, fields: RoleName) -> Response:
    await ctx.store.delete("role/" + fields.name)
    return NO_CONTENT


async def list_roles(ctx: PkiContext, _req: Request, _fields: RoleList) -> Response:
    names = await ctx.store.role_names()
    if not names:
        raise NotFound
    return Response(data={"keys": names})
