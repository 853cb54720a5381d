"""The one clock's formatting: the fast RFC 3339 path equals the datetime reference."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from strongroom.clock import ManualClock, rfc3339


@given(st.integers(min_value=0, max_value=4_000_000_000_000_000))
def test_rfc3339_matches_datetime(micros: int) -> None:
    ts = micros / 1_000_000
    expected = datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert rfc3339(ts) == expected


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock(100.0)
    assert clock.now() == 100.0
    clock.advance(2.5)
    assert clock.now() == 102.5
