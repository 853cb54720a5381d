"""`config` (Vault's path_config.go; api-docs/auth/jwt "Configure" and "Read Config").

A write replaces the whole configuration, as Vault's does. Exactly one key source must be
set; a discovery URL or JWKS URL is fetched at once (trusting the CA given), so a wrong URL or
CA is a 400 now rather than at the first log-in. Messages never repeat a submitted value.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.auth.jwt import render
from strongroom.auth.jwt.context import JwtContext
from strongroom.auth.jwt.keys import KeyProblem, key_set
from strongroom.auth.jwt.models import Config
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, NoFields, Request, Response
from strongroom.logical.jose import ASYMMETRIC_ALGS, public_key
from strongroom.logical.outbound import Unreachable, valid_ca_pem

SYNOPSIS = "Configure the JWT authentication backend."
_ONE_SOURCE = (
    "exactly one of 'jwt_validation_pubkeys', 'jwks_url', 'jwks_pairs', 'oidc_discovery_url', "
    "or 'provider_config' must be set"
)
_RESPONSE_MODES = ("", "query", "form_post")
_RESPONSE_TYPES = ("code", "id_token")


class ConfigWrite(msgspec.Struct, frozen=True, kw_only=True):
    oidc_discovery_url: Annotated[
        str, Meta(description="OIDC Discovery URL, without any .well-known component (base path).")
    ] = ""
    oidc_discovery_ca_pem: Annotated[
        str,
        Meta(
            description=(
                "The CA certificate or chain of certificates, in PEM format, to use to "
                "validate connections to the OIDC Discovery URL. If not set, system "
                "certificates are used."
            )
        ),
    ] = ""
    oidc_client_id: Annotated[
        str, Meta(description="The OAuth Client ID configured with your OIDC provider.")
    ] = ""
    oidc_client_secret: Annotated[
        str, Meta(description="The OAuth Client Secret configured with your OIDC provider.")
    ] = ""
    oidc_response_mode: Annotated[
        str,
        Meta(
            description=(
                "The response mode to be used in the OAuth2 request. Allowed values are "
                "'query' and 'form_post'."
            )
        ),
    ] = ""
    oidc_response_types: Annotated[
        list[str],
        Meta(
            description=(
                "The response types to request. Allowed values are 'code' and 'id_token'."
                " Defaults to 'code'."
            )
        ),
    ] = []
    jwks_url: Annotated[
        str,
        Meta(
            description=(
                "JWKS URL to use to authenticate signatures. Cannot be used with "
                "'oidc_discovery_url' or 'jwt_validation_pubkeys'."
            )
        ),
    ] = ""
    jwks_ca_pem: Annotated[
        str,
        Meta(
            description=(
                "The CA certificate or chain of certificates, in PEM format, to use to "
                "validate connections to the JWKS URL. If not set, system certificates "
                "are used."
            )
        ),
    ] = ""
    jwt_validation_pubkeys: Annotated[
        list[str],
        Meta(
            description=(
                "A list of PEM-encoded public keys to use to authenticate signatures "
                "locally. Cannot be used with 'jwks_url' or 'oidc_discovery_url'."
            )
        ),
    ] = []
    jwt_supported_algs: Annotated[
        list[str], Meta(description="A list of supported signing algorithms. Defaults to RS256.")
    ] = []
    bound_issuer: Annotated[
        str,
        Meta(description="The value against which to match the 'iss' claim in a JWT. Optional."),
    ] = ""
    default_role: Annotated[
        str,
        Meta(
            description=(
                "The default role to use if none is provided during login. If not set, a "
                "role is required during login."
            )
        ),
    ] = ""
    namespace_in_state: Annotated[
        bool,
        Meta(
            description=(
                "Pass namespace in the OIDC state parameter instead of as a separate "
                "query parameter. With this setting, the allowed redirect URL(s) in Vault"
                " and on the provider side should not contain a namespace query "
                "parameter."
            )
        ),
    ] = True
    provider_config: Annotated[
        dict[str, Any], Meta(description="Provider-specific configuration. Optional.")
    ] = {}
    override_allowed_server_names: Annotated[
        list[str],
        Meta(
            description=(
                "A list of hostnames to accept when performing TLS validation, which "
                "applies both to OIDC and JWKS. This overrides default checks that expect"
                " the TLS subject to match the hostname specified in the connection URL."
            )
        ),
    ] = []
    skip_jwks_validation: Annotated[
        bool,
        Meta(
            description=(
                "When true and 'jwks_url' is set, skip fetching the JWKS at configuration time."
            )
        ),
    ] = False


async def read_config(ctx: JwtContext, _req: Request, _fields: NoFields) -> Response:
    config = await ctx.store.config()
    if config is None:
        raise NotFound
    return Response(render.config(config))


def _check_sources(fields: ConfigWrite) -> None:
    sources = [fields.jwt_validation_pubkeys, fields.jwks_url, fields.oidc_discovery_url]
    if sum(1 for s in sources if s) != 1:
        raise BadRequest(_ONE_SOURCE)
    if fields.provider_config or fields.override_allowed_server_names:
        raise BadRequest("provider_config and override_allowed_server_names are not supported")
    for name, pem in (
        ("jwks_ca_pem", fields.jwks_ca_pem),
        ("oidc_discovery_ca_pem", fields.oidc_discovery_ca_pem),
    ):
        if pem and not valid_ca_pem(pem):
            raise BadRequest(f"could not parse '{name}': no PEM certificate found")
    for pem in fields.jwt_validation_pubkeys:
        try:
            public_key(pem)
        except ValueError:
            raise BadRequest(
                "error parsing public key: data does not contain any valid public keys"
            ) from None


def _check_oidc(fields: ConfigWrite) -> None:
    if bool(fields.oidc_client_id) != bool(fields.oidc_client_secret):
        raise BadRequest("both 'oidc_client_id' and 'oidc_client_secret' must be set for OIDC")
    if fields.oidc_client_id and not fields.oidc_discovery_url:
        raise BadRequest(
            "'oidc_client_id' and 'oidc_client_secret' may only be set with 'oidc_discovery_url'"
        )
    if fields.oidc_response_mode not in _RESPONSE_MODES:
        raise BadRequest("invalid response_mode")
    if any(t not in _RESPONSE_TYPES for t in fields.oidc_response_types):
        raise BadRequest("invalid response_types")
    if any(alg not in ASYMMETRIC_ALGS for alg in fields.jwt_supported_algs):
        raise BadRequest("invalid 'jwt_supported_algs'")


def _config(fields: ConfigWrite) -> Config:
    return Config(
        oidc_discovery_url=fields.oidc_discovery_url.strip(),
        oidc_discovery_ca_pem=fields.oidc_discovery_ca_pem,
        oidc_client_id=fields.oidc_client_id,
        oidc_client_secret=fields.oidc_client_secret,
        oidc_response_mode=fields.oidc_response_mode,
        oidc_response_types=tuple(fields.oidc_response_types),
        jwks_url=fields.jwks_url.strip(),
        jwks_ca_pem=fields.jwks_ca_pem,
        jwt_validation_pubkeys=tuple(fields.jwt_validation_pubkeys),
        jwt_supported_algs=tuple(fields.jwt_supported_algs),
        bound_issuer=fields.bound_issuer,
        default_role=fields.default_role.lower(),
        namespace_in_state=fields.namespace_in_state,
    )


async def _probe(ctx: JwtContext, config: Config, *, skip_jwks: bool) -> None:
    """Fetch what the config points at. Raises BadRequest with Vault's message."""
    if config.oidc_discovery_url:
        try:
            await ctx.keys.discovery(config, fresh=True)
        except KeyProblem:
            raise BadRequest("error checking oidc discovery URL") from None
    elif config.jwks_url and not skip_jwks:
        try:
            reply = await ctx.fetch("GET", config.jwks_url, ca_pem=config.jwks_ca_pem)
            key_set(reply.body)
        except (Unreachable, ValueError):
            raise BadRequest("error checking jwks URL") from None


async def write_config(ctx: JwtContext, _req: Request, fields: ConfigWrite) -> Response:
    """Replace the configuration. Raises BadRequest naming what is wrong."""
    _check_sources(fields)
    _check_oidc(fields)
    config = _config(fields)
    await _probe(ctx, config, skip_jwks=fields.skip_jwks_validation)
    await ctx.store.put_config(config)
    return NO_CONTENT
