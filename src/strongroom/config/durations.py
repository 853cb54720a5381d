"""Vault's duration syntax for configuration and CLI flags, in whole seconds.

Vault parses durations with go-secure-stdlib's `parseutil.ParseDurationSecond`: a number (or a
string of digits) is seconds, `"<n>d"` is days, anything else is Go's `time.ParseDuration`
(`"30s"`, `"10m"`, `"768h"`, `"1h30m"`, `"1.5h"`, `"500ms"`). Strongroom keeps TTLs in whole
seconds, so a duration that does not come to a whole number of seconds is refused.

Go's time.Duration is an int64 of nanoseconds, so OpenBao refuses anything past 2^63-1 ns
("2562048h", "106752d", 9223372037): MAX_DURATION is that bound in whole seconds. A time plus a
duration goes through `deadline`, which clamps the duration, so a value stored before the bound
existed still reads back (about year 2318 at most, well inside what a datetime can render).
"""

from __future__ import annotations

import re
from fractions import Fraction

__all__ = ["MAX_DURATION", "clamp_duration", "deadline", "parse_duration", "render_duration"]

MAX_DURATION = (2**63 - 1) // 1_000_000_000  # 9,223,372,036 s: Go's longest time.Duration

# Go's time.ParseDuration units, as fractions of a second so "1.5h" and "1500ms" stay exact.
_UNITS = {
    "ns": Fraction(1, 1_000_000_000),
    "us": Fraction(1, 1_000_000),
    "\u00b5s": Fraction(1, 1_000_000),  # Go also accepts the micro sign
    "ms": Fraction(1, 1_000),
    "s": Fraction(1),
    "m": Fraction(60),
    "h": Fraction(3600),
}
_UNIT = "(ns|us|\u00b5s|ms|s|m|h)"
_COMPONENT = rf"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+){_UNIT}"
_GO_DURATION = re.compile(rf"(?:{_COMPONENT})+")
_PART = re.compile(rf"([0-9]*\.?[0-9]*){_UNIT}")
_SECONDS = re.compile(r"[0-9]+")
_DAYS = re.compile(r"([0-9]+)d")
_LONGEST_TEXT = 64  # far more than any duration up to MAX_DURATION needs ("2562047h47m16s")


def parse_duration(value: str | int) -> int:
    """Seconds in `value`. Raises ValueError (whose text never repeats `value`) if it is not a
    whole number of seconds from 0 to MAX_DURATION in one of Vault's forms, TypeError if not
    str or int."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError("expected a duration")
    seconds = value if isinstance(value, int) else _seconds(value.strip())
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    if seconds > MAX_DURATION:
        raise ValueError("a duration cannot exceed 2562047h47m16s")
    return seconds


def clamp_duration(seconds: int) -> int:
    """`seconds` within 0..MAX_DURATION: for values stored before parse_duration bounded them."""
    return min(max(seconds, 0), MAX_DURATION)


def deadline(start: float, seconds: int) -> float:
    """The time `seconds` after `start`, the duration clamped as by `clamp_duration`."""
    return start + clamp_duration(seconds)


def _seconds(text: str) -> int:
    if len(text) > _LONGEST_TEXT:  # also keeps int() off thousands of digits
        raise ValueError("a duration cannot exceed 2562047h47m16s")
    if _SECONDS.fullmatch(text):
        return int(text)
    if days := _DAYS.fullmatch(text):
        return int(days.group(1)) * 86_400
    if not _GO_DURATION.fullmatch(text):
        raise ValueError("expected a duration such as 30s, 10m, 768h or 1h30m")
    total = sum(
        (Fraction(number) * _UNITS[unit] for number, unit in _PART.findall(text)), Fraction(0)
    )
    if total.denominator != 1:
        raise ValueError("a duration must be a whole number of seconds")
    return int(total)


def render_duration(seconds: int) -> str:
    """`seconds` in the compact form `parse_duration` reads back: 5400 -> "1h30m", 0 -> "0s"."""
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if n]
    return "".join(parts) or "0s"
