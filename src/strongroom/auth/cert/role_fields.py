"""The fields of a trusted-certificate write (api-docs/auth/cert "Create CA certificate
role", with tokenutil's token fields and the method's deprecated aliases), and how they change
a role. Only the fields sent change; a new role starts from Vault's defaults.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.auth.cert.models import CertRole
from strongroom.auth.cert.trust import parse_pem_certificates
from strongroom.bound_cidrs import validated
from strongroom.errors import BadRequest
from strongroom.logical import UNSET, Duration, UnsetType
from strongroom.logical.fields import sent
from strongroom.logical.token_fields import (
    TokenFieldsWrite,
    check_token_rules,
    token_field_changes,
)

CertName = Annotated[str, Meta(description="The name of the certificate")]
Globs = Annotated[list[str] | UnsetType, Meta(description="A list of glob patterns.")]
_LISTS = (
    "allowed_names",
    "allowed_common_names",
    "allowed_dns_sans",
    "allowed_email_sans",
    "allowed_uri_sans",
    "allowed_organizational_units",
    "required_extensions",
    "allowed_metadata_extensions",
    "ocsp_servers_override",
)
_FLAGS = ("ocsp_enabled", "ocsp_fail_open", "ocsp_query_all_servers")


class CertWrite(TokenFieldsWrite, frozen=True, kw_only=True):
    name: CertName
    certificate: Annotated[
        str | UnsetType,
        Meta(
            description="The public certificate that should be trusted. Must be x509 PEM encoded."
        ),
    ] = UNSET
    display_name: Annotated[
        str | UnsetType,
        Meta(description="The display name to use for clients using this certificate."),
    ] = UNSET
    allowed_names: Globs = UNSET
    allowed_common_names: Globs = UNSET
    allowed_dns_sans: Globs = UNSET
    allowed_email_sans: Globs = UNSET
    allowed_uri_sans: Globs = UNSET
    allowed_organizational_units: Globs = UNSET
    required_extensions: Annotated[
        list[str] | UnsetType,
        Meta(description='A list of extensions formatted as "oid:value". Glob in value.'),
    ] = UNSET
    allowed_metadata_extensions: Annotated[
        list[str] | UnsetType,
        Meta(description="A list of OID extensions copied into the token metadata."),
    ] = UNSET
    ocsp_enabled: Annotated[
        bool | UnsetType,
        Meta(description="Whether to attempt OCSP verification of certificates at login"),
    ] = UNSET
    ocsp_ca_certificates: Annotated[
        str | UnsetType,
        Meta(description="Any additional CA certificates needed to communicate with OCSP servers"),
    ] = UNSET
    ocsp_servers_override: Annotated[
        list[str] | UnsetType,
        Meta(description="A list of OCSP server addresses, overriding any in the certificate."),
    ] = UNSET
    ocsp_fail_open: Annotated[
        bool | UnsetType,
        Meta(
            description="If set to true, if an OCSP revocation cannot be made successfully, "
            "login will proceed rather than failing."
        ),
    ] = UNSET
    ocsp_query_all_servers: Annotated[
        bool | UnsetType,
        Meta(
            description="If set to true, rather than accepting the first successful OCSP "
            "response, query all servers and consider the certificate valid only if all "
            "servers agree."
        ),
    ] = UNSET
    lease: Annotated[int | UnsetType, Meta(description='Use "token_ttl" instead.')] = UNSET
    ttl: Annotated[Duration | UnsetType, Meta(description='Use "token_ttl" instead.')] = UNSET
    max_ttl: Annotated[Duration | UnsetType, Meta(description='Use "token_max_ttl" instead.')] = (
        UNSET
    )
    bound_cidrs: Annotated[
        list[str] | UnsetType, Meta(description='Use "token_bound_cidrs" instead.')
    ] = UNSET
    token_strictly_bind_ip: Annotated[
        bool | UnsetType,
        Meta(description="OpenBao's; accepted and shown as false (not implemented)."),
    ] = UNSET


def _checked_pem(pem: str, message: str) -> str:
    try:
        parse_pem_certificates(pem)
    except ValueError:
        raise BadRequest(message) from None
    return pem


_LEGACY = (("ttl", "token_ttl"), ("max_ttl", "token_max_ttl"), ("bound_cidrs", "token_bound_cidrs"))


def _legacy_fields(data: dict[str, Any], changes: dict[str, Any]) -> None:
    """Vault's deprecated `ttl` (older still, `lease`), `max_ttl` and `bound_cidrs`, read as
    tokenutil reads `policies`: alone, one sets its token field too; with the token field, the
    token field wins and the deprecated one follows it if sent, else is cleared."""
    data = dict(data)
    if "lease" in data and "ttl" not in data and "token_ttl" not in data:
        data["ttl"] = data["lease"]
    if "bound_cidrs" in data:
        data["bound_cidrs"] = validated(data["bound_cidrs"], "bound_cidrs")
    for legacy, token in _LEGACY:
        if token in data:
            changes[legacy] = changes[token] if legacy in data else type(changes[token])()
        elif legacy in data:
            changes[token] = changes[legacy] = data[legacy]


def apply_cert(role: CertRole, fields: CertWrite) -> tuple[CertRole, list[str]]:
    """`role` with the fields sent applied, and Vault's warnings. Raises BadRequest."""
    data = sent(fields)
    changes, warnings = token_field_changes(fields)
    _legacy_fields(data, changes)
    for name in _LISTS:
        if name in data:
            changes[name] = tuple(v.strip() for v in data[name] if v.strip())
    for name in _FLAGS:
        if name in data:
            changes[name] = data[name]
    if "certificate" in data:
        changes["certificate"] = _checked_pem(data["certificate"], "failed to parse certificate")
    if data.get("ocsp_ca_certificates"):
        changes["ocsp_ca_certificates"] = _checked_pem(
            data["ocsp_ca_certificates"], "failed to parse ocsp_ca_certificates"
        )
    if "display_name" in data or not role.display_name:
        changes["display_name"] = data.get("display_name") or role.name  # Vault's default
    updated = msgspec.structs.replace(role, **changes)
    _checked_pem(updated.certificate, "failed to parse certificate")
    check_token_rules(updated)
    return updated, warnings
