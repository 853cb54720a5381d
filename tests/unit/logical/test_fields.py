"""Declared fields: weak typing through core/fields' table, UNSET for "not sent", null."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
import pytest

from strongroom.errors import BadRequest
from strongroom.logical.fields import UNSET, Duration, Schema, StringSlice, UnsetType, sent


class Sample(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    count: Annotated[int | UnsetType, msgspec.Meta(description="How many.")] = UNSET
    ttl: Duration = 0
    flag: bool = False
    tags: list[str] = []
    numbers: list[int] = []
    labels: dict[str, str] = {}
    doc: dict[str, Any] | UnsetType | None = UNSET


SCHEMA = Schema(Sample)


def test_fields_carry_type_description_and_requirement() -> None:
    count = SCHEMA.fields["count"]
    assert (count.kind.value, count.description, count.required) == ("integer", "How many.", False)
    assert SCHEMA.fields["name"].required
    assert SCHEMA.fields["doc"].nullable
    assert not SCHEMA.fields["count"].nullable


def test_weak_typing_converts_as_vault() -> None:
    data = {"count": "0x10", "ttl": "1h", "flag": "true", "tags": "a, b", "numbers": "1,2"}
    fields = SCHEMA.decode(data | {"labels": ["k=v"]}, {"name": "n"})
    assert fields == Sample(
        name="n", count=16, ttl=3600, flag=True, tags=["a", "b"], numbers=[1, 2], labels={"k": "v"}
    )


def test_absent_and_null_are_unset_except_where_null_is_declared() -> None:
    fields = SCHEMA.decode({"count": None, "doc": None}, {"name": "n"})
    assert fields.count is UNSET
    assert fields.doc is None
    assert sent(fields) == {"name": "n", "ttl": 0, "flag": False, "tags": [], "numbers": []} | {
        "labels": {},
        "doc": None,
    }


def test_captures_win_over_the_body() -> None:
    assert SCHEMA.decode({"name": "body"}, {"name": "url"}).name == "url"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"count": "many"}, 'error converting input for field "count": expected integer'),
        ({"numbers": ["x"]}, 'error converting input for field "numbers": expected list of int'),
        ({"doc": "x"}, 'error converting input for field "doc": expected map'),
    ],
)
def test_a_value_that_does_not_convert_is_a_400_naming_the_field(
    data: dict[str, Any], message: str
) -> None:
    with pytest.raises(BadRequest) as raised:
        SCHEMA.decode(data, {"name": "n"})
    assert raised.value.public == message


def test_a_missing_required_field_is_a_400() -> None:
    with pytest.raises(BadRequest) as raised:
        SCHEMA.decode({}, {})
    assert raised.value.public == 'missing required field "name"'


def test_an_annotation_without_a_vault_type_is_refused_at_declaration() -> None:
    class Odd(msgspec.Struct):
        when: float

    with pytest.raises(TypeError):
        Schema(Odd)


class Statements(msgspec.Struct, frozen=True, kw_only=True):
    statements: StringSlice = []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("A, B; C", ["A, B; C"]), (["A, B", "C"], ["A, B", "C"]), ("", [])],
)
def test_a_string_slice_keeps_one_string_as_one_item(value: object, expected: list[str]) -> None:
    """Vault's TypeStringSlice (SQL statements): never split on commas."""
    assert Schema(Statements).decode({"statements": value}, {}).statements == expected


def test_a_string_slice_of_non_strings_is_a_400() -> None:
    with pytest.raises(BadRequest, match='field "statements": expected slice of strings'):
        Schema(Statements).decode({"statements": [1]}, {})
