"""LDAP `config` (Vault's path_config.go over sdk/helper/ldaputil; api-docs/auth/ldap
"Configure LDAP" and "Read LDAP configuration").

A write changes the fields sent; the first write starts from Vault's defaults. The read
shows every setting but `bindpass`, which is never rendered back, as in Vault.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from cryptography import x509
from msgspec import Meta

from strongroom.auth.ldap import filters, render
from strongroom.auth.ldap.context import LdapContext
from strongroom.auth.ldap.models import CONFIG_FIELDS, LdapConfig
from strongroom.errors import BadRequest
from strongroom.logical import NO_CONTENT, UNSET, Duration, NoFields, Request, Response, UnsetType
from strongroom.logical.fields import sent
from strongroom.logical.token_fields import TokenFieldsWrite, check_token_rules, token_field_changes

SYNOPSIS = "Configure the LDAP server to connect to, along with its options."
TLS_VERSIONS = ("tls10", "tls11", "tls12", "tls13")
_LOWERED = ("url", "userattr")  # Vault lower-cases these on write


def _d(text: str) -> Meta:
    return Meta(description=text)


class ConfigWrite(TokenFieldsWrite, frozen=True, kw_only=True):
    url: Annotated[
        str | UnsetType,
        _d(
            "LDAP URL to connect to (default: ldap://127.0.0.1). Multiple URLs can be "
            "specified by concatenating them with commas; they will be tried in-order."
        ),
    ] = UNSET
    userdn: Annotated[
        str | UnsetType, _d("LDAP domain to use for users (eg: ou=People,dc=example,dc=org)")
    ] = UNSET
    userattr: Annotated[str | UnsetType, _d("Attribute used for users (default: cn)")] = UNSET
    userfilter: Annotated[
        str | UnsetType, _d("Go template for LDAP user search filer (optional)")
    ] = UNSET
    upndomain: Annotated[
        str | UnsetType,
        _d("Enables userPrincipalDomain login with [username]@UPNDomain (optional)"),
    ] = UNSET
    binddn: Annotated[str | UnsetType, _d("LDAP DN for searching for the user DN (optional)")] = (
        UNSET
    )
    bindpass: Annotated[
        str | UnsetType, _d("LDAP password for searching for the user DN (optional)")
    ] = UNSET
    discoverdn: Annotated[
        bool | UnsetType, _d("Use anonymous bind to discover the bind DN of a user (optional)")
    ] = UNSET
    deny_null_bind: Annotated[
        bool | UnsetType,
        _d(
            "Denies an unauthenticated LDAP bind request if the user's password is empty; "
            "defaults to true"
        ),
    ] = UNSET
    groupdn: Annotated[
        str | UnsetType,
        _d("LDAP search base to use for group membership search (eg: ou=Groups,dc=example,dc=org)"),
    ] = UNSET
    groupfilter: Annotated[
        str | UnsetType, _d("Go template for querying group membership of user (optional)")
    ] = UNSET
    groupattr: Annotated[
        str | UnsetType,
        _d("LDAP attribute to follow on objects returned by <groupfilter> (default: cn)"),
    ] = UNSET
    anonymous_group_search: Annotated[
        bool | UnsetType, _d("Use anonymous binds when performing LDAP group searches")
    ] = UNSET
    certificate: Annotated[
        str | UnsetType,
        _d("CA certificate to use when verifying LDAP server certificate, must be x509 PEM"),
    ] = UNSET
    insecure_tls: Annotated[
        bool | UnsetType,
        _d("Skip LDAP server SSL Certificate verification - VERY insecure (optional)"),
    ] = UNSET
    starttls: Annotated[
        bool | UnsetType,
        _d("Issue a StartTLS command after establishing unencrypted connection (optional)"),
    ] = UNSET
    tls_min_version: Annotated[
        str | UnsetType, _d("Minimum TLS version to use. Defaults to 'tls12'")
    ] = UNSET
    tls_max_version: Annotated[
        str | UnsetType, _d("Maximum TLS version to use. Defaults to 'tls12'")
    ] = UNSET
    case_sensitive_names: Annotated[
        bool | UnsetType,
        _d(
            "If true, case sensitivity will be used when comparing usernames and groups for "
            "matching policies."
        ),
    ] = UNSET
    username_as_alias: Annotated[
        bool | UnsetType, _d("If true, sets the alias name to the username")
    ] = UNSET
    request_timeout: Annotated[
        Duration | UnsetType,
        _d("Timeout, in seconds, for the connection when making requests against the server"),
    ] = UNSET
    connection_timeout: Annotated[
        Duration | UnsetType,
        _d("Timeout, in seconds, when attempting to connect to the LDAP server"),
    ] = UNSET


def _config_changes(fields: ConfigWrite) -> dict[str, Any]:
    """The non-token settings sent, checked. Raises BadRequest naming the field."""
    changes = {k: v for k, v in sent(fields).items() if k in CONFIG_FIELDS}
    for name in _LOWERED:
        if name in changes:
            changes[name] = changes[name].lower()
    if "userfilter" in changes:
        filters.check_template(changes["userfilter"], filters.USER_FILTER_NAMES, "userfilter")
    if "groupfilter" in changes:
        filters.check_template(changes["groupfilter"], filters.GROUP_FILTER_NAMES, "groupfilter")
    for name in ("tls_min_version", "tls_max_version"):
        if name in changes and changes[name] not in TLS_VERSIONS:
            raise BadRequest(f"invalid '{name}'")
    if changes.get("certificate"):
        _check_certificate(changes["certificate"])
    for name in ("request_timeout", "connection_timeout"):
        if name in changes and changes[name] < 0:
            raise BadRequest(f"{name} cannot be negative")
    return changes


def _check_certificate(pem: str) -> None:
    try:
        x509.load_pem_x509_certificate(pem.encode())
    except ValueError:
        raise BadRequest(
            "failed to parse server tls cert: failed to decode PEM block in the certificate"
        ) from None


async def write_config(ctx: LdapContext, _req: Request, fields: ConfigWrite) -> Response:
    changes = _config_changes(fields)
    token_changes, warnings = token_field_changes(fields)

    def changed(found: LdapConfig) -> LdapConfig:
        updated = msgspec.structs.replace(found, **changes, **token_changes)
        if updated.tls_max_version < updated.tls_min_version:
            raise BadRequest("'tls_max_version' must be greater than or equal to 'tls_min_version'")
        check_token_rules(updated)
        return updated

    await ctx.store.update_config(changed)
    return Response(warnings=warnings) if warnings else NO_CONTENT


async def read_config(ctx: LdapContext, _req: Request, _fields: NoFields) -> Response:
    return Response(render.config(await ctx.store.config()))
