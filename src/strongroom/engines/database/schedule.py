"""Cron schedules for static roles' `rotation_schedule`: five fields, evaluated in UTC.

    minute hour day-of-month month day-of-week      e.g. "0 0 * * SAT"

Vault parses these with robfig/cron's standard five-field parser; this is the same language:
`*` and `?`, numbers, `a-b` ranges, `/step` (`*/15`, `5/10` = `5-max/10`), comma lists, month
names JAN-DEC, weekday names SUN-SAT and 7 for Sunday. As in cron, when both day fields are
restricted a day matches if either does; if either is `*`, both must match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
# (name, low, high, names): names map to low + index.
_FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, _MONTHS),
    ("day of week", 0, 7, _DAYS),
)
_HORIZON = timedelta(days=366 * 5)  # robfig gives up after five years too (Feb 30 never comes)


class ScheduleError(ValueError):
    """Not a five-field cron expression; the message names the field."""


@dataclass(frozen=True, slots=True)
class Schedule:
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Sunday
    any_day: bool  # the day-of-month field was `*` or `?`
    any_weekday: bool

    def matches(self, when: datetime) -> bool:
        return (
            when.minute in self.minutes
            and when.hour in self.hours
            and when.month in self.months
            and self._day_matches(when)
        )

    def _day_matches(self, when: datetime) -> bool:
        day = when.day in self.days
        weekday = (when.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:
            return day and weekday
        return day or weekday

    def next_after(self, ts: float) -> float:
        """The first matching minute strictly after `ts` (seconds since the epoch, UTC).
        Raises ScheduleError if none comes within five years."""
        when = datetime.fromtimestamp(ts, tz=UTC).replace(second=0, microsecond=0)
        when += timedelta(minutes=1)
        limit = when + _HORIZON
        while when < limit:
            if when.month not in self.months:
                when = _first_of_next_month(when)
            elif not self._day_matches(when):
                when = when.replace(hour=0, minute=0) + timedelta(days=1)
            elif when.hour not in self.hours:
                when = when.replace(minute=0) + timedelta(hours=1)
            elif when.minute not in self.minutes:
                when += timedelta(minutes=1)
            else:
                return when.timestamp()
        raise ScheduleError("the schedule never matches")


def parse_schedule(text: str) -> Schedule:
    """A Schedule from a five-field cron expression. Raises ScheduleError."""
    fields = text.split() if isinstance(text, str) else []
    if len(fields) != 5:
        raise ScheduleError(f"expected exactly 5 fields, found {len(fields)}")
    sets = [_field(raw, *spec) for raw, spec in zip(fields, _FIELDS, strict=True)]
    schedule = Schedule(
        sets[0],
        sets[1],
        sets[2],
        sets[3],
        frozenset(d % 7 for d in sets[4]),  # 7 is Sunday too
        any_day=fields[2] in ("*", "?"),
        any_weekday=fields[4] in ("*", "?"),
    )
    schedule.next_after(0)  # refuse a schedule that can never fire ("0 0 30 2 *")
    return schedule


def _field(raw: str, name: str, low: int, high: int, names: tuple[str, ...]) -> frozenset[int]:
    values: set[int] = set()
    for part in raw.split(","):
        values |= _part(part, name, low, high, names)
    return frozenset(values)


def _part(part: str, name: str, low: int, high: int, names: tuple[str, ...]) -> set[int]:
    span, _, step_text = part.partition("/")
    step = _number(step_text, name, names=(), low=0) if step_text else 1
    if step < 1:
        raise ScheduleError(f"{name}: step must be positive")
    if span in ("*", "?"):
        start, end = low, high
    elif "-" in span:
        first, _, last = span.partition("-")
        start, end = _number(first, name, names, low), _number(last, name, names, low)
    else:
        start = _number(span, name, names, low)
        end = high if step_text else start  # robfig: "N/step" means "N-max/step"
    if not low <= start <= end <= high:
        raise ScheduleError(f"{name}: values must be ascending and between {low} and {high}")
    return set(range(start, end + 1, step))


def _number(text: str, name: str, names: tuple[str, ...], low: int) -> int:
    upper = text.upper()
    if upper in names:
        return low + names.index(upper)
    if not re.fullmatch(r"[0-9]{1,2}", text):
        raise ScheduleError(f"{name}: not a valid value")
    return int(text)


def _first_of_next_month(when: datetime) -> datetime:
    year, month = (when.year + 1, 1) if when.month == 12 else (when.year, when.month + 1)
    return when.replace(year=year, month=month, day=1, hour=0, minute=0)
