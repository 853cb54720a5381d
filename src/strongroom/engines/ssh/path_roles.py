"""ssh/roles/:role and roles/ (LIST): what a role lets its callers have (Vault's
`path_roles.go`). A `ca` role signs user or host keys; an `otp` role hands out one-time
passwords for the hosts in its `cidr_list`. A write replaces the whole role, as in Vault."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.ssh.context import Named, SshContext, option_values
from strongroom.engines.ssh.keys import RSA_SIGNERS
from strongroom.engines.ssh.models import ROLE, ROLES, Role, encode
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, Duration, NoFields, Request, Response

SYNOPSIS = "Manage the 'roles' that can be created with this backend."
LIST_SYNOPSIS = "Manage the 'roles' that can be created with this backend."
# Identity templating in roles waits for the identity engine's templates (issue 16).
_TEMPLATE_FLAGS = (
    "allowed_users_template",
    "allowed_domains_template",
    "default_user_template",
    "default_extensions_template",
    "allow_commas_in_identity_templates",
    "allow_wildcards_in_identity_templates",
)


def _d(text: str) -> Meta:
    return Meta(description=text)


class RoleWrite(msgspec.Struct, frozen=True, kw_only=True):
    role: Annotated[str, _d("Name of the role.")]
    key_type: Annotated[str, _d("Type of credentials the role issues: 'otp' or 'ca'.")] = ""
    default_user: Annotated[str, _d("User name used when none is requested.")] = ""
    default_user_template: Annotated[bool, _d("Whether default_user is a template.")] = False
    allowed_users: Annotated[str, _d("Comma-separated users the role may name; '*': any.")] = ""
    allowed_users_template: Annotated[bool, _d("Whether allowed_users are templates.")] = False
    allowed_domains: Annotated[str, _d("Domains host certificates may name.")] = ""
    allowed_domains_template: Annotated[bool, _d("Whether allowed_domains are templates.")] = False
    allow_commas_in_identity_templates: Annotated[
        bool, _d("Whether a template's value may hold commas.")
    ] = False
    allow_wildcards_in_identity_templates: Annotated[
        bool, _d("Whether a template's value may hold wildcards.")
    ] = False
    cidr_list: Annotated[str, _d("Comma-separated CIDR blocks of OTP hosts.")] = ""
    exclude_cidr_list: Annotated[str, _d("CIDR blocks excluded from cidr_list.")] = ""
    port: Annotated[int, _d("Port number of the SSH connection (OTP).")] = 22
    allow_bare_domains: Annotated[bool, _d("Host certificates may name a domain itself.")] = False
    allow_subdomains: Annotated[bool, _d("Host certificates may name subdomains.")] = False
    allow_user_certificates: Annotated[bool, _d("The role signs user certificates.")] = False
    allow_host_certificates: Annotated[bool, _d("The role signs host certificates.")] = False
    allow_user_key_ids: Annotated[bool, _d("Callers may choose the certificate's key ID.")] = False
    allow_empty_principals: Annotated[bool, _d("Certificates may name no principal.")] = False
    allowed_critical_options: Annotated[str, _d("Critical options callers may set.")] = ""
    allowed_extensions: Annotated[str, _d("Extensions callers may set; '*': any.")] = ""
    default_critical_options: Annotated[dict[str, Any], _d("Critical options by default.")] = (
        msgspec.field(default_factory=dict)
    )
    default_extensions: Annotated[dict[str, Any], _d("Extensions set by default.")] = msgspec.field(
        default_factory=dict
    )
    default_extensions_template: Annotated[
        bool, _d("Whether default_extensions are templates.")
    ] = False
    allowed_user_key_lengths: Annotated[dict[str, Any], _d("Key types and sizes accepted.")] = (
        msgspec.field(default_factory=dict)
    )
    key_id_format: Annotated[str, _d("Template of the key ID of signed certificates.")] = ""
    algorithm_signer: Annotated[str, _d("RSA signature algorithm of the CA.")] = "default"
    ttl: Annotated[Duration, _d("Default lifetime of signed certificates.")] = 0
    max_ttl: Annotated[Duration, _d("Maximum lifetime of signed certificates.")] = 0
    not_before_duration: Annotated[Duration, _d("How far back certificates are valid.")] = 30
    issuer_ref: Annotated[str, _d("The issuer that signs: 'default' only.")] = "default"


async def write(ctx: SshContext, _req: Request, fields: RoleWrite) -> Response:
    if not fields.key_type:
        raise BadRequest("missing key type")
    if fields.key_type == "otp":
        role = _otp_role(fields)
    elif fields.key_type == "ca":
        role = _ca_role(fields)
    elif fields.key_type == "dynamic":
        raise BadRequest("dynamic key type roles are no longer supported")
    else:
        raise BadRequest("invalid key type")
    await ctx.mount.view.put(ROLES + fields.role, encode(role))
    return NO_CONTENT


def _otp_role(fields: RoleWrite) -> Role:
    if not fields.default_user:
        raise BadRequest("missing default user")
    for name in ("cidr_list", "exclude_cidr_list"):
        blocks = getattr(fields, name)
        if blocks and not all(_is_cidr(block) for block in blocks.split(",")):
            raise BadRequest(f"failed to validate {name}: invalid CIDR address")
    return Role(
        key_type="otp",
        default_user=fields.default_user,
        allowed_users=fields.allowed_users,
        cidr_list=fields.cidr_list,
        exclude_cidr_list=fields.exclude_cidr_list,
        port=fields.port,
    )


def _is_cidr(block: str) -> bool:
    try:
        ipaddress.ip_network(block.strip(), strict=False)
    except ValueError:
        return False
    return "/" in block


def _ca_role(fields: RoleWrite) -> Role:
    if not (fields.allow_user_certificates or fields.allow_host_certificates):
        raise BadRequest(
            "Either 'allow_user_certificates' or 'allow_host_certificates' must be set to 'true'"
        )
    if fields.algorithm_signer not in ("", "default", *RSA_SIGNERS):
        raise BadRequest("unknown algorithm signer")
    if fields.ttl and fields.max_ttl and fields.ttl > fields.max_ttl:
        raise BadRequest('"ttl" value must be less than "max_ttl" when both are specified')
    if fields.issuer_ref != "default":
        raise BadRequest("issuer_ref: only the default issuer is offered")
    if any(getattr(fields, flag) for flag in _TEMPLATE_FLAGS):
        raise BadRequest("identity templates in SSH roles are not supported")
    return Role(
        key_type="ca",
        default_user=fields.default_user,
        allowed_users=fields.allowed_users,
        allowed_domains=fields.allowed_domains,
        allow_bare_domains=fields.allow_bare_domains,
        allow_subdomains=fields.allow_subdomains,
        allow_user_certificates=fields.allow_user_certificates,
        allow_host_certificates=fields.allow_host_certificates,
        allow_user_key_ids=fields.allow_user_key_ids,
        allow_empty_principals=fields.allow_empty_principals,
        allowed_critical_options=fields.allowed_critical_options,
        allowed_extensions=fields.allowed_extensions,
        default_critical_options=option_values(fields.default_critical_options),
        default_extensions=option_values(fields.default_extensions),
        allowed_user_key_lengths=_lengths(fields.allowed_user_key_lengths),
        key_id_format=fields.key_id_format,
        algorithm_signer=fields.algorithm_signer or "default",
        ttl=fields.ttl,
        max_ttl=fields.max_ttl,
        not_before_duration=fields.not_before_duration,
    )


def _lengths(lengths: dict[str, Any]) -> dict[str, list[int]]:
    """Each key type's allowed sizes: one number, or a list of numbers (or numeric text)."""
    parsed: dict[str, list[int]] = {}
    for family, sizes in lengths.items():
        try:
            parsed[family] = [int(size) for size in (sizes if isinstance(sizes, list) else [sizes])]
        except (TypeError, ValueError):
            raise BadRequest("error processing allowed_user_key_lengths: not a number") from None
    return parsed


