"""Building and signing X.509 certificates and CSRs with `cryptography` (RFC 5280), with the
profile Vault's `certutil.CreateCertificate` gives them.

Every certificate gets a random 159-bit serial, a Subject Key Identifier and, when signed by
another key, that key's identifier as Authority Key Identifier. CA certificates carry a
critical BasicConstraints (CA, with `max_path_length` when not -1) and a critical KeyUsage of
certificate and CRL signing; leaves carry the role's KeyUsage and ExtendedKeyUsage.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import (
    AuthorityInformationAccessOID,
    ExtendedKeyUsageOID,
    NameOID,
    ObjectIdentifier,
)

from strongroom.engines.pki import keys
from strongroom.errors import BadRequest

KEY_USAGES = (
    "digitalsignature",
    "contentcommitment",
    "keyencipherment",
    "dataencipherment",
    "keyagreement",
    "certsign",
    "crlsign",
    "encipheronly",
    "decipheronly",
)
EXT_KEY_USAGES = {
    "any": ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE,
    "serverauth": ExtendedKeyUsageOID.SERVER_AUTH,
    "clientauth": ExtendedKeyUsageOID.CLIENT_AUTH,
    "codesigning": ExtendedKeyUsageOID.CODE_SIGNING,
    "emailprotection": ExtendedKeyUsageOID.EMAIL_PROTECTION,
    "timestamping": ExtendedKeyUsageOID.TIME_STAMPING,
    "ocspsigning": ExtendedKeyUsageOID.OCSP_SIGNING,
    "ipsecendsystem": ObjectIdentifier("1.3.6.1.5.5.7.3.5"),
    "ipsectunnel": ObjectIdentifier("1.3.6.1.5.5.7.3.6"),
    "ipsecuser": ObjectIdentifier("1.3.6.1.5.5.7.3.7"),
}
# Go's pkix.Name.ToRDNSequence order, which Vault's subjects follow.
SUBJECT_ORDER = (
    ("country", NameOID.COUNTRY_NAME),
    ("organization", NameOID.ORGANIZATION_NAME),
    ("ou", NameOID.ORGANIZATIONAL_UNIT_NAME),
    ("locality", NameOID.LOCALITY_NAME),
    ("province", NameOID.STATE_OR_PROVINCE_NAME),
    ("street_address", NameOID.STREET_ADDRESS),
    ("postal_code", NameOID.POSTAL_CODE),
)
UTF8_STRING = 0x0C


@dataclass(frozen=True, slots=True)
class Sans:
    dns: Sequence[str] = ()
    emails: Sequence[str] = ()
    ips: Sequence[ipaddress.IPv4Address | ipaddress.IPv6Address] = ()
    uris: Sequence[str] = ()
    other: Sequence[tuple[str, str]] = ()  # (oid, UTF-8 value)

    def general_names(self) -> list[x509.GeneralName]:
        found: list[x509.GeneralName] = [x509.DNSName(n) for n in self.dns]
        found += [x509.RFC822Name(e) for e in self.emails]
        found += [x509.IPAddress(ip) for ip in self.ips]
        found += [x509.UniformResourceIdentifier(u) for u in self.uris]
        for oid, value in self.other:
            der = _utf8_der(value)
            found.append(x509.OtherName(ObjectIdentifier(oid), der))
        return found


def _utf8_der(value: str) -> bytes:
    """An explicitly tagged UTF8String, as Vault encodes an other-name value."""
    raw = value.encode()
    inner = bytes([UTF8_STRING]) + _der_length(len(raw)) + raw
    return bytes([0xA0]) + _der_length(len(inner)) + inner


def _der_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    size = (n.bit_length() + 7) // 8
    return bytes([0x80 | size]) + n.to_bytes(size, "big")


@dataclass(frozen=True, slots=True)
class Urls:
    issuing_certificates: Sequence[str] = ()
    crl_distribution_points: Sequence[str] = ()
    ocsp_servers: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything a new certificate states apart from its issuer."""

    subject: x509.Name
    public_key: keys.PublicKey
    not_before: float
    not_after: float
    sans: Sans = field(default_factory=Sans)
    is_ca: bool = False
    max_path_length: int = -1
    permitted_dns_domains: Sequence[str] = ()
    key_usage: Sequence[str] = ()
    ext_key_usage: Sequence[ObjectIdentifier] = ()
    policy_identifiers: Sequence[str] = ()
    basic_constraints_valid_for_non_ca: bool = False
    urls: Urls = field(default_factory=Urls)
    subject_key_id: bytes = b""  # b"": derived from the public key (RFC 5280 §4.2.1.2 (1))


