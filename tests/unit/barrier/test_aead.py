"""AES-256-GCM wrappers: Wycheproof known answers, round trips and refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.barrier import InvalidCiphertext, aead

VECTORS = Path(__file__).parents[2] / "vectors" / "wycheproof" / "aes_gcm_test.json"


def _cases() -> list[Any]:
    data = json.loads(VECTORS.read_text())
    cases = [
        pytest.param(case, id=f"tc{case['tcId']}-{case['result']}")
        for group in data["testGroups"]
        if (group["ivSize"], group["tagSize"], group["keySize"]) == (96, 128, 256)
        for case in group["tests"]
    ]
    assert len(cases) == 66  # a filter or file change that drops cases must be noticed
    return cases


def _unhex(case: dict[str, Any]) -> dict[str, bytes]:
    return {k: bytes.fromhex(case[k]) for k in ("key", "iv", "aad", "msg", "ct", "tag")}


@pytest.mark.parametrize("case", _cases())
def test_wycheproof(case: dict[str, Any]) -> None:
    v = _unhex(case)
    if case["result"] == "valid":
        assert aead.encrypt(v["key"], v["msg"], v["aad"], v["iv"]) == v["ct"] + v["tag"]
        assert aead.decrypt(v["key"], v["ct"] + v["tag"], v["aad"], v["iv"]) == v["msg"]
    else:
        assert case["result"] == "invalid"
        with pytest.raises(InvalidCiphertext):
            aead.decrypt(v["key"], v["ct"] + v["tag"], v["aad"], v["iv"])


@given(
    key=st.binary(min_size=32, max_size=32),
    nonce=st.binary(min_size=12, max_size=12),
    plaintext=st.binary(max_size=512),
    aad=st.binary(max_size=64),
)
def test_round_trip(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> None:
    sealed = aead.encrypt(key, plaintext, aad, nonce)
    assert len(sealed) == len(plaintext) + aead.TAG_SIZE
    assert aead.decrypt(key, sealed, aad, nonce) == plaintext


@given(aad=st.binary(max_size=16), other=st.binary(max_size=16))
def test_other_aad_fails(aad: bytes, other: bytes) -> None:
    key, nonce = bytes(32), bytes(12)
    sealed = aead.encrypt(key, b"payload", aad, nonce)
    if other != aad:
        with pytest.raises(InvalidCiphertext):
            aead.decrypt(key, sealed, other, nonce)


@pytest.mark.parametrize("length", range(aead.TAG_SIZE))
def test_shorter_than_a_tag_fails(length: int) -> None:
    with pytest.raises(InvalidCiphertext):
        aead.decrypt(bytes(32), bytes(length), b"", bytes(12))


@pytest.mark.parametrize(("key", "nonce"), [(bytes(16), bytes(12)), (bytes(32), bytes(16))])
def test_only_aes256_with_96_bit_nonces(key: bytes, nonce: bytes) -> None:
    with pytest.raises(ValueError, match=r"32-byte key|12-byte nonce"):
        aead.encrypt(key, b"x", b"", nonce)
    with pytest.raises(ValueError, match=r"32-byte key|12-byte nonce"):
        aead.decrypt(key, bytes(17), b"", nonce)


def test_invalid_ciphertext_says_nothing() -> None:
    with pytest.raises(InvalidCiphertext) as caught:
        aead.decrypt(bytes(32), bytes(32), b"secret-aad", bytes(12))
    assert str(caught.value) == "invalid ciphertext"
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_derive_key_matches_wycheproof_hkdf_vectors() -> None:
    """RFC 5869 HKDF-SHA256 with no salt: the Wycheproof cases of that shape, 32-byte outputs."""
    vectors = Path(__file__).parents[2] / "vectors" / "wycheproof" / "hkdf_sha256_test.json"
    data = json.loads(vectors.read_text())
    checked = 0
    for group in data["testGroups"]:
        for case in group["tests"]:
            if case["salt"] or case["size"] != 32 or case["result"] != "valid":
                continue
            got = aead.derive_key(bytes.fromhex(case["ikm"]), bytes.fromhex(case["info"]))
            assert got.hex() == case["okm"], case["tcId"]
            checked += 1
    assert checked > 0
