"""Issuance: `issue/:role`, `sign/:role`, `sign-verbatim(/:role)`, their `issuer/:ref/...`
forms, `root/sign-intermediate` and `root/sign-self-issued` (api-docs/secret/pki#generate-
certificate-and-key, #sign-certificate, #sign-verbatim, #sign-intermediate, #sign-self-issued).
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from cryptography import x509
from msgspec import Meta

from strongroom.engines.pki import certs, keys
from strongroom.engines.pki.context import PkiContext
from strongroom.engines.pki.issuance import Issued, checked_key, issue, store_cert
from strongroom.engines.pki.issuers import is_ca
from strongroom.engines.pki.models import Role
from strongroom.engines.pki.naming import shown
from strongroom.engines.pki.path_generate import CaUsage, ca_certificate
from strongroom.engines.pki.subject import (
    SubjectFields,
    checked_format,
)
from strongroom.errors import BadRequest
from strongroom.logical import Request, Response

ISSUE_SYNOPSIS = "Request a certificate using a certain role with the provided details."
SIGN_SYNOPSIS = "Request certificates using a certain role with the provided details."
VERBATIM_SYNOPSIS = "Request a certificate using a CSR, signed verbatim."
INTERMEDIATE_SYNOPSIS = "Issue an intermediate CA certificate based on the provided CSR."
SELF_ISSUED_SYNOPSIS = "Signs another CA's self-issued certificate."

Csr = Annotated[str, Meta(description="PEM-format CSR to be signed.")]
IssuerRefField = Annotated[str, Meta(description="Reference to the issuer to sign with.")]
RoleField = Annotated[str, Meta(description="The desired role with configuration for this request")]


class IssueWrite(SubjectFields, frozen=True, kw_only=True):
    role: RoleField
    key_type: Annotated[str, Meta(description="Key type, when the role's is `any`.")] = ""
    key_bits: Annotated[int, Meta(description="Key bits, when the role's type is `any`.")] = 0
    issuer_ref: IssuerRefField = ""
    remove_roots_from_chain: Annotated[bool, Meta(description="Leave roots out of ca_chain.")] = (
        False
    )


class SignWrite(IssueWrite, frozen=True, kw_only=True):
    csr: Csr = ""


class VerbatimWrite(SubjectFields, frozen=True, kw_only=True):
    role: RoleField = ""
    issuer_ref: IssuerRefField = ""
    csr: Csr = ""
    key_usage: Annotated[list[str], Meta(description="Allowed key usage.")] = msgspec.field(
        default_factory=lambda: ["DigitalSignature", "KeyAgreement", "KeyEncipherment"]
    )
    ext_key_usage: Annotated[list[str], Meta(description="Allowed extended key usage.")] = (
        msgspec.field(default_factory=list)
    )
    ext_key_usage_oids: Annotated[list[str], Meta(description="Extended key usage OIDs.")] = (
        msgspec.field(default_factory=list)
    )
    signature_bits: Annotated[int, Meta(description="The hash size of the signature.")] = 0
    use_pss: Annotated[bool, Meta(description="Sign with RSA-PSS.")] = False
    remove_roots_from_chain: Annotated[bool, Meta(description="Leave roots out of ca_chain.")] = (
        False
    )
    basic_constraints_valid_for_non_ca: Annotated[
        bool, Meta(description="Mark Basic Constraints valid when issuing non-CA certificates.")
    ] = False


class IntermediateSign(CaUsage, frozen=True, kw_only=True):
    csr: Csr = ""
    issuer_ref: IssuerRefField = "default"
    issuer_name: Annotated[str, Meta(description="Unused here (shared with root/generate).")] = ""
    use_csr_values: Annotated[bool, Meta(description="Use the CSR's subject and SANs.")] = False
    skid: Annotated[str, Meta(description="Subject Key Identifier (hex) to use.")] = ""


class SelfIssued(msgspec.Struct, frozen=True, kw_only=True):
    certificate: Annotated[str, Meta(description="PEM-format self-issued certificate.")] = ""
    issuer_ref: IssuerRefField = "default"
    require_matching_certificate_algorithms: Annotated[
        bool, Meta(description="Require the same key type as the signing issuer.")
    ] = False


async def _role(ctx: PkiContext, name: str) -> Role:
    role = await ctx.store.role(name)
    if role is None:
        raise BadRequest(f"unknown role: {shown(name)}")
    return role


def _answer(issued: Issued, fmt: str, private: str | None = None, key_type: str = "") -> Response:
    cert = _text(issued.cert, fmt)
    issuing = issued.chain[0] if fmt != "der" else _text(certs.load_pem(issued.chain[0]), "der")
    body: dict[str, Any] = {
        "ca_chain": issued.chain,
        "certificate": cert,
        "expiration": int(certs.not_after(issued.cert)),
        "issuing_ca": issuing,
        "not_before": int(issued.cert.not_valid_before_utc.timestamp()),
        "serial_number": certs.serial_text(issued.cert.serial_number),
    }
    if fmt == "pem_bundle":
        body["certificate"] = "\n".join([*([private] if private else []), cert, issued.chain[0]])
    if private is not None:
        body["private_key"] = private
        body["private_key_type"] = key_type
    return Response(data=body, warnings=issued.warnings or None)


def _chain_for(issued: Issued, remove_roots: bool) -> Issued:
    """With `remove_roots_from_chain`, `ca_chain` leaves out self-signed certificates."""
    if not remove_roots:
        return issued
    kept = [pem for pem in issued.chain if not _self_signed(certs.load_pem(pem))]
    return Issued(issued.cert, issued.issuer, kept or issued.chain[:1], issued.warnings)


def _self_signed(cert: x509.Certificate) -> bool:
    return cert.issuer == cert.subject and certs.signed_by(cert, cert)


def _text(cert: x509.Certificate, fmt: str) -> str:
    return certs.der_b64(cert) if fmt == "der" else certs.pem(cert)


async def _issue(ctx: PkiContext, fields: IssueWrite) -> Response:
    checked_format(fields)
    role = await _role(ctx, fields.role)
    key_type, key_bits = role.key_type, role.key_bits
    if key_type == "any":
        if not fields.key_type or fields.key_type == "any":
            raise BadRequest(
                'role key type "any" not allowed for issuing certificates, only signing'
            )
        key_type, key_bits = fields.key_type, fields.key_bits
    issuer = await ctx.issuer(fields.issuer_ref or role.issuer_ref)
    key = keys.generate(key_type, key_bits)
    issued = await issue(ctx, role, issuer, fields, key.public_key())
    private = keys.render(key, fields.format, fields.private_key_format)
    return _answer(
        _chain_for(issued, fields.remove_roots_from_chain), fields.format, private, key_type
    )


async def issue_cert(ctx: PkiContext, _req: Request, fields: IssueWrite) -> Response:
    return await _issue(ctx, fields)


async def sign_cert(ctx: PkiContext, _req: Request, fields: SignWrite) -> Response:
    checked_format(fields)
    role = await _role(ctx, fields.role)
    request = certs.load_csr(_required_csr(fields.csr))
    checked_key(role, keys.supported(request.public_key()))
    issuer = await ctx.issuer(fields.issuer_ref or role.issuer_ref)
    issued = await issue(ctx, role, issuer, fields, keys.supported(request.public_key()), request)
    return _answer(_chain_for(issued, fields.remove_roots_from_chain), fields.format)


def _required_csr(text: str) -> str:
    if not text:
        raise BadRequest("the csr field is required")
    return text


async def sign_verbatim(ctx: PkiContext, _req: Request, fields: VerbatimWrite) -> Response:
    """The CSR's subject and SANs as they are; the role (if named) gives TTLs and storage."""
    checked_format(fields)
    base = await _role(ctx, fields.role) if fields.role else Role()
    role = msgspec.structs.replace(
        base,
        allow_any_name=True,
        enforce_hostnames=False,
        allow_ip_sans=True,
        allowed_uri_sans=["*"],
        allowed_other_sans=["*"],
        key_usage=fields.key_usage,
        ext_key_usage=fields.ext_key_usage,
        ext_key_usage_oids=fields.ext_key_usage_oids,
        server_flag=False,
        client_flag=False,
        code_signing_flag=False,
        email_protection_flag=False,
        signature_bits=fields.signature_bits or base.signature_bits,
        use_pss=fields.use_pss,
        use_csr_sans=True,
        use_csr_common_name=True,
        require_cn=False,
        basic_constraints_valid_for_non_ca=fields.basic_constraints_valid_for_non_ca,
    )
    request = certs.load_csr(_required_csr(fields.csr))
    issuer = await ctx.issuer(fields.issuer_ref or base.issuer_ref)
    names = msgspec.structs.replace(fields, common_name="", exclude_cn_from_sans=True)
    issued = await issue(
        ctx,
        role,
        issuer,
        names,
        keys.supported(request.public_key()),
        request,
        verbatim_subject=request.subject,
    )
    return _answer(_chain_for(issued, fields.remove_roots_from_chain), fields.format)


