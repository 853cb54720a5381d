"""Whether a client's certificate chain leads to a role's trusted certificate at a given time
(Vault's path_login.go `verifyCredentials`), with `cryptography.x509.verification`.

A role's `certificate` may hold CA certificates, whose chains it accepts, and leaf
certificates, which it accepts exactly. The client's leaf is verified as Go's x509.Verify does
for Vault (the chain's signatures, validity at the injected clock, CA basic constraints, and a
client-auth extended key usage when the leaf names any usage) with the client's other
certificates as the intermediates. The WebPKI profile's further demands (key identifiers, SANs)
are not Vault's, so the extension policies permit them absent.
"""

from __future__ import annotations

import datetime as dt

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

_CLIENT_USAGES = frozenset(
    {ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE}
)


def parse_pem_certificates(pem: str) -> list[x509.Certificate]:
    """The certificates of a PEM bundle. Raises ValueError if there are none or one is bad."""
    certs = x509.load_pem_x509_certificates(pem.encode())
    if not certs:
        raise ValueError("no certificate")
    return certs


def is_ca(cert: x509.Certificate) -> bool:
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def _must_be_ca(
    _policy: object, _cert: x509.Certificate, constraints: x509.BasicConstraints | None
) -> None:
    if constraints is None or not constraints.ca:
        raise ValueError("issuer is not a CA")


def _client_usage(
    _policy: object, _cert: x509.Certificate, usage: x509.ExtendedKeyUsage | None
) -> None:
    if usage is not None and not _CLIENT_USAGES & set(usage):
        raise ValueError("certificate is not for client authentication")


_CA_POLICY = ExtensionPolicy.permit_all().require_present(
    x509.BasicConstraints, Criticality.AGNOSTIC, _must_be_ca
)
_LEAF_POLICY = ExtensionPolicy.permit_all().may_be_present(
    x509.ExtendedKeyUsage, Criticality.AGNOSTIC, _client_usage
)


def verified_chain(
    trusted: list[x509.Certificate], chain: list[x509.Certificate], at: dt.datetime
) -> list[x509.Certificate] | None:
    """The chain from the client's leaf (`chain[0]`) to one of `trusted`, or None if there is
    none valid at `at`. A trusted leaf matches only itself."""
    leaf, intermediates = chain[0], chain[1:]
    anchors = [c for c in trusted if is_ca(c) or c == leaf]
    if not anchors:
        return None
    verifier = (
        PolicyBuilder()
        .store(Store(anchors))
        .time(at)
        .extension_policies(ca_policy=_CA_POLICY, ee_policy=_LEAF_POLICY)
        .build_client_verifier()
    )
    try:
        return list(verifier.verify(leaf, intermediates).chain)
    except VerificationError:
        return None
