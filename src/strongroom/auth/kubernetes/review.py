"""Who a service-account token says it is, and who Kubernetes says it is: the token's claims
(legacy secret-based and projected tokens alike) and the TokenReview API
(`POST /apis/authentication.k8s.io/v1/tokenreviews`), or a local signature check against
`pem_keys` (Vault's token_review.go and path_login.go).

Every refusal is a `Refused`: the caller sees Vault's "permission denied", the operator log the
reason. No token ever appears in either.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import msgspec
from joserfc.errors import JoseError

from strongroom.auth.kubernetes.models import DEFAULT_ISSUER, Config, Role
from strongroom.logical.jose import claims_of, public_key
from strongroom.logical.matching import any_glob
from strongroom.logical.outbound import Fetch, Unreachable

REVIEW_PATH = "/apis/authentication.k8s.io/v1/tokenreviews"
_LEGACY = "kubernetes.io/serviceaccount/"


class Refused(Exception):
    """The log-in is refused; `reason` is for the operator log only."""

    def __init__(self, reason: str, *, status: int = 403) -> None:
        self.reason = reason
        self.status = status
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class ServiceAccount:
    namespace: str
    name: str
    uid: str = ""
    secret_name: str = ""


def unverified_claims(token: str) -> dict[str, Any]:
    """The payload of `token`, unverified (only to pick the bound names; TokenReview or the
    PEM keys verify it). Raises Refused if it is not a JWS compact serialization."""
    parts = token.split(".")
    if len(parts) != 3:
        raise Refused("not a JWT")
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = msgspec.json.decode(base64.urlsafe_b64decode(padded))
    except (ValueError, msgspec.DecodeError):
        raise Refused("not a JWT") from None
    if not isinstance(claims, dict):
        raise Refused("not a JWT")
    return claims


def _text(value: Any) -> str:  # noqa: ANN401 - any JSON value
    return value if isinstance(value, str) else ""


def account_of(claims: dict[str, Any]) -> ServiceAccount:
    """The service account a token's claims name: projected tokens carry a `kubernetes.io`
    object, legacy ones flat `kubernetes.io/serviceaccount/...` claims."""
    projected = claims.get("kubernetes.io")
    if isinstance(projected, dict):
        account = projected.get("serviceaccount")
        account = account if isinstance(account, dict) else {}
        return ServiceAccount(
            _text(projected.get("namespace")), _text(account.get("name")), _text(account.get("uid"))
        )
    return ServiceAccount(
        _text(claims.get(_LEGACY + "namespace")),
        _text(claims.get(_LEGACY + "service-account.name")),
        _text(claims.get(_LEGACY + "service-account.uid")),
        _text(claims.get(_LEGACY + "secret.name")),
    )


def check_bounds(account: ServiceAccount, role: Role) -> None:
    """Raises Refused (403, Vault's own messages) outside the role's names or namespaces."""
    if not account.name or not any_glob(role.bound_service_account_names, account.name):
        raise Refused("service account name not authorized")
    if not account.namespace or not any_glob(
        role.bound_service_account_namespaces, account.namespace
    ):
        raise Refused("namespace not authorized")


def check_issuer(claims: dict[str, Any], config: Config) -> None:
    if not config.disable_iss_validation and claims.get("iss") != (config.issuer or DEFAULT_ISSUER):
        raise Refused("invalid issuer (iss) claim")


def _audiences(claims: dict[str, Any]) -> list[str]:
    aud = claims.get("aud")
    return [aud] if isinstance(aud, str) else [a for a in aud or [] if isinstance(a, str)]


BAD_AUDIENCE = "invalid audience (aud) claim: audience claim does not match any expected audience"


def check_audience(claims: dict[str, Any], role: Role) -> None:
    """The role's audience must be among the token's, before anyone is asked (as OpenBao)."""
    if role.audience and role.audience not in _audiences(claims):
        raise Refused(BAD_AUDIENCE)


def verify_locally(token: str, config: Config) -> None:
    """Check the signature against `pem_keys` (any of them). Raises Refused."""
    for pem in config.pem_keys:
        try:
            claims_of(token, public_key(pem))
        except (JoseError, ValueError, TypeError):
            continue
        return
    raise Refused("no pem_keys verify the token")


async def review(
    fetch: Fetch, token: str, config: Config, role: Role, *, reviewer: str, ca_pem: str
) -> ServiceAccount:
    """Ask TokenReview who `token` is, as `reviewer` (a bearer token). The answer names the
    account (with its uid). Raises Refused."""
    spec: dict[str, Any] = {"token": token}
    if role.audience:
        spec["audiences"] = [role.audience]
    body = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": spec}
    try:
        reply = await fetch(
            "POST",
            config.kubernetes_host + REVIEW_PATH,
            ca_pem=ca_pem,
            headers={"Authorization": f"Bearer {reviewer}", "Accept": "application/json"},
            json=body,
        )
    except Unreachable:
        raise Refused("could not reach the Kubernetes API", status=400) from None
    if reply.status in (401, 403):
        raise Refused(f"the TokenReview API refused the reviewer token ({reply.status})")
    if reply.status not in (200, 201):
        raise Refused(f"the TokenReview API answered {reply.status}", status=400)
    return _reviewed(reply.body, role)


def _reviewed(raw: bytes, role: Role) -> ServiceAccount:
    try:
        status = msgspec.json.decode(raw).get("status") or {}
    except (msgspec.DecodeError, AttributeError):
        raise Refused("lookup failed: the TokenReview answer is not JSON", status=400) from None
    if not isinstance(status, dict) or status.get("authenticated") is not True:
        raise Refused("lookup failed: service account jwt not valid")
    user: dict[str, Any] = status["user"] if isinstance(status.get("user"), dict) else {}
    parts = _text(user.get("username")).split(":")
    if len(parts) != 4:
        raise Refused("lookup failed: unexpected username format")
    if parts[:2] != ["system", "serviceaccount"]:
        raise Refused("lookup failed: username returned is not a service account")
    if role.audience and role.audience not in (status.get("audiences") or []):
        raise Refused("lookup failed: the TokenReview audiences do not include the role's")
    return ServiceAccount(parts[2], parts[3], _text(user.get("uid")))
