"""HMAC of audit values: Vault's `hmac-sha256:<hex>` (known answers) and `hash_structure`'s
walk over JSON-like data (hypothesis: every string leaf replaced, shape kept, `skip` honoured)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.audit import hash_structure, hmac_value
from strongroom.audit.format import rfc3339

# (key hex, message, HMAC-SHA256 hex). RFC 4231 §4.2, §4.3, §4.7, §4.8 (test cases 1, 2, 6 and
# 7: the ones whose data is text), then Project Wycheproof `hmac_sha256_test.json` tcId 1 and 2.
KNOWN_ANSWERS = [
    (
        "0b" * 20,
        "Hi There",
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    ),
    (
        b"Jefe".hex(),
        "what do ya want for nothing?",
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    ),
    (
        "aa" * 131,
        "Test Using Larger Than Block-Size Key - Hash Key First",
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
    ),
    (
        "aa" * 131,
        (
            "This is a test using a larger than block-size key and a larger than block-size "
            "data. The key needs to be hashed before being used by the HMAC algorithm."
        ),
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
    ),
    (
        "1e225cafb90339bba1b24076d4206c3e79c355805d851682bc818baa4f5a7779",
        "",
        "b175b57d89ea6cb606fb3363f2538abd73a4c00b4a1386905bac809004cf1933",
    ),
    (
        "8159fd15133cd964c9a6964c94f0ea269a806fd9f43f0da58b6cd1b33d189b2a",
        "w",
        "dfc5105d5eecf7ae7b8b8de3930e7659e84c4172f2555142f1e568fc1872ad93",
    ),
]
SALT = b"device-salt"


@pytest.mark.parametrize(("key", "message", "tag"), KNOWN_ANSWERS)
def test_hmac_value_known_answers(key: str, message: str, tag: str) -> None:
    assert hmac_value(bytes.fromhex(key), message) == f"hmac-sha256:{tag}"


def test_hmac_value_of_a_lone_surrogate_does_not_fail() -> None:
    expected = hmac.new(SALT, "\ud800".encode("utf-8", "surrogatepass"), hashlib.sha256)
    assert hmac_value(SALT, "\ud800") == "hmac-sha256:" + expected.hexdigest()


def test_hash_structure_of_a_vault_request_body() -> None:
    data = {
        "data": {"password": "hunter2", "ttl": 30, "enabled": True, "tags": ["a", None]},
        "options": {"cas": 0},
    }
    assert hash_structure(SALT, data) == {
        "data": {
            "password": hmac_value(SALT, "hunter2"),
            "ttl": 30,
            "enabled": True,
            "tags": [hmac_value(SALT, "a"), None],
        },
        "options": {"cas": 0},
    }


def test_skip_follows_vaults_nearest_key_rule() -> None:
    data = {"raw": ["x", {"inner": "y", "raw": "z"}], "other": "w", "nested": {"raw": "v"}}
    assert hash_structure(SALT, data, skip=frozenset({"raw"})) == {
        "raw": ["x", {"inner": hmac_value(SALT, "y"), "raw": "z"}],
        "other": hmac_value(SALT, "w"),
        "nested": {"raw": "v"},
    }


def test_bytes_are_hashed_and_times_and_tuples_kept_in_shape() -> None:
    moment = datetime(2024, 5, 1, tzinfo=UTC)
    assert hash_structure(SALT, {"body": b"secret", "at": moment, "pair": ("a", 1)}) == {
        "body": "hmac-sha256:" + hmac.new(SALT, b"secret", hashlib.sha256).hexdigest(),
        "at": moment,
        "pair": [hmac_value(SALT, "a"), 1],
    }


def test_unknown_types_are_refused_without_echoing_them() -> None:
    class Opaque:
        def __repr__(self) -> str:
            return "canary-secret"

    with pytest.raises(TypeError, match="Opaque") as refused:
        hash_structure(SALT, {"x": Opaque()})
    assert "canary" not in str(refused.value)


def test_rfc3339() -> None:
    assert rfc3339(1714564800.25) == "2024-05-01T12:00:00.250000Z"


# -- hypothesis -------------------------------------------------------------------------------

KEYS = st.sampled_from(["a", "b", "token", "password", "raw"])
LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
JSON = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS | st.text(), inner),
    max_leaves=30,
)


def check(original: Any, hashed: Any, skip: frozenset[str], *, raw: bool) -> None:
    """`hashed` mirrors `original`: same containers and keys, strings hashed unless raw."""
    if isinstance(original, str):
        assert hashed == (original if raw else hmac_value(SALT, original))
    elif isinstance(original, dict):
        assert isinstance(hashed, dict)
        assert list(hashed) == list(original)
        for key, value in original.items():
            check(value, hashed[key], skip, raw=key in skip)
    elif isinstance(original, list):
        assert isinstance(hashed, list)
        assert len(hashed) == len(original)
        for before, after in zip(original, hashed, strict=True):
            check(before, after, skip, raw=raw)
    else:
        assert type(hashed) is type(original)
        assert hashed == original


@given(JSON, st.frozensets(KEYS))
def test_every_string_leaf_hashed_and_shape_kept(value: Any, skip: frozenset[str]) -> None:
    check(value, hash_structure(SALT, value, skip=skip), skip, raw=False)


@given(st.dictionaries(KEYS, st.text(min_size=1), min_size=1))
def test_no_clear_value_survives_without_skip(data: dict[str, str]) -> None:
    hashed = hash_structure(SALT, data)
    assert all(v.startswith("hmac-sha256:") and len(v) == 76 for v in hashed.values())
    assert not set(data.values()) & set(hashed.values())