@dataclass(frozen=True, slots=True)
class Signer:
    """The issuing key and certificate (None: self-signed) and the signature settings."""

    key: keys.PrivateKey
    certificate: x509.Certificate | None = None
    signature_bits: int = 0
    use_pss: bool = False


def new_serial() -> int:
    """A positive serial of at most 159 random bits (RFC 5280 §4.1.2.2; Vault's)."""
    return secrets.randbits(159) or 1


def serial_text(serial: int) -> str:
    """Vault's serial form: lower-case hex bytes joined by colons."""
    raw = serial.to_bytes(max(1, (serial.bit_length() + 7) // 8), "big")
    return ":".join(f"{b:02x}" for b in raw)


def subject(common_name: str, parts: dict[str, Sequence[str]], serial: str = "") -> x509.Name:
    """A subject from Vault's subject fields (each a list) and the common name."""
    attributes = [
        x509.NameAttribute(oid, value)
        for name, oid in SUBJECT_ORDER
        for value in parts.get(name, ())
    ]
    if serial:
        attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    if common_name:
        attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    try:
        return x509.Name(attributes)
    except ValueError:
        raise BadRequest("invalid subject field (e.g. country must be 2 letters)") from None


def _time(ts: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(ts), tz=dt.UTC)


def key_usage(names: Sequence[str], *, ca: bool) -> x509.KeyUsage | None:
    """Vault's `key_usage` names (case-insensitive, "KeyUsage" suffix optional). Raises
    BadRequest for an unknown name."""
    wanted = {n.lower().removesuffix("keyusage") for n in names if n}
    unknown = wanted - set(KEY_USAGES)
    if unknown:
        raise BadRequest("unknown key_usage; see Vault's list of key usages")
    if ca:
        wanted |= {"certsign", "crlsign"}
    if not wanted:
        return None
    flags = {name: name in wanted for name in KEY_USAGES}
    agreement = flags["keyagreement"]
    return x509.KeyUsage(
        digital_signature=flags["digitalsignature"],
        content_commitment=flags["contentcommitment"],
        key_encipherment=flags["keyencipherment"],
        data_encipherment=flags["dataencipherment"],
        key_agreement=agreement,
        key_cert_sign=flags["certsign"],
        crl_sign=flags["crlsign"],
        encipher_only=agreement and flags["encipheronly"],
        decipher_only=agreement and flags["decipheronly"],
    )


def ext_key_usages(names: Sequence[str], oids: Sequence[str]) -> list[ObjectIdentifier]:
    """Raises BadRequest for an unknown name or a malformed OID."""
    found = []
    for name in names:
        oid = EXT_KEY_USAGES.get(name.lower().removesuffix("extkeyusage"))
        if oid is None:
            raise BadRequest("unknown ext_key_usage; see Vault's list of extended key usages")
        found.append(oid)
    for text in oids:
        try:
            found.append(ObjectIdentifier(text))
        except ValueError:
            raise BadRequest("invalid ext_key_usage_oids entry: not an OID") from None
    return list(dict.fromkeys(found))


def _extensions(plan: Plan, builder: x509.CertificateBuilder) -> x509.CertificateBuilder:
    names = plan.sans.general_names()
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    if plan.is_ca:
        path = None if plan.max_path_length < 0 else plan.max_path_length
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=path), critical=True
        )
    elif plan.basic_constraints_valid_for_non_ca:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=False, path_length=None), critical=True
        )
    usage = key_usage(plan.key_usage, ca=plan.is_ca)
    if usage is not None:
        builder = builder.add_extension(usage, critical=True)
    if plan.ext_key_usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(plan.ext_key_usage), critical=False)
    if plan.permitted_dns_domains:
        permitted = [x509.DNSName(d) for d in plan.permitted_dns_domains]
        builder = builder.add_extension(x509.NameConstraints(permitted, None), critical=True)
    if plan.policy_identifiers:
        try:
            policies = [
                x509.PolicyInformation(ObjectIdentifier(p), None) for p in plan.policy_identifiers
            ]
        except ValueError:
            raise BadRequest("invalid policy_identifiers entry: not an OID") from None
        builder = builder.add_extension(x509.CertificatePolicies(policies), critical=False)
    return _urls(plan.urls, builder)


def _urls(urls: Urls, builder: x509.CertificateBuilder) -> x509.CertificateBuilder:
    access = [
        x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS, _uri(u))
        for u in urls.issuing_certificates
    ] + [
        x509.AccessDescription(AuthorityInformationAccessOID.OCSP, _uri(u))
        for u in urls.ocsp_servers
    ]
    if access:
        builder = builder.add_extension(x509.AuthorityInformationAccess(access), critical=False)
    if urls.crl_distribution_points:
        points = [
            x509.DistributionPoint([_uri(u)], None, None, None)
            for u in urls.crl_distribution_points
        ]
        builder = builder.add_extension(x509.CRLDistributionPoints(points), critical=False)
    return builder


