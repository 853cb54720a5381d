"""Pure pieces of the KV engine: RFC 7396 merge patch, subkeys, Go duration rendering."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.engines.kv.documents import merge_patch, subkeys
from strongroom.engines.kv.render import go_duration

leaves = st.none() | st.booleans() | st.integers() | st.text(max_size=5)
values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=10,
)
objects = st.dictionaries(st.text(max_size=3), values, max_size=5)


@given(target=objects, patch=objects)
def test_merge_patch_is_idempotent_and_pure(target: dict[str, Any], patch: dict[str, Any]) -> None:
    before_target, before_patch = copy.deepcopy(target), copy.deepcopy(patch)
    once = merge_patch(target, patch)
    assert merge_patch(once, patch) == once
    assert (target, patch) == (before_target, before_patch)


@given(target=objects, patch=objects)
def test_merge_patch_member_rules(target: dict[str, Any], patch: dict[str, Any]) -> None:
    result = merge_patch(target, patch)
    for key, value in patch.items():
        if value is None:
            assert key not in result
        elif not isinstance(value, dict):
            assert result[key] == value
    for key in target.keys() - patch.keys():
        assert result[key] == target[key]


@given(target=objects)
def test_empty_patch_changes_nothing(target: dict[str, Any]) -> None:
    assert merge_patch(target, {}) == target


@pytest.mark.parametrize(
    ("target", "patch", "expected"),
    [  # RFC 7396 appendix A, a selection
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ],
)
def test_rfc7396_examples(target: Any, patch: Any, expected: Any) -> None:
    assert merge_patch(target, patch) == expected


@given(data=objects, depth=st.integers(min_value=0, max_value=4))
def test_subkeys_keeps_the_top_level_keys_and_no_leaf_values(
    data: dict[str, Any], depth: int
) -> None:
    tree = subkeys(data, depth)
    assert tree.keys() == data.keys()

    def leaves_are_none(node: Any) -> bool:
        return node is None or (isinstance(node, dict) and all(map(leaves_are_none, node.values())))

    assert leaves_are_none(tree)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (5, "5s"), (60, "1m0s"), (90, "1m30s"), (3600, "1h0m0s"), (5400, "1h30m0s")],
)
def test_go_duration(seconds: int, text: str) -> None:
    assert go_duration(seconds) == text
