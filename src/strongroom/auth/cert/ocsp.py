"""Revocation by OCSP for a role with `ocsp_enabled` (Vault's sdk/helper/ocsp, RFC 6960).

The leaf's status is asked of the role's `ocsp_servers_override`, else of the responders the
leaf's Authority Information Access names, by HTTP POST of a DER `OCSPRequest`. An answer
counts only when it is a successful response about this certificate, signed by its issuer, by a
responder the issuer delegated to (EKU OCSPSigning), or by one of `ocsp_ca_certificates`, and
current at the injected clock. A revoked answer always refuses; no usable answer refuses too
unless `ocsp_fail_open`. With `ocsp_query_all_servers` every server is asked and any revoked
answer refuses; otherwise the first usable answer decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

from strongroom.auth.cert.errors import Refused
from strongroom.auth.cert.models import CertRole
from strongroom.auth.cert.trust import parse_pem_certificates

Fetch = Callable[[str, bytes], Awaitable[bytes]]
TIMEOUT = 5.0  # seconds per responder: a slow one must not stall the log-in (DESIGN.md #12)
_SKEW = dt.timedelta(minutes=5)  # clock skew allowed around thisUpdate/nextUpdate


async def http_fetch(url: str, body: bytes) -> bytes:
    """POST an OCSP request to `url` (RFC 6960 A.1). Raises httpx.HTTPError."""
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        answer = await client.post(
            url, content=body, headers={"Content-Type": "application/ocsp-request"}
        )
        answer.raise_for_status()
        return answer.content


def responders(role: CertRole, leaf: x509.Certificate) -> list[str]:
    if role.ocsp_servers_override:
        return list(role.ocsp_servers_override)
    try:
        aia = leaf.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return []
    return [
        str(d.access_location.value)
        for d in aia
        if d.access_method == AuthorityInformationAccessOID.OCSP
        and isinstance(d.access_location, x509.UniformResourceIdentifier)
    ]


def _signed_by(signer: x509.Certificate, response: ocsp.OCSPResponse) -> bool:
    key = signer.public_key()
    algorithm = response.signature_hash_algorithm or hashes.SHA256()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(
                response.signature, response.tbs_response_bytes, padding.PKCS1v15(), algorithm
            )
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(response.signature, response.tbs_response_bytes, ec.ECDSA(algorithm))
        elif isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            key.verify(response.signature, response.tbs_response_bytes)
        else:
            return False
    except (InvalidSignature, TypeError, ValueError):
        return False
    return True


def _delegated(responder: x509.Certificate, issuer: x509.Certificate) -> bool:
    """A responder certificate the issuer signed for OCSP signing (RFC 6960 4.2.2.2)."""
    try:
        usage = responder.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        responder.verify_directly_issued_by(issuer)
    except (x509.ExtensionNotFound, InvalidSignature, TypeError, ValueError):
        return False
    return ExtendedKeyUsageOID.OCSP_SIGNING in usage


def _trusted_signer(
    response: ocsp.OCSPResponse, issuer: x509.Certificate, extra: list[x509.Certificate]
) -> bool:
    if _signed_by(issuer, response) or any(_signed_by(c, response) for c in extra):
        return True
    return any(_delegated(c, issuer) and _signed_by(c, response) for c in response.certificates)


def _status(
    raw: bytes,
    leaf: x509.Certificate,
    issuer: x509.Certificate,
    extra: list[x509.Certificate],
    now: dt.datetime,
) -> ocsp.OCSPCertStatus:
    """The status a responder's answer gives. Raises Refused if the answer is unusable."""
    try:
        response = ocsp.load_der_ocsp_response(raw)
    except ValueError:
        raise Refused("ocsp: unreadable response") from None
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        raise Refused("ocsp: responder did not answer successfully")
    if response.serial_number != leaf.serial_number:
        raise Refused("ocsp: response about another certificate")
    if not _trusted_signer(response, issuer, extra):
        raise Refused("ocsp: response not signed by a trusted responder")
    if response.this_update_utc - _SKEW > now:
        raise Refused("ocsp: response from the future")
    next_update = response.next_update_utc
    if next_update is not None and next_update + _SKEW < now:
        raise Refused("ocsp: stale response")
    return response.certificate_status


async def check(
    role: CertRole,
    leaf: x509.Certificate,
    issuer: x509.Certificate,
    now: dt.datetime,
    fetch: Fetch = http_fetch,
) -> None:
    """Raises Refused if OCSP says `leaf` is revoked, or gives no usable answer and the role
    does not fail open."""
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(leaf, issuer, hashes.SHA1())  # noqa: S303 - RFC 5019's CertID hash
        .build()
        .public_bytes(serialization.Encoding.DER)
    )
    extra = parse_pem_certificates(role.ocsp_ca_certificates) if role.ocsp_ca_certificates else []
    good = False
    for url in responders(role, leaf):
        try:
            status = _status(await fetch(url, request), leaf, issuer, extra, now)
        except (Refused, httpx.HTTPError):
            continue
        if status == ocsp.OCSPCertStatus.REVOKED:
            raise Refused("ocsp: certificate revoked")
        good = good or status == ocsp.OCSPCertStatus.GOOD
        if good and not role.ocsp_query_all_servers:
            return
    if not good and not role.ocsp_fail_open:
        raise Refused("ocsp: no responder vouched for the certificate")