def _uri(value: str) -> x509.UniformResourceIdentifier:
    return x509.UniformResourceIdentifier(value)


def sign(plan: Plan, signer: Signer) -> x509.Certificate:
    """The certificate `plan` describes, signed by `signer`. Raises BadRequest for a plan
    `cryptography` refuses (e.g. a malformed name)."""
    issuer_name = plan.subject if signer.certificate is None else signer.certificate.subject
    builder = (
        x509.CertificateBuilder()
        .subject_name(plan.subject)
        .issuer_name(issuer_name)
        .public_key(plan.public_key)
        .serial_number(new_serial())
        .not_valid_before(_time(plan.not_before))
        .not_valid_after(_time(plan.not_after))
        .add_extension(_subject_key_id(plan), critical=False)
    )
    builder = builder.add_extension(_authority_key_id(plan, signer), critical=False)
    try:
        return sign_builder(_extensions(plan, builder), signer)
    except ValueError:
        raise BadRequest("the certificate could not be built from these fields") from None


def _subject_key_id(plan: Plan) -> x509.SubjectKeyIdentifier:
    if plan.subject_key_id:
        return x509.SubjectKeyIdentifier(plan.subject_key_id)
    return x509.SubjectKeyIdentifier.from_public_key(plan.public_key)


def parse_skid(text: str) -> bytes:
    """A Subject Key Identifier from hex (colons allowed). Raises BadRequest."""
    try:
        return bytes.fromhex(text.replace(":", ""))
    except ValueError:
        raise BadRequest("skid must be hex bytes (e.g. 0a:1b:...)") from None


def _authority_key_id(plan: Plan, signer: Signer) -> x509.AuthorityKeyIdentifier:
    if signer.certificate is None:
        return x509.AuthorityKeyIdentifier.from_issuer_public_key(plan.public_key)
    try:
        ski = signer.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    except x509.ExtensionNotFound:
        return x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.key.public_key())
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski.value)


def sign_builder(builder: x509.CertificateBuilder, signer: Signer) -> x509.Certificate:
    algorithm = keys.signature_hash(signer.key, signer.signature_bits)
    if signer.use_pss and isinstance(signer.key, rsa.RSAPrivateKey) and algorithm is not None:
        pss = padding.PSS(padding.MGF1(algorithm), padding.PSS.DIGEST_LENGTH)
        return builder.sign(signer.key, algorithm, rsa_padding=pss)
    return builder.sign(signer.key, algorithm)


def csr(
    name: x509.Name, key: keys.PrivateKey, sans: Sans, *, basic_constraints: bool = False
) -> x509.CertificateSigningRequest:
    """A CSR for an intermediate CA (intermediate/generate)."""
    builder = x509.CertificateSigningRequestBuilder().subject_name(name)
    general = sans.general_names()
    if general:
        builder = builder.add_extension(x509.SubjectAlternativeName(general), critical=False)
    if basic_constraints:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=None), critical=True
        )
    return builder.sign(key, keys.signature_hash(key, 0))


def pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode().strip()


def der_b64(cert: x509.Certificate | x509.CertificateSigningRequest) -> str:
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def load_pem(text: str) -> x509.Certificate:
    """Raises BadRequest if `text` is not one PEM certificate."""
    try:
        return x509.load_pem_x509_certificate(text.encode())
    except ValueError:
        raise BadRequest("unable to parse the certificate") from None


def load_csr(text: str) -> x509.CertificateSigningRequest:
    """Raises BadRequest if `text` is not a PEM CSR with a valid self-signature."""
    try:
        request = x509.load_pem_x509_csr(text.encode())
    except ValueError:
        raise BadRequest("certificate request could not be parsed") from None
    try:
        valid = request.is_signature_valid
    except Exception:  # noqa: BLE001 - an unsupported algorithm is as bad as a wrong signature
        valid = False
    if not valid:
        raise BadRequest("certificate request signature is invalid")
    return request


def signed_by(cert: x509.Certificate, parent: x509.Certificate) -> bool:
    """Whether `parent` issued `cert` (names match and its key verifies the signature)."""
    if cert.issuer != parent.subject:
        return False
    try:
        cert.verify_directly_issued_by(parent)
    except (ValueError, TypeError, Exception):  # noqa: BLE001 - InvalidSignature and friends
        return False
    return True


def not_after(cert: x509.Certificate) -> float:
    return cert.not_valid_after_utc.timestamp()
