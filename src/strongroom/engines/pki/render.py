"""Bodies of issuer and key reads, and the raw (non-JSON) answers, as Vault's PKI renders them
(builtin/logical/pki/path_fetch_issuers.go, path_fetch.go)."""

from __future__ import annotations

import base64
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from strongroom.clock import rfc3339
from strongroom.engines.pki import certs, keys
from strongroom.engines.pki.models import IssuerEntry, KeyEntry
from strongroom.logical import Response

PEM_CHAIN = "application/pem-certificate-chain"
PKIX_CERT = "application/pkix-cert"
PKIX_CRL = "application/pkix-crl"
PEM_FILE = "application/x-pem-file"
OCSP_RESPONSE = "application/ocsp-response"
_SIGNATURE_ALGORITHMS = {"rsa": "SHA256WithRSA", "ec": "ECDSAWithSHA256", "ed25519": "PureEd25519"}


def raw(body: str | bytes, content_type: str) -> Response:
    """A body sent as it is (a PEM, a DER, an OCSP response) with its media type."""
    return Response(text=body, content_type=content_type, raw=True)


def issuer(entry: IssuerEntry, chain: list[str], key: KeyEntry | None) -> dict[str, Any]:
    algorithm = entry.revocation_signature_algorithm
    if not algorithm and key is not None:
        algorithm = _SIGNATURE_ALGORITHMS.get(key.type, "")
    body: dict[str, Any] = {
        "ca_chain": chain,
        "certificate": entry.certificate,
        "crl_distribution_points": entry.crl_distribution_points,
        "delta_crl_distribution_points": entry.delta_crl_distribution_points,
        "issuer_id": entry.id,
        "issuer_name": entry.name,
        "issuing_certificates": entry.issuing_certificates,
        "key_id": entry.key_id,
        "leaf_not_after_behavior": entry.leaf_not_after_behavior,
        "manual_chain": entry.manual_chain,
        "ocsp_servers": entry.ocsp_servers,
        "revocation_signature_algorithm": algorithm,
        "revoked": entry.revoked,
        "usage": ",".join(sorted(entry.usage)),
    }
    if entry.revoked:
        body["revocation_time"] = int(entry.revocation_time)
        body["revocation_time_rfc3339"] = rfc3339(entry.revocation_time)
    return body


def key(entry: KeyEntry, subject_key_id: str) -> dict[str, Any]:
    return {
        "key_id": entry.id,
        "key_name": entry.name,
        "key_type": entry.type,
        "subject_key_id": subject_key_id,
    }


def subject_key_id(entry: KeyEntry) -> str:
    public = keys.load(entry.private_key).public_key()
    digest = x509.SubjectKeyIdentifier.from_public_key(public).digest
    return ":".join(f"{b:02x}" for b in digest)


def der(pem_text: str) -> bytes:
    return certs.load_pem(pem_text).public_bytes(serialization.Encoding.DER)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()
