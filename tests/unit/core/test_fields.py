"""Vault's weak typing of request fields (mapstructure's weak decode, parseutil), one property
per conversion rule of `strongroom.core.fields.CONVERSIONS`."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.core.fields import FieldType, convert
from strongroom.errors import BadRequest

# `convert` by type, as a route's declared field reads it.


def get_str(data: dict[str, Any], name: str, default: str = "") -> str:
    return str(convert(data, name, FieldType.STRING, default))


def get_int(data: dict[str, Any], name: str, default: int = 0) -> int:
    return int(convert(data, name, FieldType.INT, default))


def get_bool(data: dict[str, Any], name: str, default: bool = False) -> bool:
    return bool(convert(data, name, FieldType.BOOL, default))


def get_duration(data: dict[str, Any], name: str, default: int = 0) -> int:
    return int(convert(data, name, FieldType.DURATION, default))


def get_str_map(data: dict[str, Any], name: str) -> dict[str, str]:
    return dict(convert(data, name, FieldType.KV_PAIRS, {}))


def get_str_list(data: dict[str, Any], name: str) -> list[str]:
    return list(convert(data, name, FieldType.COMMA_STRING_LIST, []))


WORD = st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=12)
SECONDS = st.integers(min_value=0, max_value=10**9)


@given(st.integers())
def test_numbers_are_strings_where_strings_are_expected(number: int) -> None:
    assert get_str({"f": number}, "f") == str(number)


@given(st.booleans())
def test_booleans_are_one_and_zero_as_strings_and_integers(flag: bool) -> None:
    assert get_str({"f": flag}, "f") == ("1" if flag else "0")
    assert get_int({"f": flag}, "f") == int(flag)


@given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_integers_arrive_as_numbers_or_digits(number: int) -> None:
    assert get_int({"f": str(number)}, "f") == get_int({"f": number}, "f") == number


@given(st.integers(min_value=2**63) | st.integers(max_value=-(2**63) - 1))
def test_integers_outside_int64_are_refused(number: int) -> None:
    for value in (number, str(number)):
        with pytest.raises(BadRequest):
            get_int({"f": value}, "f")


def test_integers_take_go_base_prefixes_and_empty_is_zero() -> None:
    assert get_int({"f": "0x10"}, "f") == 16
    assert get_int({"f": ""}, "f") == 0


@given(st.integers())
def test_numbers_are_true_unless_zero(number: int) -> None:
    assert get_bool({"f": number}, "f") is (number != 0)


@pytest.mark.parametrize(
    ("word", "truth"),
    [
        ("1", True),
        ("T", True),
        ("TRUE", True),
        ("True", True),
        ("f", False),
        ("False", False),
        ("", False),
    ],
)
def test_booleans_take_go_parse_bool_words(word: str, truth: bool) -> None:
    assert get_bool({"f": word}, "f") is truth


@pytest.mark.parametrize("word", ["yes", "tRuE", "on"])
def test_other_words_are_not_booleans(word: str) -> None:
    with pytest.raises(BadRequest, match='field "f": expected bool'):
        get_bool({"f": word}, "f")


@given(SECONDS)
def test_durations_are_seconds_digits_or_go_durations(seconds: int) -> None:
    forms = [seconds, str(seconds), f"{seconds}s", float(seconds)]
    assert {get_duration({"f": form}, "f") for form in forms} == {seconds}


@pytest.mark.parametrize("unset", ["", " ", 0, "0", "0s"])
def test_empty_and_zero_durations_mean_unset(unset: Any) -> None:
    assert get_duration({"f": unset}, "f", default=99) == 0


@given(st.lists(WORD, max_size=6))
def test_a_comma_separated_string_is_a_list(items: list[str]) -> None:
    assert get_str_list({"f": ",".join(items)}, "f") == items
    assert get_str_list({"f": " , ".join(items)}, "f") == items


@given(st.lists(st.integers() | WORD, max_size=6))
def test_list_elements_are_coerced_to_strings(items: list[Any]) -> None:
    assert get_str_list({"f": items}, "f") == [str(i) for i in items]


@given(st.dictionaries(WORD, st.integers() | st.booleans() | WORD, max_size=6))
def test_map_values_of_any_scalar_become_strings(pairs: dict[str, Any]) -> None:
    expected = {k: get_str({"v": v}, "v") for k, v in pairs.items()}
    assert get_str_map({"f": pairs}, "f") == expected


def test_maps_arrive_as_key_value_pair_lists_too() -> None:
    assert get_str_map({"f": ["a=1", "b=x=y"]}, "f") == {"a": "1", "b": "x=y"}
    assert get_str_map({"options": {"version": 2}}, "options") == {"version": "2"}


@pytest.mark.parametrize(
    ("getter", "value", "kind"),
    [
        (get_str, {"a": 1}, "string"),
        (get_int, 2.5, "integer"),
        (get_int, "twelve", "integer"),
        (get_duration, "forever", "duration"),
        (get_duration, True, "duration"),
        (get_str_list, [{"a": 1}], "list of strings"),
        (get_str_map, ["no-equals-sign"], "map of strings"),
        (get_str_map, {"k": ["x"]}, "map of strings"),
    ],
)
def test_what_does_not_convert_is_a_400_naming_field_and_type_only(
    getter: Any, value: Any, kind: str
) -> None:
    with pytest.raises(BadRequest) as caught:
        getter({"field": value}, "field")
    assert caught.value.public == f'error converting input for field "field": expected {kind}'


@given(st.text(min_size=8).filter(lambda t: not t.strip().isdigit()))
def test_refusals_never_echo_the_value(text: str) -> None:
    with pytest.raises(BadRequest) as refused:
        get_duration({"f": "x" + text}, "f")
    assert text not in refused.value.public


def test_null_and_absent_are_the_default() -> None:
    assert get_duration({"f": None}, "f", default=7) == 7
    assert get_str({}, "f", default="d") == "d"
