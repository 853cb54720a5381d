"""`config` (Vault's path_config.go; api-docs/auth/kubernetes "Configure Method", "Read
Config"). A write replaces the configuration. A CA certificate or PEM key that does not parse
is a 400 at once (OpenBao stores a CA that does not parse and fails every log-in later)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.auth.kubernetes import render
from strongroom.auth.kubernetes.context import KubernetesContext
from strongroom.auth.kubernetes.models import Config
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, NoFields, Request, Response
from strongroom.logical.jose import public_key
from strongroom.logical.outbound import valid_ca_pem

SYNOPSIS = "Configures the JWT Public Key and Kubernetes API information."


class ConfigWrite(msgspec.Struct, frozen=True, kw_only=True):
    kubernetes_host: Annotated[
        str,
        Meta(
            description=(
                "Host must be a host string, a host:port pair, or a URL to the base of "
                "the Kubernetes API server."
            )
        ),
    ] = ""
    kubernetes_ca_cert: Annotated[
        str,
        Meta(
            description="PEM encoded CA cert for use by the TLS client used to talk with the API."
        ),
    ] = ""
    token_reviewer_jwt: Annotated[
        str,
        Meta(
            description=(
                "A service account JWT (or other token) used as a bearer token to access "
                "the TokenReview API to validate other JWTs during login. If not set the "
                "JWT used for login will be used to access the API."
            )
        ),
    ] = ""
    pem_keys: Annotated[
        list[str],
        Meta(
            description=(
                "Optional list of PEM-formated public keys or certificates used to verify"
                " the signatures of kubernetes service account JWTs. If a certificate is "
                "given, its public key will be extracted. Not every installation of "
                "Kubernetes exposes these keys."
            )
        ),
    ] = []
    issuer: Annotated[
        str,
        Meta(
            description=(
                "Optional JWT issuer. If no issuer is specified, then this plugin will "
                "use kubernetes.io/serviceaccount as the default issuer."
            )
        ),
    ] = ""
    disable_iss_validation: Annotated[
        bool, Meta(description="Disable JWT issuer validation. Allows to skip ISS validation.")
    ] = True
    disable_local_ca_jwt: Annotated[
        bool,
        Meta(
            description=(
                "Disable defaulting to the local CA cert and service account JWT when "
                "running in a Kubernetes pod"
            )
        ),
    ] = False


async def read_config(ctx: KubernetesContext, _req: Request, _fields: NoFields) -> Response:
    config = await ctx.store.config()
    if config is None:
        raise NotFound
    return Response(render.config(config))


async def write_config(ctx: KubernetesContext, _req: Request, fields: ConfigWrite) -> Response:
    """Raises BadRequest: no host, a CA certificate or PEM key that does not parse."""
    host = fields.kubernetes_host.strip().rstrip("/")
    if not host:
        raise BadRequest("no host provided")
    if not host.startswith(("https://", "http://")):
        host = "https://" + host
    if fields.kubernetes_ca_cert and not valid_ca_pem(fields.kubernetes_ca_cert):
        raise BadRequest("kubernetes_ca_cert: no PEM certificate found")
    for pem in fields.pem_keys:
        try:
            public_key(pem)
        except ValueError:
            raise BadRequest("data does not contain any valid public keys") from None
    config = Config(
        kubernetes_host=host,
        kubernetes_ca_cert=fields.kubernetes_ca_cert,
        token_reviewer_jwt=fields.token_reviewer_jwt.strip(),
        pem_keys=tuple(fields.pem_keys),
        issuer=fields.issuer,
        disable_iss_validation=fields.disable_iss_validation,
        disable_local_ca_jwt=fields.disable_local_ca_jwt,
    )
    await ctx.store.put_config(config)
    return NO_CONTENT
