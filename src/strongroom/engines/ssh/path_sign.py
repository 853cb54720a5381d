"""ssh/sign/:role and ssh/issue/:role: an OpenSSH certificate for a caller's public key, or
for a key pair made here (Vault's `path_sign.go`, `path_issue.go`, `path_issue_sign.go`).

Every choice the caller makes is checked against the role in Vault's order: key requirements,
key ID, certificate type, principals, TTL, critical options, extensions. Errors never repeat
what the caller sent. As OpenBao, a certificate naming no principal (valid for every user to
OpenSSH) is refused unless the role sets `allow_empty_principals`.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

import msgspec
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization.ssh import SSHCertPublicKeyTypes
from msgspec import Meta

from strongroom.engines.ssh import keys
from strongroom.engines.ssh.context import SshContext, option_values
from strongroom.engines.ssh.models import Role
from strongroom.errors import BadRequest
from strongroom.logical import UNSET, Duration, Request, Response, UnsetType

SIGN_SYNOPSIS = "Request signing an SSH key using a certain role with the provided details."
ISSUE_SYNOPSIS = "Request a certificate using a certain role with the provided details."
_UNMET = "public_key failed to meet the key requirements"
_UNSAFE = (  # OpenBao's words: OpenSSH reads a certificate naming no principal as naming all
    "refusing to issue unsafe, globally-valid certificate with no principals specified; "
    "set valid_principals or default_user"
)


def _d(text: str) -> Meta:
    return Meta(description=text)


class _Choices(msgspec.Struct, frozen=True, kw_only=True):
    role: Annotated[str, _d("The desired role with configuration for this request.")]
    ttl: Annotated[Duration, _d("The requested Time To Live for the SSH certificate.")] = 0
    valid_principals: Annotated[str | UnsetType, _d("Valid principals, users or hosts.")] = UNSET
    cert_type: Annotated[str, _d("Type of certificate to be created: 'user' or 'host'.")] = "user"
    key_id: Annotated[str, _d("Key ID the created certificate should have.")] = ""
    critical_options: Annotated[dict[str, Any], _d("Critical options of the certificate.")] = (
        msgspec.field(default_factory=dict)
    )
    extensions: Annotated[dict[str, Any], _d("Extensions of the certificate.")] = msgspec.field(
        default_factory=dict
    )


class SignWrite(_Choices, frozen=True, kw_only=True):
    public_key: Annotated[str, _d("SSH public key that should be signed.")] = ""


class IssueWrite(_Choices, frozen=True, kw_only=True):
    key_type: Annotated[str, _d("Type of the key to make: rsa, ec or ed25519.")] = "rsa"
    key_bits: Annotated[int, _d("Bits of the key to make; 0: the type's default.")] = 0


async def sign(ctx: SshContext, req: Request, fields: SignWrite) -> Response:
    role = await ctx.role(fields.role)
    public = keys.load_public(fields.public_key)
    return Response(await _certify(ctx, req, fields, role, public))


async def issue(ctx: SshContext, req: Request, fields: IssueWrite) -> Response:
    role = await ctx.role(fields.role)
    private = keys.generate(fields.key_type, fields.key_bits, default_rsa_bits=2048)
    public = private.public_key()
    answer = await _certify(ctx, req, fields, role, public)
    family, _bits = keys.family_and_bits(public)
    openssh = not isinstance(private, rsa.RSAPrivateKey)
    pem = keys.private_pem(private, openssh=openssh)
    return Response({**answer, "private_key": pem, "private_key_type": family})


async def _certify(
    ctx: SshContext,
    req: Request,
    fields: _Choices,
    role: Role,
    public: SSHCertPublicKeyTypes,
) -> dict[str, Any]:
    _check_key(role, public)
    host = _certificate_type(role, fields.cert_type)
    key_id = _key_id(role, req, fields, public)
    principals = _principals(role, fields, host)
    ttl = _ttl(ctx, role, fields.ttl)
    now = ctx.now()
    request = keys.CertificateRequest(
        public_key=public,
        serial=secrets.randbits(64),
        host=host,
        key_id=key_id,
        principals=principals,
        valid_after=max(0, now - role.not_before_duration),
        valid_before=now + ttl,
        critical_options=_critical_options(role, fields.critical_options),
        extensions=_extensions(role, fields.extensions),
    )
    ca = await ctx.authority()
    signer = "rsa-sha2-256" if role.algorithm_signer == "default" else role.algorithm_signer
    signed = keys.sign(keys.load_private(ca.private_key), request, signer)
    return {"issuer_id": ca.issuer_id, "serial_number": f"{request.serial:x}", "signed_key": signed}


def _check_key(role: Role, public: SSHCertPublicKeyTypes) -> None:
    if not role.allowed_user_key_lengths:
        return
    family, bits = keys.family_and_bits(public)
    allowed = role.allowed_user_key_lengths.get(family)
    if allowed is None:
        raise BadRequest(f"{_UNMET}: key of type {family} is not allowed")
    if family != "ed25519" and bits not in allowed:
        raise BadRequest(f"{_UNMET}: key is of an invalid size: {bits}")


def _certificate_type(role: Role, cert_type: str) -> bool:
    """Whether the certificate is a host certificate."""
    if cert_type == "user":
        if not role.allow_user_certificates:
            raise BadRequest("cert_type 'user' is not allowed by role")
        return False
    if cert_type == "host":
        if not role.allow_host_certificates:
            raise BadRequest("cert_type 'host' is not allowed by role")
        return True
    raise BadRequest("cert_type must be either 'user' or 'host'")


def _key_id(role: Role, req: Request, fields: _Choices, public: SSHCertPublicKeyTypes) -> str:
    if fields.key_id:
        if not role.allow_user_key_ids:
            raise BadRequest("setting key_id is not allowed by role")
        return fields.key_id
    display = "" if req.caller is None else req.caller.display_name
    default = (
        "vault-{{token_display_name}}-{{public_key_hash}}"
        if display
        else "vault-{{public_key_hash}}"
    )
    template = role.key_id_format or default
    values = {
        "{{token_display_name}}": display,
        "{{role_name}}": fields.role,
        "{{public_key_hash}}": keys.fingerprint_hex(public),
    }
    for placeholder, value in values.items():
        template = template.replace(placeholder, value)
    return template


def _principals(role: Role, fields: _Choices, host: bool) -> tuple[str, ...]:
    """Vault's calculateValidPrincipals: the requested ones (else the role's default user),
    each allowed by the role; sorted and without duplicates, as Vault's RemoveDuplicates."""
    requested = fields.valid_principals
    if isinstance(requested, UnsetType):
        requested = "" if host else role.default_user
    chosen = sorted({p.strip() for p in requested.split(",") if p.strip()})
    allowed_by_role = role.allowed_domains if host else role.allowed_users
    allowed = {p.strip() for p in allowed_by_role.split(",") if p.strip()}
    if not chosen:
        if role.allow_empty_principals:
            return ()
        raise BadRequest(_UNSAFE)
    if not allowed:
        raise BadRequest("role is not configured to allow any principals")
    if allowed_by_role.strip() == "*":
        return tuple(chosen)
    for principal in chosen:
        if not (_host_allowed(role, allowed, principal) if host else principal in allowed):
            raise BadRequest("a requested principal is not a valid value for valid_principals")
    return tuple(chosen)


