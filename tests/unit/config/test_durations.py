"""Vault's duration syntax (go-secure-stdlib parseutil.ParseDurationSecond) in whole seconds."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.config import parse_duration, render_duration


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


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_render_round_trip(seconds: int) -> None:
    assert parse_duration(render_duration(seconds)) == seconds
    assert parse_duration(str(seconds)) == seconds
    assert parse_duration(seconds) == seconds


@given(st.integers(0, 10**6), st.integers(0, 10**4), st.integers(0, 10**4))
def test_go_duration_strings(hours: int, minutes: int, secs: int) -> None:
    # Go's time.Duration.String() always prints every unit, e.g. "768h0m0s".
    expected = hours * 3600 + minutes * 60 + secs
    assert parse_duration(f"{hours}h{minutes}m{secs}s") == expected
