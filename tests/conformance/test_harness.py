"""The differential harness itself, without servers: what counts as a difference."""

from __future__ import annotations

from conformance.harness import Answer, Step, differences, normalise

ENVELOPE = {"request_id": "a", "data": {"keys": ["x"], "n": 1}, "warnings": None}


def test_same_shape_with_other_values_is_no_difference() -> None:
    other = {"request_id": "b", "data": {"keys": ["y", "z"], "n": 2}, "warnings": None}
    assert differences(Step(), Answer(200, ENVELOPE), Answer(200, other), "m") == []


def test_status_keys_and_types_are_differences() -> None:
    assert differences(Step(), Answer(200, None), Answer(204, None), "m") == ["status (200 != 204)"]
    extra = {**ENVELOPE, "data": {"keys": ["x"], "n": "1", "more": True}}
    assert differences(Step(), Answer(200, ENVELOPE), Answer(200, extra), "m") == [
        "body.data.more (only in Strongroom)",
        'body.data.n ("number" != "str")',
    ]


def test_values_mode_compares_values_but_not_volatile_ones() -> None:
    step = Step(values=True)
    other = {**ENVELOPE, "request_id": "b", "data": {"keys": ["y"], "n": 1}}
    assert differences(step, Answer(200, ENVELOPE), Answer(200, other), "m") == [
        'body.data.keys (["x"] != ["y"])'
    ]
    assert normalise({"accessor": "abc", "ttl": 5, "name": "n"}) == {
        "accessor": "str",
        "ttl": "int",
        "name": "n",
    }


def test_pick_compares_one_part_with_the_scenario_prefix_filled_in() -> None:
    left = {"data": {"m1/": {"type": "kv"}, "other/": {}}}
    right = {"data": {"m1/": {"type": "kv"}}}
    step = Step(pick="data.{m}/", values=True)
    assert differences(step, Answer(200, left), Answer(200, right), "m1") == []