async def read(ctx: SshContext, _req: Request, fields: Named) -> Response:
    blob = await ctx.mount.view.get(ROLES + fields.role)
    if blob is None:
        raise NotFound
    role = ROLE.decode(blob)
    if role.key_type == "otp":
        shown = ("allowed_users", "cidr_list", "default_user", "exclude_cidr_list", "key_type")
        return Response({**{name: getattr(role, name) for name in shown}, "port": role.port})
    data = msgspec.to_builtins(role)
    for name in ("cidr_list", "exclude_cidr_list", "port"):
        del data[name]
    data |= dict.fromkeys(_TEMPLATE_FLAGS, False) | {"issuer_ref": "default"}
    return Response(dict(sorted(data.items())))


async def delete(ctx: SshContext, _req: Request, fields: Named) -> Response:
    await ctx.mount.view.delete(ROLES + fields.role)
    return NO_CONTENT


async def list_roles(ctx: SshContext, _req: Request, _fields: NoFields) -> Response:
    names = [name for name in await ctx.mount.view.list(ROLES) if not name.endswith("/")]
    if not names:
        raise NotFound
    info: dict[str, dict[str, str]] = {}
    for name in names:
        blob = await ctx.mount.view.get(ROLES + name)
        if blob is not None:
            role = ROLE.decode(blob)
            info[name] = {"key_type": role.key_type}
            if role.key_type == "ca":
                info[name]["issuer_ref"] = "default"
    return Response({"keys": names, "key_info": info})
