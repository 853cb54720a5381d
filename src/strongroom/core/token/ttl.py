"""Vault's token TTL rules, as pure functions of the clock reading.

A token's life is bounded three ways: its TTL (renewable up to a maximum), the mount's or the
system's max lease TTL measured from creation (not for periodic tokens), and an explicit max TTL
that no renewal passes. Periodic tokens renew by their period forever, unless an explicit max
TTL caps them. A token with the root policy and no TTL never expires.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from strongroom.config.durations import render_duration


@dataclass(frozen=True, slots=True)
class Lifetime:
    ttl: int  # seconds; 0 with expire_time None = never expires
    expire_time: float | None
    max_expire: float | None
    period: int = 0  # the period in force: no more than the max TTL
    warning: str | None = None  # Vault's, when a cap cut the TTL or period short


def _capped(what: str, asked: int, cap: int) -> str:
    return (
        f'{what} of "{render_duration(asked)}" exceeded the effective max_ttl of '
        f'"{render_duration(cap)}"; {what} value is capped accordingly'
    )


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
    """Vault's CalculateTTL at creation: the max TTL is the mount's (or system's), lowered by
    an explicit max TTL; a period above it is capped to it too."""
    if root and not (ttl or period):
        if not explicit_max_ttl:
            return Lifetime(0, None, None)  # a root token asked for no limit gets none
        return Lifetime(explicit_max_ttl, now + explicit_max_ttl, now + explicit_max_ttl)
    cap = min(max_ttl, explicit_max_ttl) if explicit_max_ttl else max_ttl
    if period:
        warning = _capped("period", period, cap) if period > cap else None
        period = min(period, cap)
        max_expire = now + explicit_max_ttl if explicit_max_ttl else None
        return Lifetime(period, now + period, max_expire, period, warning)
    granted = ttl or default_ttl
    warning = _capped("TTL", granted, cap) if granted > cap else None
    granted = min(granted, cap)
    return Lifetime(granted, now + granted, now + cap, 0, warning)


def renewed(
    now: float, *, increment: int, creation_ttl: int, period: int, max_expire: float | None
) -> Lifetime:
    """The lifetime after a renewal: the period, else the increment, else the original TTL,
    never past the maximum (with Vault's warning when that cut it short)."""
    granted = period or increment or creation_ttl
    cap = None if max_expire is None else int(max_expire - now)
    if cap is None or granted <= cap:
        return Lifetime(granted, now + granted, max_expire, period)
    warning = _capped("period" if period else "TTL", granted, cap)
    return Lifetime(cap, now + cap, max_expire, period, warning)


def token_time(now: float) -> float:
    """A clock reading as token TTLs use it: truncated to the second, as Vault's CalculateTTL
    does ("the lowest precision for TTLs"), so a TTL capped by a maximum counted from the
    creation time comes out in whole seconds (90m, not 89m59s)."""
    return float(math.floor(now))
