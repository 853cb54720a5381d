"""The OIDC records as stored (msgspec JSON behind the barrier), with Vault's field names.

A named key holds its signing key, the next one (published ahead so verifiers can fetch it
before it signs, as Vault's `NextSigningKey`), and its public key ring: every public key still
published, each with the time it stops being published (0: still in use). Private keys live
only in `signing` and `next`; a rotated-out key keeps just its public half in `ring`.
"""

from __future__ import annotations

import msgspec

DAY = 86400


class SigningKey(msgspec.Struct, frozen=True, kw_only=True):
    kid: str
    private_jwk: dict[str, str]  # the JWK with its private members (sealed by the barrier)


class PublicKey(msgspec.Struct, frozen=True, kw_only=True):
    kid: str
    jwk: dict[str, str]  # the public JWK as the JWKS serves it (use, kid, alg included)
    expire_at: float = 0.0  # when it leaves the JWKS; 0 while it signs or is next to


class NamedKey(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    algorithm: str = "RS256"
    rotation_period: int = DAY
    verification_ttl: int = DAY
    allowed_client_ids: tuple[str, ...] = ()
    next_rotation: float = 0.0
    signing: SigningKey | None = None
    next: SigningKey | None = None
    ring: tuple[PublicKey, ...] = ()

    def published(self, now: float) -> list[PublicKey]:
        """The public keys still in the JWKS at `now`."""
        return [k for k in self.ring if not k.expire_at or k.expire_at > now]

    def allows(self, client_id: str) -> bool:
        return "*" in self.allowed_client_ids or client_id in self.allowed_client_ids


class Role(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    key: str
    client_id: str
    template: str = ""
    ttl: int = DAY


class Config(msgspec.Struct, frozen=True, kw_only=True):
    issuer: str = ""


NAMED_KEY = msgspec.json.Decoder(NamedKey)
ROLE = msgspec.json.Decoder(Role)
CONFIG = msgspec.json.Decoder(Config)
