"""The five-field cron parser of `rotation_schedule`: known answers, and properties checked
against a brute-force walk over every minute."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from strongroom.engines.database.schedule import ScheduleError, parse_schedule

START = datetime(2026, 1, 1, 12, 34, 56, tzinfo=UTC)  # a Thursday


def at(expr: str, when: datetime = START) -> datetime:
    return datetime.fromtimestamp(parse_schedule(expr).next_after(when.timestamp()), UTC)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("* * * * *", datetime(2026, 1, 1, 12, 35, tzinfo=UTC)),
        ("0 0 * * SAT", datetime(2026, 1, 3, tzinfo=UTC)),
        ("0 0 * * 6", datetime(2026, 1, 3, tzinfo=UTC)),
        ("0 0 * * 7", datetime(2026, 1, 4, tzinfo=UTC)),
        ("0 0 * * sun", datetime(2026, 1, 4, tzinfo=UTC)),
        ("*/15 9-17 * * MON-FRI", datetime(2026, 1, 1, 12, 45, tzinfo=UTC)),
        ("5/10 * * * *", datetime(2026, 1, 1, 12, 35, tzinfo=UTC)),
        ("0 0 1 * *", datetime(2026, 2, 1, tzinfo=UTC)),
        ("0 0 1 JAN *", datetime(2027, 1, 1, tzinfo=UTC)),
        ("0 0 29 2 *", datetime(2028, 2, 29, tzinfo=UTC)),
        ("0 12 13 * 5", datetime(2026, 1, 2, 12, tzinfo=UTC)),  # either day field matches
        ("0 12 ? * 5", datetime(2026, 1, 2, 12, tzinfo=UTC)),
        ("0,30 13 * * *", datetime(2026, 1, 1, 13, tzinfo=UTC)),
        ("59 23 31 12 *", datetime(2026, 12, 31, 23, 59, tzinfo=UTC)),
    ],
)
def test_known_next_times(expr: str, expected: datetime) -> None:
    assert at(expr) == expected


@pytest.mark.parametrize(
    "expr",
    [
        "",
        "* * * *",
        "* * * * * *",
        "60 * * * *",
        "* 24 * * *",
        "* * 0 * *",
        "* * * 13 *",
        "* * * * 8",
        "5-1 * * * *",
        "*/0 * * * *",
        "a * * * *",
        "1,,2 * * * *",
        "0 0 30 2 *",
        "@daily",
    ],
)
def test_invalid_expressions_are_value_errors(expr: str) -> None:
    with pytest.raises(ScheduleError):
        parse_schedule(expr)


def field(low: int, high: int) -> st.SearchStrategy[str]:
    number = st.integers(low, high)
    span = st.tuples(number, number).map(lambda p: f"{min(p)}-{max(p)}")
    step = st.tuples(st.sampled_from(["*", f"{low}"]), st.integers(1, high - low + 1)).map(
        lambda p: f"{p[0]}/{p[1]}"
    )
    one = st.one_of(st.just("*"), number.map(str), span, step)
    return st.lists(one, min_size=1, max_size=3).map(",".join)


EXPRESSIONS = st.tuples(field(0, 59), field(0, 23), field(1, 28), field(1, 12), field(0, 7)).map(
    " ".join
)


@settings(max_examples=200, deadline=None)
@given(EXPRESSIONS, st.integers(0, 10 * 365 * 24 * 3600))
def test_next_is_the_first_matching_minute_after(expr: str, offset: int) -> None:
    schedule = parse_schedule(expr)
    start = START + timedelta(seconds=offset)
    found = datetime.fromtimestamp(schedule.next_after(start.timestamp()), UTC)
    assert found > start
    assert found.second == 0
    assert schedule.matches(found)
    assume(found - start <= timedelta(days=3))  # brute force only where it is cheap
    minute = start.replace(second=0, microsecond=0) + timedelta(minutes=1)
    while minute < found:
        assert not schedule.matches(minute)
        minute += timedelta(minutes=1)


@given(st.text(max_size=40))
def test_any_text_parses_or_is_a_schedule_error(text: str) -> None:
    with contextlib.suppress(ScheduleError):
        parse_schedule(text)
