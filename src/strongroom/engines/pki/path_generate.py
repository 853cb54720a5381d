"""`root/generate/:type`, `intermediate/generate/:type`, `DELETE root`
(api-docs/secret/pki#generate-root, #generate-intermediate-csr, #delete-all-issuers-and-keys).

`:type` is `internal` (the key stays in the mount), `exported` (the answer carries it once) or
`existing` (`key_ref` names a key the mount holds). A new root is self-signed; a new
intermediate is a CSR whose key waits in the mount for `intermediate/set-signed`.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from msgspec import Meta

from strongroom.engines.pki import certs, keys
from strongroom.engines.pki.context import PkiContext, checked_name
from strongroom.engines.pki.issuers import AIA_WARNING, add_issuer, add_key, checked_unique_name
from strongroom.engines.pki.models import IssuerEntry
from strongroom.engines.pki.naming import hostname_like
from strongroom.engines.pki.subject import (
    SubjectParts,
    Validity,
    checked_format,
    parts_of,
    sans_of,
    validity,
)
from strongroom.errors import BadRequest
from strongroom.logical import Request, Response

ROOT_SYNOPSIS = "Generate a new CA certificate and private key used for signing."
INTERMEDIATE_SYNOPSIS = "Generate a new CSR and private key used for signing."
DELETE_ROOT_SYNOPSIS = "Deletes the root CA key to allow a new one to be generated."
TYPES = ("internal", "exported", "existing")
NO_SUBJECT_WARNING = (
    "This issuer certificate was generated without a Subject; this makes it likely that "
    "issuing leaf certs with this certificate will cause TLS validation libraries to reject "
    "this certificate."
)
DELETE_ROOT_WARNING = (
    "DELETE /root deletes all keys and issuers; prefer the new DELETE /key/:key_ref and "
    "DELETE /issuer/:issuer_ref for finer granularity, unless removal of all keys and issuers "
    "is desired."
)


class CaUsage(SubjectParts, frozen=True, kw_only=True):
    """What a new CA certificate states beyond its names (CertSign and CRLSign always)."""

    key_usage: Annotated[list[str], Meta(description="Key usages of the CA.")] = msgspec.field(
        default_factory=lambda: ["CertSign", "CRLSign"]
    )
    ext_key_usage: Annotated[list[str], Meta(description="Extended key usages.")] = msgspec.field(
        default_factory=list
    )
    ext_key_usage_oids: Annotated[list[str], Meta(description="Extended key usage OIDs.")] = (
        msgspec.field(default_factory=list)
    )
    max_path_length: Annotated[int, Meta(description="The maximum allowable path length.")] = -1
    permitted_dns_domains: Annotated[
        list[str], Meta(description="Domains for which this certificate is allowed to sign.")
    ] = msgspec.field(default_factory=list)
    not_before_duration: Annotated[int, Meta(description="Backdate notBefore (seconds).")] = 30
    signature_bits: Annotated[int, Meta(description="The hash size of the signature.")] = 0
    use_pss: Annotated[bool, Meta(description="Sign with RSA-PSS.")] = False


class KeyFields(CaUsage, frozen=True, kw_only=True):
    exported: Annotated[str, Meta(description="internal, exported or existing.")]
    key_type: Annotated[str, Meta(description="rsa, ec or ed25519.")] = "rsa"
    key_bits: Annotated[int, Meta(description="The number of bits to use (0: the default).")] = 0
    key_name: Annotated[str, Meta(description="Provide a name to the generated key.")] = ""
    key_ref: Annotated[str, Meta(description="Reference to an existing key.")] = "default"


class RootWrite(KeyFields, frozen=True, kw_only=True):
    issuer_name: Annotated[str, Meta(description="Provide a name to the generated issuer.")] = ""


class IntermediateWrite(KeyFields, frozen=True, kw_only=True):
    add_basic_constraints: Annotated[
        bool, Meta(description="Add a Basic Constraints extension with CA: true.")
    ] = False


async def _key(ctx: PkiContext, fields: KeyFields) -> tuple[keys.PrivateKey, str, bool]:
    """The CA's key: new, or the existing one `key_ref` names; its id; whether it is new."""
    if fields.exported not in TYPES:
        raise BadRequest(
            'the "exported" path parameter must be "internal", "existing", exported" or "kms"'
        )
    if fields.exported == "existing":
        entry = await ctx.key(fields.key_ref)
        return keys.load(entry.private_key), entry.id, False
    checked_name(fields.key_name, "key")
    await checked_unique_name(ctx, fields.key_name, "key")
    return keys.generate(fields.key_type, fields.key_bits), "", True


def _key_answer(
    body: dict[str, Any], fields: KeyFields, fmt: str, private_key_format: str, key: keys.PrivateKey
) -> None:
    if fields.exported == "exported":
        body["private_key"] = keys.render(key, fmt, private_key_format)
        body["private_key_type"] = keys.type_of(key)


