"""The OCSP responder (RFC 6960; Vault's `ocsp` paths, api-docs/secret/pki#ocsp-request).

A request names a certificate by its issuer's name and key hashes and its serial. The answer
is signed by that issuer's own key (the issuer is its own responder, as in Vault), says
`good`, `revoked` (with the time) or `unknown`, and is valid for `config/crl` `ocsp_expiry`. A
request that does not parse gets `malformedRequest`; an issuer the mount does not hold, or
OCSP turned off, gets `unauthorized`.
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from strongroom.engines.pki import certs, keys
from strongroom.engines.pki.context import PkiContext
from strongroom.engines.pki.models import IssuerEntry
from strongroom.errors import RawRefusal


def _time(ts: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(ts), tz=dt.UTC)


def _digest(algorithm: hashes.HashAlgorithm, data: bytes) -> bytes:
    h = hashes.Hash(algorithm)
    h.update(data)
    return h.finalize()


def _der_item(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the DER item at `at`."""
    tag, length = data[at], data[at + 1]
    start = at + 2
    if length & 0x80:
        size = length & 0x7F
        length = int.from_bytes(data[start : start + size], "big")
        start += size
    return tag, start, start + length


def public_key_bits(cert: x509.Certificate) -> bytes:
    """The subjectPublicKey BIT STRING's bits (what RFC 6960's issuerKeyHash hashes)."""
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _, body, _ = _der_item(spki, 0)
    _, _, after_algorithm = _der_item(spki, body)
    _, bits, end = _der_item(spki, after_algorithm)
    return spki[bits + 1 : end]  # the first content byte counts unused bits (0 for keys)


OCSP_RESPONSE = "application/ocsp-response"


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(
        serialization.Encoding.DER
    )


class Malformed(RawRefusal):
    """400 with an OCSP `malformedRequest` response (Vault's answer to a bad request)."""

    def __init__(self) -> None:
        body = _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
        super().__init__("malformed OCSP request", body, OCSP_RESPONSE)


class Unauthorized(RawRefusal):
    """401 with an OCSP `unauthorized` response: OCSP is off, or no issuer of the mount
    matches the request (Vault's)."""

    status = 401

    def __init__(self) -> None:
        body = _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
        super().__init__("OCSP request refused", body, OCSP_RESPONSE)


async def _issuer_for(
    ctx: PkiContext, request: ocsp.OCSPRequest
) -> tuple[IssuerEntry, x509.Certificate] | None:
    algorithm = request.hash_algorithm
    for entry in await ctx.store.issuers():
        cert = certs.load_pem(entry.certificate)
        if (
            _digest(algorithm, cert.subject.public_bytes()) == request.issuer_name_hash
            and _digest(algorithm, public_key_bits(cert)) == request.issuer_key_hash
        ):
            return entry, cert
    return None


async def respond(ctx: PkiContext, der: bytes) -> bytes:
    """The DER OCSP response to the DER request `der`. Raises Malformed or Unauthorized."""
    try:
        request = ocsp.load_der_ocsp_request(der)
        request.hash_algorithm  # noqa: B018 - raises for an algorithm it does not know
    except (ValueError, TypeError, Exception):  # noqa: BLE001 - any bad request is malformed
        raise Malformed from None
    config = await ctx.store.crl_config()
    found = None if config.ocsp_disable else await _issuer_for(ctx, request)
    if found is None or not found[0].key_id or "ocsp-signing" not in found[0].usage:
        raise Unauthorized
    issuer, issuer_cert = found
    signer = await ctx.signer(issuer)
    serial = certs.serial_text(request.serial_number)
    entry = await ctx.store.cert(serial)
    now = ctx.now()
    status, revoked_at = ocsp.OCSPCertStatus.UNKNOWN, None
    if entry is not None and entry.issuer_id == issuer.id:
        status = ocsp.OCSPCertStatus.GOOD
        if entry.revocation_time:
            status, revoked_at = ocsp.OCSPCertStatus.REVOKED, _time(entry.revocation_time)
    builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
        issuer_name_hash=request.issuer_name_hash,
        issuer_key_hash=request.issuer_key_hash,
        serial_number=request.serial_number,
        algorithm=request.hash_algorithm,
        cert_status=status,
        this_update=_time(now),
        next_update=_time(now + config.ocsp_expiry),
        revocation_time=revoked_at,
        revocation_reason=None,
    )
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, issuer_cert)
    response = builder.sign(signer.key, keys.signature_hash(signer.key, 0))
    return response.public_bytes(serialization.Encoding.DER)
