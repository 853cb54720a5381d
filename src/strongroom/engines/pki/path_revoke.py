"""Revocation and its answers: `revoke`, `revoke-with-key`, `issuer/:ref/revoke`, `crl`,
`crl/pem`, `crl/delta(/pem)`, `issuer/:ref/crl(/der|/pem)`, `crl/rotate`, `crl/rotate-delta`
and the OCSP responder (api-docs/secret/pki#revoke-certificate, #read-crl, #rotate-crls,
#ocsp-request).
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.clock import rfc3339
from strongroom.engines.pki import certs, crl, keys, ocsp, render
from strongroom.engines.pki.context import PkiContext
from strongroom.engines.pki.models import CertEntry
from strongroom.engines.pki.naming import shown
from strongroom.engines.pki.path_issuers import IssuerRef, issuer_answer
from strongroom.errors import BadRequest
from strongroom.logical import Request, Response

REVOKE_SYNOPSIS = "Revoke a certificate by serial number or with explicit certificate."
REVOKE_WITH_KEY_SYNOPSIS = (
    "Revoke a certificate by serial number or with explicit certificate, proving possession "
    "of its key."
)
ISSUER_REVOKE_SYNOPSIS = "Revoke the specified issuer certificate."
CRL_SYNOPSIS = "Fetch the CRL of the default issuer."
ROTATE_SYNOPSIS = "Force a rebuild of the CRL."
OCSP_SYNOPSIS = "Query a certificate's revocation status through OCSP."


class RevokeWrite(msgspec.Struct, frozen=True, kw_only=True):
    serial_number: Annotated[
        str, Meta(description="Certificate serial number, in colon- or hyphen-separated octal")
    ] = ""
    certificate: Annotated[str, Meta(description="Certificate to revoke in PEM format.")] = ""


class RevokeWithKey(RevokeWrite, frozen=True, kw_only=True):
    private_key: Annotated[str, Meta(description="Key to use to verify revocation permission.")] = (
        ""
    )


class IssuerCrl(IssuerRef, frozen=True, kw_only=True):
    kind: Annotated[str, Meta(description="The CRL's form: der or pem.")] = ""
    delta: Annotated[str, Meta(description="/delta for the delta CRL.")] = ""


class OcspRequest(msgspec.Struct, frozen=True, kw_only=True):
    req: Annotated[str, Meta(description="The base64 DER OCSP request.")] = ""


async def _target(ctx: PkiContext, fields: RevokeWrite) -> tuple[str, CertEntry]:
    if bool(fields.serial_number) == bool(fields.certificate):
        if not fields.serial_number:
            raise BadRequest("The serial number or certificate to revoke must be provided.")
        raise BadRequest("Must provide either the certificate or the serial to revoke; not both.")
    if fields.certificate:
        cert = certs.load_pem(fields.certificate)
        serial = certs.serial_text(cert.serial_number)
        entry = await ctx.store.cert(serial)
        if entry is None or certs.load_pem(entry.certificate) != cert:
            raise BadRequest("certificate was not issued by this mount; unable to revoke it")
        return serial, entry
    serial = fields.serial_number.lower().replace("-", ":")
    entry = await ctx.store.cert(serial)
    if entry is None:
        raise BadRequest(f"certificate with serial {shown(serial)} not found.")
    return serial, entry


async def _revoke(ctx: PkiContext, serial: str, entry: CertEntry) -> Response:
    if any(i.serial_number == serial for i in await ctx.store.issuers()):
        raise BadRequest("adding an issuer to its own CRL is not allowed; use issuer/:ref/revoke")
    config = await ctx.store.crl_config()
    if (
        entry.not_after < ctx.now()
        and not config.allow_expired_cert_revocation
        and not entry.revocation_time
    ):
        raise BadRequest(f"certificate with serial {shown(serial)} is expired; refusing to revoke")
    if not entry.revocation_time:
        entry = msgspec.structs.replace(entry, revocation_time=ctx.now())
        await ctx.store.mark_revoked(serial, entry)
        await crl.revoked_changed(ctx, entry.issuer_id)
    body = {
        "revocation_time": int(entry.revocation_time),
        "revocation_time_rfc3339": rfc3339(entry.revocation_time),
        "state": "revoked",
    }
    return Response(data=body)


async def revoke(ctx: PkiContext, _req: Request, fields: RevokeWrite) -> Response:
    serial, entry = await _target(ctx, fields)
    return await _revoke(ctx, serial, entry)


async def revoke_with_key(ctx: PkiContext, _req: Request, fields: RevokeWithKey) -> Response:
    if not fields.private_key:
        raise BadRequest("The private_key field is required.")
    serial, entry = await _target(ctx, fields)
    key = keys.load(fields.private_key)
    public = certs.load_pem(entry.certificate).public_key()
    if not keys.same_public(key.public_key(), public):
        raise BadRequest("failed to validate private key match with certificate's public key")
    return await _revoke(ctx, serial, entry)


async def revoke_issuer(ctx: PkiContext, _req: Request, fields: IssuerRef) -> Response:
    """The issuer can no longer issue; its certificate joins the CRL of a parent the mount
    holds (Vault's `issuer/:ref/revoke`)."""
    issuer = await ctx.issuer(fields.issuer_ref)
    if not issuer.revoked:
        now = ctx.now()
        issuer = msgspec.structs.replace(issuer, revoked=True, revocation_time=now)
        await ctx.store.put_issuer(issuer)
        cert = certs.load_pem(issuer.certificate)
        for parent in await ctx.store.issuers():
            if parent.id != issuer.id and certs.signed_by(cert, certs.load_pem(parent.certificate)):
                entry = CertEntry(
                    certificate=issuer.certificate,
                    issuer_id=parent.id,
                    not_after=certs.not_after(cert),
                    revocation_time=now,
                )
                await ctx.store.mark_revoked(issuer.serial_number, entry)
                await crl.revoked_changed(ctx, parent.id)
    return await issuer_answer(ctx, issuer)


async def crl_der(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    return render.raw(await crl.current(ctx, await ctx.issuer("default")), render.PKIX_CRL)


async def crl_pem(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    der = await crl.current(ctx, await ctx.issuer("default"))
    return render.raw(crl.pem(der), render.PEM_FILE)


async def delta_der(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    der = await crl.current(ctx, await ctx.issuer("default"), delta=True)
    return render.raw(der, render.PKIX_CRL)


async def delta_pem(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    der = await crl.current(ctx, await ctx.issuer("default"), delta=True)
    return render.raw(crl.pem(der), render.PEM_FILE)


async def issuer_crl(ctx: PkiContext, _req: Request, fields: IssuerCrl) -> Response:
    der = await crl.current(ctx, await ctx.issuer(fields.issuer_ref), delta=bool(fields.delta))
    if fields.kind == "der":
        return render.raw(der, render.PKIX_CRL)
    if fields.kind == "pem":
        return render.raw(crl.pem(der), render.PEM_FILE)
    return Response(data={"crl": crl.pem(der)})


async def rotate(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    await crl.rebuild_all(ctx)
    return Response(data={"success": True})


async def rotate_delta(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    if not (await ctx.store.crl_config()).enable_delta:
        return Response(
            data={"success": True},
            warnings=[
                "requested rebuild of delta CRL when delta CRL is not enabled; this is a no-op"
            ],
        )
    for issuer in await ctx.store.issuers():
        if issuer.key_id:
            await crl.rebuild_delta(ctx, issuer)
    return Response(data={"success": True})


async def ocsp_query(ctx: PkiContext, _req: Request, fields: OcspRequest) -> Response:
    """GET `ocsp/<base64 DER>` or POST `ocsp` with an `application/ocsp-request` body (which
    the HTTP layer hands over as the same base64 field)."""
    try:
        der = base64.b64decode(fields.req, validate=False)
    except (binascii.Error, ValueError):
        der = b""
    return render.raw(await ocsp.respond(ctx, der), render.OCSP_RESPONSE)