async def ca_certificate(
    ctx: PkiContext,
    fields: CaUsage,
    name: x509.Name,
    public_key: keys.PublicKey,
    signer: certs.Signer,
    issuer: IssuerEntry | None,
    skid: bytes = b"",
) -> tuple[x509.Certificate, Validity]:
    """A CA certificate for `public_key` (a root when `issuer` is None, else signed by it
    within its window as its `leaf_not_after_behavior` says). Raises BadRequest."""
    parent = None
    if issuer is not None and signer.certificate is not None:
        parent = (signer.certificate, issuer.leaf_not_after_behavior)
    window = validity(
        ctx.now(),
        (fields.ttl, fields.not_after, fields.not_before),
        ctx.mount.lease_ttls(),
        fields.not_before_duration,
        parent,
    )
    plan = certs.Plan(
        subject=name,
        public_key=public_key,
        not_before=window.not_before,
        not_after=window.not_after,
        sans=sans_of(fields, include_cn=hostname_like(fields.common_name)),
        is_ca=True,
        max_path_length=fields.max_path_length,
        permitted_dns_domains=fields.permitted_dns_domains,
        key_usage=fields.key_usage,
        ext_key_usage=certs.ext_key_usages(fields.ext_key_usage, fields.ext_key_usage_oids),
        urls=await ctx.urls(issuer),
        subject_key_id=skid,
    )
    return certs.sign(plan, signer), window


async def generate_root(ctx: PkiContext, _req: Request, fields: RootWrite) -> Response:
    checked_format(fields)
    checked_name(fields.issuer_name, "issuer")
    await checked_unique_name(ctx, fields.issuer_name, "issuer")
    key, _, _ = await _key(ctx, fields)
    name = certs.subject(fields.common_name, parts_of(fields), fields.serial_number)
    signer = certs.Signer(key, None, fields.signature_bits, fields.use_pss)
    cert, window = await ca_certificate(ctx, fields, name, key.public_key(), signer, None)
    key_entry, _ = await add_key(ctx, key, fields.key_name)
    issuer, _ = await add_issuer(ctx, cert, fields.issuer_name)
    text = _formatted(cert, fields.format)
    body: dict[str, Any] = {
        "certificate": text,
        "expiration": int(certs.not_after(cert)),
        "issuer_id": issuer.id,
        "issuer_name": issuer.name,
        "issuing_ca": text,
        "key_id": key_entry.id,
        "key_name": key_entry.name,
        "serial_number": issuer.serial_number,
    }
    _key_answer(body, fields, fields.format, fields.private_key_format, key)
    warnings = [*window.warnings]
    if not fields.common_name and not any(parts_of(fields).values()):
        warnings.append(NO_SUBJECT_WARNING)
    if not (await ctx.store.urls()).issuing_certificates:
        warnings.append(AIA_WARNING)
    return Response(data=body, warnings=warnings or None)


def _formatted(cert: Any, fmt: str) -> str:  # noqa: ANN401 - an x509.Certificate
    return certs.der_b64(cert) if fmt == "der" else certs.pem(cert)


async def generate_intermediate(
    ctx: PkiContext, _req: Request, fields: IntermediateWrite
) -> Response:
    checked_format(fields)
    key, _, _ = await _key(ctx, fields)
    name = certs.subject(fields.common_name, parts_of(fields), fields.serial_number)
    sans = sans_of(fields, include_cn=hostname_like(fields.common_name))
    request = certs.csr(name, key, sans, basic_constraints=fields.add_basic_constraints)
    key_entry, _ = await add_key(ctx, key, fields.key_name)
    if fields.format == "der":
        text = certs.der_b64(request)
    else:
        text = request.public_bytes(serialization.Encoding.PEM).decode().strip()
    body: dict[str, Any] = {"csr": text, "key_id": key_entry.id}
    _key_answer(body, fields, fields.format, fields.private_key_format, key)
    warnings = None if (await ctx.store.urls()).issuing_certificates else [AIA_WARNING]
    return Response(data=body, warnings=warnings)


async def delete_root(ctx: PkiContext, _req: Request, _fields: msgspec.Struct) -> Response:
    """Every issuer and key goes (Vault keeps issued certificates and their revocations)."""
    for issuer_id in await ctx.store.issuer_ids():
        await ctx.store.delete("issuer/" + issuer_id)
        await ctx.store.delete("crl/" + issuer_id)
    for key_id in await ctx.store.key_ids():
        await ctx.store.delete("key/" + key_id)
    await ctx.store.delete("config/issuers")
    await ctx.store.delete("config/keys")
    return Response(warnings=[DELETE_ROOT_WARNING])
