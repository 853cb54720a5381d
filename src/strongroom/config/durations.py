"""Vault's duration syntax for configuration and CLI flags, in whole seconds.

Vault parses durations with go-secure-stdlib's `parseutil.ParseDurationSecond`: a number (or a
string of digits) is seconds, `"<n>d"` is days, anything else is Go's `time.ParseDuration`
(`"30s"`, `"10m"`, `"768h"`, `"1h30m"`, `"1.5h"`, `"500ms"`). Strongroom keeps TTLs in whole
seconds, so a duration that does not come to a whole number of seconds is refused.
"""

from __future__ import annotations

import re
from fractions import Fraction

__all__ = ["parse_duration", "render_duration"]

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


def parse_duration(value: str | int) -> int:
    """Seconds in `value`. Raises ValueError (whose text never repeats `value`) if it is not a
    non-negative whole number of seconds in one of Vault's forms, TypeError if not str or int."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError("expected a duration")
    if isinstance(value, int):
        if value < 0:
            raise ValueError("a duration cannot be negative")
        return value
    text = value.strip()
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