async def sign_intermediate(ctx: PkiContext, _req: Request, fields: IntermediateSign) -> Response:
    checked_format(fields)
    request = certs.load_csr(_required_csr(fields.csr))
    issuer = await ctx.issuer(fields.issuer_ref)
    if "issuing-certificates" not in issuer.usage or issuer.revoked:
        raise BadRequest("unable to use this issuer: it is not permitted to issue certificates")
    signer = await ctx.signer(issuer, fields.signature_bits)
    assert signer.certificate is not None  # noqa: S101 - an issuer always has one
    if fields.use_csr_values:
        name = request.subject
    else:
        if not fields.common_name:
            raise BadRequest("the common_name field is required")
        parts = {n: getattr(fields, n) for n, _ in certs.SUBJECT_ORDER}
        name = certs.subject(fields.common_name, parts, fields.serial_number)
    signer = certs.Signer(signer.key, signer.certificate, fields.signature_bits, fields.use_pss)
    public = keys.supported(request.public_key())
    skid = certs.parse_skid(fields.skid) if fields.skid else b""
    cert, window = await ca_certificate(ctx, fields, name, public, signer, issuer, skid)
    await store_cert(ctx, cert, issuer.id)
    chain = [certs.pem(cert), *await ctx.chain(issuer)]
    issued = Issued(cert, issuer, chain, list(window.warnings))
    response = _answer(issued, fields.format)
    assert response.data is not None  # noqa: S101
    data = dict(response.data)
    data["issuing_ca"] = issuer.certificate
    data.pop("not_before", None)
    response.data = data
    return response


