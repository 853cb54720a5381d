"""Whether a client certificate meets a role's constraints (Vault's path_login.go
`matchesConstraints`: names, common names, DNS/email/URI SANs, OUs, required extensions), and
the values of its `allowed_metadata_extensions`.

An empty constraint allows every certificate; a set one needs some value of the certificate to
match one of its globs. `allowed_names` matches the common name, DNS and email SANs.
"""

from __future__ import annotations

from cryptography import x509
from cryptography.x509.oid import NameOID

from strongroom.auth.cert.globs import any_match, glob_match
from strongroom.auth.cert.models import CertRole

# DER string types Go's asn1.Unmarshal reads into a Go string (UTF8String, PrintableString,
# IA5String, NumericString, T61String): other extension values read as "", as in Vault.
_STRING_TAGS = frozenset({0x0C, 0x13, 0x16, 0x12, 0x14})


def common_name(cert: x509.Certificate) -> str:
    values = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else ""


def _sans(cert: x509.Certificate, kind: type[x509.GeneralName]) -> list[str]:
    try:
        extension = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return [str(v) for v in extension.value.get_values_for_type(kind)]  # type: ignore[arg-type]


def _organizational_units(cert: x509.Certificate) -> list[str]:
    attributes = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    return [str(a.value) for a in attributes]


def extension_text(raw: bytes) -> str:
    """An extension's value as Go's asn1.Unmarshal into a string reads it: a DER string's
    text, "" for anything else (short-form and long-form lengths)."""
    if len(raw) < 2 or raw[0] not in _STRING_TAGS:
        return ""
    length, start = raw[1], 2
    if length & 0x80:
        size = length & 0x7F
        length, start = int.from_bytes(raw[2 : 2 + size]), 2 + size
    if start + length != len(raw):
        return ""
    try:
        return raw[start:].decode()
    except UnicodeDecodeError:
        return ""


def extension_values(cert: x509.Certificate) -> dict[str, str]:
    """Each extension of `cert` by dotted OID, read as `extension_text` does."""
    values: dict[str, str] = {}
    for ext in cert.extensions:
        raw = ext.value.public_bytes() if hasattr(ext.value, "public_bytes") else b""
        values[ext.oid.dotted_string] = extension_text(raw)
    return values


def _required_extensions(role: CertRole, cert: x509.Certificate) -> bool:
    present = extension_values(cert)
    for required in role.required_extensions:
        oid, _, pattern = required.partition(":")
        value = present.get(oid)
        if value is None or not glob_match(pattern, value):
            return False
    return True


def matches(role: CertRole, cert: x509.Certificate) -> bool:
    """Whether `cert` (the client's leaf) meets every constraint of `role`."""
    name = common_name(cert)
    dns = _sans(cert, x509.DNSName)
    emails = _sans(cert, x509.RFC822Name)
    checks = (
        (role.allowed_names, [name, *dns, *emails]),
        (role.allowed_common_names, [name]),
        (role.allowed_dns_sans, dns),
        (role.allowed_email_sans, emails),
        (role.allowed_uri_sans, _sans(cert, x509.UniformResourceIdentifier)),
        (role.allowed_organizational_units, _organizational_units(cert)),
    )
    if any(patterns and not any_match(patterns, subjects) for patterns, subjects in checks):
        return False
    return _required_extensions(role, cert)


def metadata_extensions(role: CertRole, cert: x509.Certificate) -> dict[str, str]:
    """The values of the role's `allowed_metadata_extensions` the certificate carries, keyed
    by OID with dots as dashes (Vault: "1.2.3.45" becomes the metadata key "1-2-3-45")."""
    present = extension_values(cert)
    return {
        oid.replace(".", "-"): present[oid]
        for oid in role.allowed_metadata_extensions
        if oid in present
    }
