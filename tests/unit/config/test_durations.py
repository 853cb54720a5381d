"""Vault's duration syntax (go-secure-stdlib parseutil.ParseDurationSecond) in whole seconds."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.config import parse_duration, render_duration
from strongroom.config.durations import MAX_DURATION, clamp_duration, deadline


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (0, 0),
        (30, 30),
        ("30", 30),
        ("30s", 30),
        ("10m", 600),
        ("768h", 2_764_800),
        ("1h30m", 5400),
        ("1h30m0s", 5400),
        ("1.5h", 5400),
        ("90m", 5400),
        ("2000ms", 2),
        ("2d", 172_800),
        (" 5m ", 300),
    ],
)
def test_vault_forms(text: str | int, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "h", "5x", "1h 30m", "-5s", "1e3s", "1.5s", "5 s", "1w"])
def test_rejects_other_strings(text: str) -> None:
    with pytest.raises(ValueError, match="duration") as caught:
        parse_duration(text)
    if len(text.strip()) > 2:  # shorter ones ("h") occur in the fixed message by chance
        assert text not in str(caught.value)


def test_rejects_negative_and_non_numbers() -> None:
    with pytest.raises(ValueError, match="negative"):
        parse_duration(-1)
    with pytest.raises(TypeError):
        parse_duration(True)  # noqa: FBT003 (a bool is an int to Python, but not a duration)
    with pytest.raises(ValueError, match="negative"):
        render_duration(-1)


@pytest.mark.parametrize(
    ("seconds", "text"), [(0, "0s"), (59, "59s"), (60, "1m"), (5400, "1h30m"), (3661, "1h1m1s")]
)
def test_render(seconds: int, text: str) -> None:
    assert render_duration(seconds) == text


@given(st.integers(min_value=0, max_value=MAX_DURATION))
def test_parse_render_round_trip(seconds: int) -> None:
    assert parse_duration(render_duration(seconds)) == seconds
    assert parse_duration(str(seconds)) == seconds
    assert parse_duration(seconds) == seconds


@given(st.integers(0, 10**6), st.integers(0, 10**4), st.integers(0, 10**4))
def test_go_duration_strings(hours: int, minutes: int, secs: int) -> None:
    # Go's time.Duration.String() always prints every unit, e.g. "768h0m0s".
    expected = hours * 3600 + minutes * 60 + secs
    assert parse_duration(f"{hours}h{minutes}m{secs}s") == expected


@pytest.mark.parametrize(
    "longest", [9_223_372_036, "9223372036", "2562047h", "2562047h47m16s", "106751d"]
)
def test_accepts_up_to_gos_longest_duration(longest: str | int) -> None:
    # OpenBao 2.7.2 (bao server -dev) accepts each of these for delete_version_after.
    assert MAX_DURATION == 9_223_372_036
    assert parse_duration(longest) <= MAX_DURATION


@pytest.mark.parametrize(
    "beyond",
    [
        *(9_223_372_037, 2**63 - 1, "9223372037", "9223372036854775807", "2562048h"),
        *("106752d", "99999999999h", "2562047h47m17s", "9" * 5000),
    ],
)
def test_refuses_beyond_gos_longest_duration(beyond: str | int) -> None:
    # OpenBao: "time: invalid duration" or "multiplication of durations resulted in overflow".
    with pytest.raises(ValueError, match="duration") as caught:
        parse_duration(beyond)
    assert str(beyond) not in str(caught.value)


def test_a_stored_duration_beyond_the_bound_is_clamped() -> None:
    assert clamp_duration(360_000_000_000_000) == MAX_DURATION
    assert clamp_duration(-5) == 0
    assert deadline(1_800_000_000.0, 10**30) == 1_800_000_000.0 + MAX_DURATION
    assert deadline(1_800_000_000.0, 30) == 1_800_000_030.0