async def sign_self_issued(ctx: PkiContext, _req: Request, fields: SelfIssued) -> Response:
    """Re-sign another CA's self-issued certificate (same subject, key, serial and window)."""
    if not fields.certificate:
        raise BadRequest("no certificate provided")
    cert = certs.load_pem(fields.certificate)
    if cert.issuer != cert.subject:
        raise BadRequest("given certificate is not self-issued")
    if not is_ca(cert):
        raise BadRequest("given certificate is not a CA certificate")
    issuer = await ctx.issuer(fields.issuer_ref)
    signer = await ctx.signer(issuer)
    if fields.require_matching_certificate_algorithms and keys.type_of(
        keys.supported(cert.public_key())
    ) != keys.type_of(signer.key):
        raise BadRequest("certificate algorithms do not match the signing issuer's")
    assert signer.certificate is not None  # noqa: S101
    builder = (
        x509.CertificateBuilder()
        .subject_name(cert.subject)
        .issuer_name(signer.certificate.subject)
        .public_key(cert.public_key())
        .serial_number(cert.serial_number)
        .not_valid_before(cert.not_valid_before_utc)
        .not_valid_after(cert.not_valid_after_utc)
    )
    for ext in cert.extensions:
        if not isinstance(ext.value, x509.AuthorityKeyIdentifier):
            builder = builder.add_extension(ext.value, ext.critical)
    ski = signer.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski.value), critical=False
    )
    signed = certs.sign_builder(builder, signer)
    return Response(data={"certificate": certs.pem(signed), "issuing_ca": issuer.certificate})
