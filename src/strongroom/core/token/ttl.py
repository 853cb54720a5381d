"""Vault's token TTL rules, as pure functions of the clock reading.

A token's life is bounded three ways: its TTL (renewable up to a maximum), the mount's or the
system's max lease TTL measured from creation (not for periodic tokens), and an explicit max TTL
that no renewal passes. Periodic tokens renew by their period forever, unless an explicit max
TTL caps them. A token with the root policy and no TTL never expires.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Lifetime:
    ttl: int  # seconds; 0 with expire_time None = never expires
    expire_time: float | None
    max_expire: float | None


def initial(
    now: float,
    *,
    ttl: int,
    explicit_max_ttl: int,
    period: int,
    default_ttl: int,
    max_ttl: int,
    root: bool,
) -> Lifetime:
    if root and not (ttl or period or explicit_max_ttl):
        return Lifetime(0, None, None)  # a root token asked for no limit gets none
    caps = [explicit_max_ttl] if explicit_max_ttl else []
    if not period:
        caps.append(max_ttl)
    max_expire = now + min(caps) if caps else None
    granted = period or ttl or default_ttl
    expire = now + granted
    if max_expire is not None and expire > max_expire:
        expire = max_expire
    return Lifetime(int(expire - now), expire, max_expire)


def renewed(
    now: float, *, increment: int, creation_ttl: int, period: int, max_expire: float | None
) -> Lifetime:
    """The lifetime after a renewal: the period, else the increment, else the original TTL."""
    granted = period or increment or creation_ttl
    expire = now + granted
    if max_expire is not None and expire > max_expire:
        expire = max_expire
    return Lifetime(int(expire - now), expire, max_expire)
