"""A named key's life: creation, rotation, a change of algorithm and the expiry of published
public keys (vault/identity_store_oidc.go `rotate` and `oidcPeriodicFunc`).

A rotation promotes the next key to signing, makes a new next key, and keeps the retired
signing key's public half published for `verification_ttl` (the rotation's own, if it names
one), so tokens signed just before still verify from the JWKS alone.
"""

from __future__ import annotations

import msgspec

from strongroom.engines.identity.oidc import signing
from strongroom.engines.identity.oidc.models import NamedKey, PublicKey
from strongroom.engines.identity.oidc.signing import Supply


def _keys(key: NamedKey, now: float, ring: tuple[PublicKey, ...], supply: Supply) -> NamedKey:
    """`key` with a new signing and next key pair of its algorithm, added to `ring`."""
    first, second = supply.take(key.algorithm), supply.take(key.algorithm)
    published = (signing.public(first, key.algorithm), signing.public(second, key.algorithm))
    return msgspec.structs.replace(
        key,
        signing=first,
        next=second,
        ring=(*ring, *published),
        next_rotation=now + key.rotation_period,
    )


def _retired(ring: tuple[PublicKey, ...], kids: set[str], until: float) -> tuple[PublicKey, ...]:
    return tuple(msgspec.structs.replace(k, expire_at=until) if k.kid in kids else k for k in ring)


def created(key: NamedKey, now: float, supply: Supply) -> NamedKey:
    """A new key: its first signing and next keys."""
    return _keys(key, now, (), supply)


def rotated(
    key: NamedKey, now: float, supply: Supply, verification_ttl: int | None = None
) -> NamedKey:
    """`key` rotated at `now`; the retired public key stays published for `verification_ttl`
    (the key's own when None)."""
    ttl = key.verification_ttl if verification_ttl is None else verification_ttl
    if key.signing is None or key.next is None:
        return created(key, now, supply)
    fresh = supply.take(key.algorithm)
    ring = (*_retired(key.ring, {key.signing.kid}, now + ttl), signing.public(fresh, key.algorithm))
    return msgspec.structs.replace(
        key, signing=key.next, next=fresh, ring=ring, next_rotation=now + key.rotation_period
    )


def realgorithmed(key: NamedKey, algorithm: str, now: float, supply: Supply) -> NamedKey:
    """`key` with a new `algorithm`: both current keys retire (published for the key's
    verification_ttl) and a pair of the new algorithm takes over at once."""
    current = {k.kid for k in (key.signing, key.next) if k is not None}
    ring = _retired(key.ring, current, now + key.verification_ttl)
    return _keys(msgspec.structs.replace(key, algorithm=algorithm), now, ring, supply)


def due(key: NamedKey, now: float) -> bool:
    """Whether the background round has work on `key`: a rotation or an expired public key."""
    expired = any(k.expire_at and k.expire_at <= now for k in key.ring)
    return key.next_rotation <= now or expired


def maintained(key: NamedKey, now: float, supply: Supply) -> NamedKey:
    """`key` rotated if its period has passed, without the public keys past their time."""
    if key.next_rotation <= now:
        key = rotated(key, now, supply)
    return msgspec.structs.replace(key, ring=tuple(key.published(now)))
