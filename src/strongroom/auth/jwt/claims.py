"""A verified token's claims checked against a role, and what the log-in makes of them
(Vault's path_login.go and claims.go; api-docs/auth/jwt "Create/Update Role").

Every refusal is a `Refused` with Vault's fixed message: it names the claim, never a value
from the token. Times come from the injected clock; each leeway adds to `clock_skew_leeway`
(60 s when 0, none when -1), `expiration_leeway` to `exp`, `not_before_leeway` to `nbf` and
`iat` (0 or -1: none).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from strongroom.auth.jwt.models import Role
from strongroom.logical.matching import glob_match

DEFAULT_CLOCK_SKEW = 60
_PREFIX = "error validating token: "


class Refused(Exception):
    """The token does not satisfy the role; `reason` is safe to show the caller."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class Expected:
    """What the token must carry beyond the role's own bounds."""

    issuer: str = ""
    audiences: tuple[str, ...] = ()  # one of them must be in `aud` (OIDC: the client ID)
    nonce: str | None = None  # the OIDC flow's; None: not checked


def _leeway(value: int) -> int:
    return max(value, 0)


def _number(claims: Mapping[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Refused(f"{_PREFIX}invalid {name} claim")
    return float(value)


def check_times(claims: Mapping[str, Any], role: Role, now: float) -> None:
    """Raises Refused if the token is expired, not yet valid, or carries no time at all."""
    exp, nbf, iat = (_number(claims, n) for n in ("exp", "nbf", "iat"))
    if exp is None and nbf is None and iat is None:
        raise Refused(
            f"{_PREFIX}no issued at (iat), not before (nbf), or expiration time (exp) claims "
            "in token"
        )
    skew = DEFAULT_CLOCK_SKEW if role.clock_skew_leeway == 0 else _leeway(role.clock_skew_leeway)
    if exp is not None and now > exp + skew + _leeway(role.expiration_leeway):
        raise Refused(f"{_PREFIX}invalid expiration time (exp) claim: token is expired")
    not_before = skew + _leeway(role.not_before_leeway)
    for start in (nbf, iat):
        if start is not None and now < start - not_before:
            raise Refused(f"{_PREFIX}invalid not before (nbf) claim: token not yet valid")


def _audiences(claims: Mapping[str, Any]) -> list[str]:
    aud = claims.get("aud")
    if aud is None:
        return []
    if isinstance(aud, str):
        return [aud]
    if isinstance(aud, list) and all(isinstance(a, str) for a in aud):
        return aud
    raise Refused(f"{_PREFIX}invalid audience (aud) claim")


def check_identity(claims: Mapping[str, Any], role: Role, expected: Expected) -> None:
    """Issuer, audience, subject and nonce. Raises Refused."""
    if expected.issuer and claims.get("iss") != expected.issuer:
        raise Refused(f"{_PREFIX}invalid issuer (iss) claim")
    audiences = _audiences(claims)
    for bound in (expected.audiences, role.bound_audiences):
        if bound and not set(bound) & set(audiences):
            raise Refused(
                f"{_PREFIX}invalid audience (aud) claim: audience claim does not match any "
                "expected audience"
            )
    if not role.bound_audiences and audiences and role.role_type == "jwt":
        raise Refused("audience claim found in JWT but no audiences bound to the role")
    subject = claims.get("sub")
    if subject is not None and not isinstance(subject, str):
        raise Refused(f"{_PREFIX}invalid subject (sub) claim")
    if role.bound_subject and subject != role.bound_subject:
        raise Refused("sub claim does not match bound subject")
    if expected.nonce is not None and claims.get("nonce") != expected.nonce:
        raise Refused("invalid ID token nonce")


def claim(claims: Mapping[str, Any], name: str) -> Any:  # noqa: ANN401 - any JSON value
    """A claim by name, or by JSON pointer (RFC 6901) when the name starts with "/"."""
    if not name.startswith("/"):
        return claims.get(name)
    value: Any = claims
    for raw in name[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _matches(bound: Sequence[Any], actual: Any, *, globbed: bool) -> bool:  # noqa: ANN401
    values = actual if isinstance(actual, list) else [actual]
    for want in bound:
        for have in values:
            if isinstance(want, str) and isinstance(have, str):
                if glob_match(want, have) if globbed else want == have:
                    return True
            elif want == have and type(want) is type(have):
                return True
    return False


def check_bound_claims(claims: Mapping[str, Any], role: Role) -> None:
    """Each bound claim must have one of its values (Vault's validateBoundClaims)."""
    for name, bound in (role.bound_claims or {}).items():
        actual = claim(claims, name)
        if actual is None:
            raise Refused(f'error validating claims: claim "{name}" is missing')
        wanted = bound if isinstance(bound, list) else [bound]
        if not _matches(wanted, actual, globbed=role.bound_claims_type == "glob"):
            raise Refused(
                f'error validating claims: claim "{name}" does not match any associated '
                "bound claim values"
            )


def _text(value: Any) -> str | None:  # noqa: ANN401 - any JSON value
    """Vault's claim-to-string conversion: strings, numbers and booleans only."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else repr(value)
    return None


@dataclass(frozen=True, slots=True)
class Identity:
    alias: str
    metadata: dict[str, str]
    groups: tuple[str, ...]


def identity(claims: Mapping[str, Any], role: Role) -> Identity:
    """The alias name (`user_claim`), the mapped metadata (`claim_mappings`) and the group
    names (`groups_claim`). Raises Refused."""
    alias = _text(claim(claims, role.user_claim))
    if alias is None or alias == "":
        raise Refused(f'claim "{role.user_claim}" not found in token')
    metadata: dict[str, str] = {}
    for source, target in (role.claim_mappings or {}).items():
        value = claim(claims, source)
        if value is None:
            continue
        text = _text(value)
        if text is None:
            raise Refused(f"error converting claim '{source}' to string")
        metadata[target] = text
    return Identity(alias, metadata, _groups(claims, role))


def _groups(claims: Mapping[str, Any], role: Role) -> tuple[str, ...]:
    if not role.groups_claim:
        return ()
    raw = claim(claims, role.groups_claim)
    if raw is None:
        raise Refused(f"{role.groups_claim} claim not found in token")
    values = raw if isinstance(raw, list) else [raw]
    if not all(isinstance(v, str) for v in values):
        raise Refused(f"value in {role.groups_claim} claim could not be parsed as string")
    return tuple(values)