def _host_allowed(role: Role, domains: set[str], principal: str) -> bool:
    return any(
        (principal == domain and role.allow_bare_domains)
        or (role.allow_subdomains and principal.endswith("." + domain))
        for domain in domains
    )


def _ttl(ctx: SshContext, role: Role, requested: int) -> int:
    """Vault's calculateTTL: a requested TTL above the maximum is refused; a default one is cut."""
    default, maximum = ctx.mount.lease_ttls()
    ttl = requested or role.ttl or default
    cap = role.max_ttl or maximum
    if ttl > cap:
        if requested:
            raise BadRequest(f"ttl is larger than maximum allowed {cap}")
        ttl = cap
    return ttl


def _critical_options(role: Role, requested: dict[str, Any]) -> dict[str, str]:
    if not requested:
        return dict(role.default_critical_options)
    options = option_values(requested)
    allowed = role.allowed_critical_options
    if allowed and set(options) - {o.strip() for o in allowed.split(",")}:
        raise BadRequest("critical options not on allowed list")
    return options


def _extensions(role: Role, requested: dict[str, Any]) -> dict[str, str]:
    if not requested:
        return dict(role.default_extensions)
    extensions = option_values(requested)
    if role.allowed_extensions == "*":
        return extensions
    if set(extensions) - {e.strip() for e in role.allowed_extensions.split(",")}:
        raise BadRequest("extensions are not on allowed list")
    return extensions
