"""Certificate log-in (`login`, Vault's path_login.go; api-docs/auth/cert "Authenticate with
the TLS certificate method").

The certificate comes from the TLS connection (`Request.client_chain`), never from the body.
Without one the answer is Vault's 400 "no client certificate found". The chain must then lead
to the trusted certificate of a role (the one `name` names, else any, in name order), be valid
at the injected clock, meet that role's constraints and not be revoked by a stored CRL or, with
`ocsp_enabled`, by OCSP. Every refusal is the same 400, its reason only in the operator log.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from cryptography import x509
from msgspec import Meta

from strongroom.auth.cert import constraints, ocsp
from strongroom.auth.cert.context import CertContext
from strongroom.auth.cert.errors import Refused
from strongroom.auth.cert.models import CertRole
from strongroom.auth.cert.trust import parse_pem_certificates, verified_chain
from strongroom.errors import BadRequest
from strongroom.logical import Login, Request, Response

SYNOPSIS = "Log in using a TLS client certificate."
INVALID = "invalid certificate or no client certificate supplied"


class LoginFields(msgspec.Struct, frozen=True, kw_only=True):
    name: Annotated[
        str, Meta(description="The name of the certificate role to authenticate against.")
    ] = ""


def _key_id(cert: x509.Certificate, kind: type[x509.ExtensionType]) -> str:
    """A key identifier as Vault's certutil.GetHexFormatted shows it ("ab:01:..."), or ""."""
    try:
        value = cert.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return ""
    raw = getattr(value, "digest", None) or getattr(value, "key_identifier", None) or b""
    return ":".join(f"{b:02x}" for b in raw)


async def login(ctx: CertContext, req: Request, fields: LoginFields) -> Response:
    """Raises BadRequest: "no client certificate found", or the one refusal described above."""
    if not req.client_chain:
        raise BadRequest("no client certificate found")
    try:
        chain = [x509.load_der_x509_certificate(der) for der in req.client_chain]
        role = await _matching_role(ctx, chain, fields.name.lower())
    except (Refused, ValueError) as refused:
        reason = refused.reason if isinstance(refused, Refused) else "unreadable certificate"
        raise BadRequest(INVALID, detail=f"cert: {reason}") from None
    config = await ctx.store.config()
    return Response(
        login=_grant(role, chain[0], alias_metadata=config.enable_identity_alias_metadata)
    )


async def _matching_role(ctx: CertContext, chain: list[x509.Certificate], name: str) -> CertRole:
    """The first role the chain verifies against and passes. Raises Refused if none."""
    if name:
        found = await ctx.store.role(name)
        candidates = [] if found is None else [found]
    else:
        candidates = await ctx.store.roles()
    now = dt.datetime.fromtimestamp(ctx.clock.now(), dt.UTC)
    revoked = await ctx.store.revoked_serials()
    for role in candidates:
        verified = verified_chain(parse_pem_certificates(role.certificate), chain, now)
        if verified is None or not constraints.matches(role, chain[0]):
            continue
        if any(str(c.serial_number) in revoked for c in verified):
            raise Refused("certificate revoked by a stored CRL")
        if role.ocsp_enabled:
            issuer = verified[1] if len(verified) > 1 else verified[0]
            await ocsp.check(role, chain[0], issuer, now, ctx.fetch)
        return role
    raise Refused("no trusted certificate matched the client's chain and constraints")


def _grant(role: CertRole, leaf: x509.Certificate, *, alias_metadata: bool) -> Login:
    """What the token gets (Vault's pathLogin): the role's token fields, the certificate's
    identifiers as metadata, its common name as the entity alias (whose metadata is the
    token's too with the config's `enable_identity_alias_metadata`)."""
    metadata = {
        "cert_name": role.name,
        "common_name": constraints.common_name(leaf),
        "serial_number": str(leaf.serial_number),
        "subject_key_id": _key_id(leaf, x509.SubjectKeyIdentifier),
        "authority_key_id": _key_id(leaf, x509.AuthorityKeyIdentifier),
        **constraints.metadata_extensions(role, leaf),
    }
    return Login(
        policies=role.token_policies,
        display_name=role.display_name,
        metadata=metadata,
        ttl=role.token_ttl,
        max_ttl=role.token_max_ttl,
        explicit_max_ttl=role.token_explicit_max_ttl,
        period=role.token_period,
        num_uses=role.token_num_uses,
        token_type=role.token_type,
        bound_cidrs=role.token_bound_cidrs,
        renewable=True,
        no_default_policy=role.token_no_default_policy,
        alias_name=metadata["common_name"],
        alias_metadata=metadata if alias_metadata else {},
        internal={"cert_name": role.name},
    )
