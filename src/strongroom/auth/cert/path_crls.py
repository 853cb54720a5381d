"""CRL paths: `crls/` and `crls/:name` (Vault's path_crls.go; api-docs/auth/cert "Create
CRL", "Read CRL", "Delete CRL"). A CRL revokes by serial number, whoever issued it, as in
Vault; a log-in whose verified chain holds a revoked serial is refused."""

from __future__ import annotations

from typing import Annotated

import msgspec
from cryptography import x509
from msgspec import Meta

from strongroom.auth.cert import render
from strongroom.auth.cert.context import CertContext
from strongroom.auth.cert.models import Crl
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, UNSET, Request, Response, UnsetType

SYNOPSIS = "Manage Certificate Revocation Lists checked during authentication."
CrlName = Annotated[str, Meta(description="The name of the certificate")]


class CrlOnly(msgspec.Struct, frozen=True, kw_only=True):
    name: CrlName


class CrlWrite(msgspec.Struct, frozen=True, kw_only=True):
    name: CrlName
    crl: Annotated[
        str | UnsetType,
        Meta(
            description="The public CRL that should be trusted to attest to "
            "certificates' validity statuses. May be DER or PEM encoded. Note: the expiration time "
            "is ignored; if the CRL is no longer valid, delete it using the same name as specified "
            "here."
        ),
    ] = UNSET
    url: Annotated[
        str | UnsetType,
        Meta(
            description="The URL of a CRL distribution point. Only one of "
            "'crl' or 'url' parameters should be specified."
        ),
    ] = UNSET


def _missing(name: str) -> BadRequest:
    return BadRequest(f"no such CRL {name}")  # Vault's 400, not a 404


def parse_crl(text: str) -> Crl:
    """The serials a PEM (or base64 DER) CRL revokes. Raises BadRequest if it does not parse."""
    try:
        crl = x509.load_pem_x509_crl(text.encode())
    except ValueError:
        raise BadRequest("failed to parse CRL") from None
    return Crl(serials=tuple(str(r.serial_number) for r in crl))


async def write_crl(ctx: CertContext, _req: Request, fields: CrlWrite) -> Response:
    """Raises BadRequest without a CRL, for one that does not parse, or for a `url` (fetching
    CRLs from distribution points is not offered)."""
    if fields.crl is UNSET and fields.url is UNSET:
        raise BadRequest("one of 'crl' or 'url' must be provided")
    if fields.crl is UNSET:
        raise BadRequest("fetching a CRL from a 'url' is not supported; send the 'crl'")
    await ctx.store.put_crl(fields.name.lower(), parse_crl(fields.crl))
    return NO_CONTENT


async def read_crl(ctx: CertContext, _req: Request, fields: CrlOnly) -> Response:
    crl = await ctx.store.crl(fields.name.lower())
    if crl is None:
        raise _missing(fields.name.lower())
    return Response(render.crl(crl))


async def delete_crl(ctx: CertContext, _req: Request, fields: CrlOnly) -> Response:
    name = fields.name.lower()
    if await ctx.store.crl(name) is None:
        raise _missing(name)
    await ctx.store.delete_crl(name)
    return NO_CONTENT


async def list_crls(ctx: CertContext, _req: Request, _fields: msgspec.Struct) -> Response:
    names = await ctx.store.view.list("crls/")
    if not names:
        raise NotFound
    return Response({"keys": names})
