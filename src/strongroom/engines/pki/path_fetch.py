"""Reading certificates: `ca`, `ca/pem`, `ca_chain`, `cert/:serial` (and `cert/ca`,
`cert/ca_chain`, `cert/crl`), LIST `certs` and `certs/revoked` (api-docs/secret/pki#read-
issuer-certificate, #read-certificate, #list-certificates). All but the lists are
unauthenticated in Vault.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.clock import rfc3339
from strongroom.engines.pki import crl, render
from strongroom.engines.pki.context import PkiContext
from strongroom.errors import NotFound
from strongroom.logical import Request, Response

CA_SYNOPSIS = "Fetch a CA, CRL, CA Chain, or non-revoked certificate."
CERT_SYNOPSIS = "Fetch a CA, CRL, CA Chain, or non-revoked certificate."
LIST_SYNOPSIS = "Fetch a list of all issued certificates."


class Serial(msgspec.Struct, frozen=True, kw_only=True):
    serial: Annotated[
        str, Meta(description="Certificate serial number, in colon- or hyphen-separated octal")
    ]


async def ca_der(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    issuer = await ctx.issuer("default")
    return render.raw(render.der(issuer.certificate), render.PKIX_CERT)


async def ca_pem(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    issuer = await ctx.issuer("default")
    return render.raw(issuer.certificate + "\n", render.PEM_CHAIN)


async def ca_chain(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    issuer = await ctx.issuer("default")
    chain = "\n".join(await ctx.chain(issuer)) + "\n"
    return render.raw(chain, render.PKIX_CERT)


async def read_cert(ctx: PkiContext, _req: Request, fields: Serial) -> Response:
    special = fields.serial
    if special in ("ca", "ca_chain"):
        issuer = await ctx.issuer("default")
        body = {
            "certificate": issuer.certificate,
            "revocation_time": 0,
            "revocation_time_rfc3339": "",
        }
        if special == "ca_chain":
            chain = "\n".join(await ctx.chain(issuer))
            body = {
                "ca_chain": chain,
                "certificate": chain,
                "revocation_time": 0,
                "revocation_time_rfc3339": "",
            }
        return Response(data=body)
    if special in ("crl", "delta-crl"):
        issuer = await ctx.issuer("default")
        der = await crl.current(ctx, issuer, delta=special == "delta-crl")
        return Response(
            data={
                "certificate": crl.pem(der).strip(),
                "revocation_time": 0,
                "revocation_time_rfc3339": "",
            }
        )
    entry = await ctx.store.cert(special)
    if entry is None:
        raise NotFound
    body2: dict[str, object] = {"certificate": entry.certificate}
    if entry.revocation_time:
        body2["issuer_id"] = entry.issuer_id
        body2["revocation_time"] = int(entry.revocation_time)
        body2["revocation_time_rfc3339"] = rfc3339(entry.revocation_time)
    else:
        body2["revocation_time"] = 0
        body2["revocation_time_rfc3339"] = ""
    return Response(data=body2)


async def list_certs(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    return _serials(await ctx.store.cert_serials())


async def list_revoked(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    return _serials(await ctx.store.revoked_serials())


def _serials(stored: list[str]) -> Response:
    if not stored:
        raise NotFound
    return Response(data={"keys": [s.replace("-", ":") for s in stored]})
