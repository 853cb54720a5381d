"""From the wire to a logical request: every decoding failure is a fixed-text 400 (issue 13)."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.errors import BadRequest
from strongroom.http import parse

INVALID_JSON = "failed to decode JSON input: invalid JSON"
TOO_DEEP = "failed to decode JSON input: JSON input exceeds allowed nesting depth"


def _refused(raw: bytes) -> str:
    with pytest.raises(BadRequest) as caught:
        parse.body(raw, "POST", "application/json")
    return caught.value.public


@pytest.mark.parametrize(
    "raw",
    [
        b'{"role_id":"\xff"}',  # invalid UTF-8 inside a string
        b'{"\xc3":1}',  # a truncated two-byte sequence in a key
        b'{"a":"\xed\xa0\x80"}',  # an encoded surrogate
        b"\xff\xfe{}",
        b'{"a":1e400}',  # out of a float's range
        b"nul",
        b'{"a":1',
    ],
)
def test_undecodable_json_is_a_fixed_400(raw: bytes) -> None:
    assert _refused(raw) == INVALID_JSON


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a":' + b"[" * 5000,
        b"[" * 501 + b"]" * 501,
        b'{"a":' + b'[{"b":' * 250 + b"1" + b"}]" * 250 + b"}",
        # brackets inside strings do not count, brackets after them do
        b'{"x":"[[[[\\"[[[", "y":' + b"[" * 500 + b"]" * 500 + b"}",
    ],
)
def test_nesting_beyond_vaults_default_limit_is_a_fixed_400(raw: bytes) -> None:
    # Vault's listener option `max_json_depth` defaults to 500.
    assert _refused(raw) == TOO_DEEP


def test_nesting_up_to_the_limit_decodes() -> None:
    deep = b'{"a":' + b"[" * 499 + b"]" * 499 + b"}"
    value = parse.body(deep, "POST", "application/json")["a"]
    for _ in range(498):
        value = value[0]
    assert value == []
    brackets_in_strings = b'{"s":"' + b"[" * 10_000 + b'"}'
    assert parse.body(brackets_in_strings, "POST", "application/json") == {"s": "[" * 10_000}
    wide = b"{" + b",".join(b'"k%d":[[{}]]' % n for n in range(2000)) + b"}"
    assert len(parse.body(wide, "POST", "application/json")) == 2000


@pytest.mark.parametrize("raw", [b"", b"  \n", b"null", b" null\n"])
def test_null_or_empty_body_means_no_fields(raw: bytes) -> None:
    # `bao write -f` sends the body `null`; OpenBao reads it as no fields.
    assert parse.body(raw, "POST", "application/json") == {}


@pytest.mark.parametrize("raw", [b'"x"', b"3", b"true", b"[1]", b"[]"])
def test_a_json_value_other_than_an_object_or_null_is_refused(raw: bytes) -> None:
    # OpenBao 2.7.2 answers these 400 "json: cannot unmarshal ... into Go value of type map".
    assert _refused(raw) == "failed to decode JSON input: expected a JSON object"


@pytest.mark.parametrize(
    ("raw_path", "logical"),
    [
        ("/v1/secret/data/%41", "secret/data/%41"),  # the server already decoded it once
        ("/v1/secret/data/%2541", "secret/data/%2541"),
        ("/v1/secret/data/a b", "secret/data/a b"),
        ("/v1//sys/health", "sys/health"),
    ],
)
def test_the_path_is_not_percent_decoded_a_second_time(raw_path: str, logical: str) -> None:
    # ASGI's `path` is already percent-decoded (as Go's r.URL.Path is for Vault).
    assert parse.logical_path(raw_path) == logical


@pytest.mark.parametrize("raw_path", ["/v1/a/\x00", "/v1/a/../b", "/v1/../sys"])
def test_an_unusable_path_is_a_400(raw_path: str) -> None:
    with pytest.raises(BadRequest, match=r"^invalid path$"):
        parse.logical_path(raw_path)


JSON = st.recursive(
    st.none() | st.integers() | st.text(alphabet='[]{}"\\ab', max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=30,
)


def _depth(value: object) -> int:
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


@given(value=JSON, limit=st.integers(0, 8))
def test_the_depth_scan_agrees_with_the_decoded_value(value: object, limit: int) -> None:
    raw = msgspec.json.encode(value)
    assert parse.too_deep(raw, limit) == (_depth(value) > limit)
