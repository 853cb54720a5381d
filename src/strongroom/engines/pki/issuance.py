"""Issuing a leaf certificate under a role (Vault's `generateCreationBundle` and
`validateNames`, builtin/logical/pki/cert_util.go; api-docs/secret/pki#generate-certificate-
and-key): the names asked for (and a CSR's, when the role uses them) are checked against the
role, the role supplies the subject's other attributes, key usages and TTLs, and the issuer
signs. Every refusal is a 400 naming the rule that refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from strongroom.engines.pki import certs, keys, naming
from strongroom.engines.pki.context import PkiContext
from strongroom.engines.pki.models import CertEntry, IssuerEntry, Role
from strongroom.engines.pki.subject import (
    SubjectFields,
    alt_names,
    parse_ips,
    parse_other,
    split_names,
    validity,
)
from strongroom.errors import BadRequest

CN_REQUIRED = (
    'the common_name field is required, or must be provided in a CSR with "use_csr_common_name" '
    'set to true, unless "require_cn" is set to false'
)


@dataclass(frozen=True, slots=True)
class Issued:
    cert: x509.Certificate
    issuer: IssuerEntry
    chain: list[str]
    warnings: list[str] = field(default_factory=list)


def _flags(role: Role) -> list[x509.ObjectIdentifier]:
    found = []
    for flag, oid in (
        (role.server_flag, ExtendedKeyUsageOID.SERVER_AUTH),
        (role.client_flag, ExtendedKeyUsageOID.CLIENT_AUTH),
        (role.code_signing_flag, ExtendedKeyUsageOID.CODE_SIGNING),
        (role.email_protection_flag, ExtendedKeyUsageOID.EMAIL_PROTECTION),
    ):
        if flag:
            found.append(oid)
    return found


def checked_key(role: Role, public: keys.PublicKey) -> None:
    """Raises BadRequest if a CSR's key is not of the role's `key_type`/`key_bits`."""
    if role.key_type == "any":
        return
    kind = keys.type_of(public)
    if kind != role.key_type:
        raise BadRequest(f"role requires keys of type {role.key_type}")
    bits = keys.bits_of(public)
    if kind == "rsa" and bits < role.key_bits:
        raise BadRequest(
            f"role requires a minimum of a {role.key_bits}-bit key, but CSR's key is {bits} bits"
        )
    if kind == "ec" and role.key_bits and bits != role.key_bits:
        raise BadRequest(
            f"role requires a {role.key_bits}-bit EC key, but CSR's key is {bits} bits"
        )


def _csr_names(request: x509.CertificateSigningRequest) -> certs.Sans:
    try:
        ext = request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return certs.Sans()
    except ValueError:
        raise BadRequest("the CSR's extensions could not be parsed") from None
    return certs.Sans(
        dns=ext.get_values_for_type(x509.DNSName),
        emails=ext.get_values_for_type(x509.RFC822Name),
        ips=ext.get_values_for_type(x509.IPAddress),  # type: ignore[arg-type]
        uris=ext.get_values_for_type(x509.UniformResourceIdentifier),
    )


def csr_common_name(request: x509.CertificateSigningRequest) -> str:
    found = request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    value = found[0].value if found else ""
    return value if isinstance(value, str) else value.decode(errors="replace")


def _check_names(role: Role, common_name: str, sans: certs.Sans) -> None:
    if (
        common_name
        and "disabled" not in role.cn_validations
        and not naming.allowed_name(role, common_name)
    ):
        raise BadRequest(f"common name {naming.shown(common_name)} not allowed by this role")
    for name in [*sans.dns, *sans.emails]:
        if name != common_name and not naming.allowed_name(role, name):
            raise BadRequest(
                f"subject alternate name {naming.shown(name)} not allowed by this role"
            )
    _check_ips(role, sans)
    for uri in sans.uris:
        if not naming.allowed_uri(role, uri):
            raise BadRequest(
                "URI Subject Alternative Names are not allowed in this role, "
                "but were provided via the API"
            )
    for oid, value in sans.other:
        if not naming.allowed_other(role, oid, value):
            raise BadRequest("requested other SAN does not match allowed other SANs of the role")


def _check_ips(role: Role, sans: certs.Sans) -> None:
    for ip in sans.ips:
        if not role.allow_ip_sans:
            raise BadRequest(
                f"IP Subject Alternative Names are not allowed in this role, but was provided {ip}"
            )
        if not naming.allowed_ip(role, ip):
            raise BadRequest(f"IP address {ip} is not allowed by this role")


def _merged(first: certs.Sans, second: certs.Sans) -> certs.Sans:
    def unique(a: Sequence[object], b: Sequence[object]) -> list[object]:
        return list(dict.fromkeys([*a, *b]))

    return certs.Sans(
        dns=unique(first.dns, second.dns),  # type: ignore[arg-type]
        emails=unique(first.emails, second.emails),  # type: ignore[arg-type]
        ips=unique(first.ips, second.ips),  # type: ignore[arg-type]
        uris=unique(first.uris, second.uris),  # type: ignore[arg-type]
        other=unique(first.other, second.other),  # type: ignore[arg-type]
    )


def requested_sans(
    role: Role, fields: SubjectFields, common_name: str, csr: x509.CertificateSigningRequest | None
) -> certs.Sans:
    """The SANs a certificate will carry: the request's, the CSR's (with `use_csr_sans`) and
    the common name (unless `exclude_cn_from_sans`)."""
    names = alt_names(fields.alt_names)
    if common_name and not fields.exclude_cn_from_sans:
        names.insert(0, common_name)
    dns, emails = split_names(names)
    asked = certs.Sans(
        dns=dns,
        emails=emails,
        ips=parse_ips(fields.ip_sans),
        uris=[u for u in fields.uri_sans if u],
        other=parse_other(fields.other_sans),
    )
    if csr is not None and role.use_csr_sans:
        return _merged(asked, _csr_names(csr))
    return asked


async def issue(
    ctx: PkiContext,
    role: Role,
    issuer: IssuerEntry,
    fields: SubjectFields,
    public_key: keys.PublicKey,
    csr: x509.CertificateSigningRequest | None = None,
    *,
    verbatim_subject: x509.Name | None = None,
) -> Issued:
    """A certificate for `public_key` as `role` allows, signed by `issuer` and stored unless
    the role says `no_store`. Raises BadRequest naming the rule a request breaks."""
    if "issuing-certificates" not in issuer.usage or issuer.revoked:
        raise BadRequest("unable to use this issuer: it is not permitted to issue certificates")
    common_name = fields.common_name
    if not common_name and csr is not None and role.use_csr_common_name:
        common_name = csr_common_name(csr)
    sans = requested_sans(role, fields, common_name, csr)
    if verbatim_subject is None:
        if role.require_cn and not common_name:
            raise BadRequest(CN_REQUIRED)
        _check_names(role, common_name, sans)
        parts = {name: getattr(role, name) for name, _ in certs.SUBJECT_ORDER}
        subject = certs.subject(common_name, parts, fields.serial_number)
    else:
        subject = verbatim_subject
    signer = await ctx.signer(issuer, role.signature_bits)
    assert signer.certificate is not None  # noqa: S101 - an issuer always has one
    default_ttl, mount_max = ctx.mount.lease_ttls()
    window = validity(
        ctx.now(),
        (fields.ttl, fields.not_after, fields.not_before),
        (role.ttl or default_ttl, role.max_ttl or mount_max),
        role.not_before_duration,
        (signer.certificate, issuer.leaf_not_after_behavior),
    )
    plan = certs.Plan(
        subject=subject,
        public_key=public_key,
        not_before=window.not_before,
        not_after=window.not_after,
        sans=sans,
        key_usage=role.key_usage,
        ext_key_usage=[
            *_flags(role),
            *certs.ext_key_usages(role.ext_key_usage, role.ext_key_usage_oids),
        ],
        policy_identifiers=role.policy_identifiers,
        basic_constraints_valid_for_non_ca=role.basic_constraints_valid_for_non_ca,
        urls=await ctx.urls(issuer),
    )
    signer = certs.Signer(signer.key, signer.certificate, role.signature_bits, role.use_pss)
    cert = certs.sign(plan, signer)
    if not role.no_store:
        await store_cert(ctx, cert, issuer.id)
    return Issued(cert, issuer, await ctx.chain(issuer), list(window.warnings))


async def store_cert(ctx: PkiContext, cert: x509.Certificate, issuer_id: str) -> None:
    entry = CertEntry(
        certificate=certs.pem(cert), issuer_id=issuer_id, not_after=certs.not_after(cert)
    )
    await ctx.store.put_cert(certs.serial_text(cert.serial_number), entry)
