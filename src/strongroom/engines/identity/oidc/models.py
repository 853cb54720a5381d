"""The OIDC records as stored (msgspec JSON behind the barrier), with Vault's field names.

A named key holds its signing key, the next one (published ahead so verifiers can fetch it
before it signs, as Vault's `NextSigningKey`), and its public key ring: every public key still
published, each with the time it stops being published (0: still in use). Private keys live
only in `signing` and `next`; a rotated-out key keeps just its public half in `ring`.
"""

from __future__ import annotations

from collections.abc import Sequence

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


class Scope(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    template: str = ""
    description: str = ""


class Assignment(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    entity_ids: tuple[str, ...] = ()
    group_ids: tuple[str, ...] = ()

    def admits(self, entity_id: str, group_ids: Sequence[str]) -> bool:
        """Whether the entity (or one of its groups) is assigned; "*" admits every one."""
        if "*" in self.entity_ids or entity_id in self.entity_ids:
            return True
        return "*" in self.group_ids or any(g in self.group_ids for g in group_ids)


class Client(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    client_id: str
    client_secret: str = ""  # confidential clients only (sealed by the barrier)
    client_type: str = "confidential"
    key: str = "default"
    redirect_uris: tuple[str, ...] = ()
    assignments: tuple[str, ...] = ()
    id_token_ttl: int = DAY
    access_token_ttl: int = DAY
    authorization_code: bool = True  # OpenBao's per-client grant switches; the client
    client_credentials: bool = False  # credentials grant itself is not served here


class Provider(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    issuer: str = ""
    allowed_client_ids: tuple[str, ...] = ()
    scopes_supported: tuple[str, ...] = ()

    def allows(self, client_id: str) -> bool:
        return "*" in self.allowed_client_ids or client_id in self.allowed_client_ids


class Grant(msgspec.Struct, frozen=True, kw_only=True):
    """What an authorization code or an access token stands for (stored under its hash)."""

    provider: str
    client_id: str
    entity_id: str
    scopes: tuple[str, ...]
    expires_at: float
    redirect_uri: str = ""
    nonce: str = ""
    auth_time: int = 0
    code_challenge: str = ""
    code_challenge_method: str = ""


SCOPE = msgspec.json.Decoder(Scope)
ASSIGNMENT = msgspec.json.Decoder(Assignment)
CLIENT = msgspec.json.Decoder(Client)
PROVIDER = msgspec.json.Decoder(Provider)
GRANT = msgspec.json.Decoder(Grant)
