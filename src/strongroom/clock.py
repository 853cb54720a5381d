"""The one clock (DESIGN.md invariant 8): everything time-dependent takes a `Clock`."""

from __future__ import annotations

import functools
import math
import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch (wall clock, UTC)."""
        ...


class SystemClock:
    def now(self) -> float:
        return time.time()


class ManualClock:
    """A clock that tests move by hand."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds


@functools.lru_cache(maxsize=64)
def _seconds(whole: int) -> str:
    # Formatting the date part is the slow half, and every audit entry of a second shares it.
    return datetime.fromtimestamp(whole, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S")


# The first and last second a datetime can show (0001-01-01, 9999-12-31T23:59:59).
_FIRST, _LAST = -62_135_596_800, 253_402_300_799


def rfc3339(ts: float) -> str:
    """Vault's timestamp format: RFC 3339 with a microsecond fraction and `Z`. A time beyond
    what a datetime can show (only a value stored before durations were bounded) is clamped,
    so one stored value can never make a read fail."""
    ts = min(max(ts, _FIRST), _LAST)
    whole = math.floor(ts)
    micros = min(round((ts - whole) * 1_000_000), 999_999)
    return f"{_seconds(whole)}.{micros:06d}Z"
