"""Known answers for the symmetric primitives: Wycheproof AES-GCM, ChaCha20-Poly1305, HKDF and
HMAC-SHA256, RFC 4231 HMACs, plus round-trip and tamper properties of the AEAD wrapper."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.engines.transit.crypto import aead, digest, kdf
from strongroom.engines.transit.errors import InvalidCiphertext

VECTORS = Path(__file__).parents[3] / "vectors"


def _wycheproof(name: str) -> list[dict[str, Any]]:
    data: dict[str, Any] = json.loads((VECTORS / "wycheproof" / name).read_text())
    return data["testGroups"]  # type: ignore[no-any-return]


def _aead_cases(name: str, key_sizes: set[int], expected: int) -> list[Any]:
    cases = [
        pytest.param(group["keySize"], case, id=f"tc{case['tcId']}-{case['result']}")
        for group in _wycheproof(name)
        if group["ivSize"] == 96 and group["tagSize"] == 128 and group["keySize"] in key_sizes
        for case in group["tests"]
    ]
    assert len(cases) == expected  # a filter or file change that drops cases must be noticed
    return cases


def _check_aead(key_type: str, case: dict[str, Any]) -> None:
    key, iv, aad, msg, ct, tag = (
        bytes.fromhex(case[k]) for k in ("key", "iv", "aad", "msg", "ct", "tag")
    )
    blob = iv + ct + tag
    if case["result"] == "valid":
        assert aead.seal(key_type, key, msg, aad, iv) == blob
        assert aead.open_blob(key_type, key, blob, aad) == msg
    else:
        with pytest.raises(InvalidCiphertext):
            aead.open_blob(key_type, key, blob, aad)


@pytest.mark.parametrize(("key_size", "case"), _aead_cases("aes_gcm_test.json", {128, 256}, 133))
def test_aes_gcm_wycheproof(key_size: int, case: dict[str, Any]) -> None:
    _check_aead(f"aes{key_size}-gcm96", case)


@pytest.mark.parametrize(("_size", "case"), _aead_cases("chacha20_poly1305_test.json", {256}, 316))
def test_chacha20_poly1305_wycheproof(_size: int, case: dict[str, Any]) -> None:
    _check_aead("chacha20-poly1305", case)


def _hkdf_cases() -> list[Any]:
    # Vault's KDF passes no salt (RFC 5869: an absent salt is HashLen zero bytes) and always a
    # context, so only those cases apply to `kdf.derive`.
    cases = [
        pytest.param(case, id=f"tc{case['tcId']}")
        for group in _wycheproof("hkdf_sha256_test.json")
        for case in group["tests"]
        if case["result"] == "valid" and not case["salt"] and case["info"]
    ]
    assert len(cases) == 13
    return cases


@pytest.mark.parametrize("case", _hkdf_cases())
def test_hkdf_wycheproof(case: dict[str, Any]) -> None:
    okm = kdf.derive(bytes.fromhex(case["ikm"]), bytes.fromhex(case["info"]), case["size"])
    assert okm == bytes.fromhex(case["okm"])


def test_derivation_needs_a_context() -> None:
    with pytest.raises(ValueError, match="context"):
        kdf.derive(b"k" * 32, b"", 32)


def _hmac_cases() -> list[Any]:
    cases = [
        pytest.param(case, group["tagSize"] // 8, id=f"tc{case['tcId']}-{case['result']}")
        for group in _wycheproof("hmac_sha256_test.json")
        for case in group["tests"]
    ]
    assert len(cases) == 174
    return cases


@pytest.mark.parametrize(("case", "tag_bytes"), _hmac_cases())
def test_hmac_sha256_wycheproof(case: dict[str, Any], tag_bytes: int) -> None:
    mac = digest.mac("sha2-256", bytes.fromhex(case["key"]), bytes.fromhex(case["msg"]))
    assert (mac[:tag_bytes] == bytes.fromhex(case["tag"])) is (case["result"] == "valid")


def _rfc4231() -> list[Any]:
    data = json.loads((VECTORS / "transit" / "rfc4231_hmac.json").read_text())
    return [
        pytest.param(case, name, id=f"{case['name']}-{name}")
        for case in data["cases"]
        for name in ("sha2-224", "sha2-256", "sha2-384", "sha2-512")
        if name in case
    ]


@pytest.mark.parametrize(("case", "algorithm"), _rfc4231())
def test_hmac_rfc4231(case: dict[str, Any], algorithm: str) -> None:
    key, data, tag = (
        bytes.fromhex(case["key"]),
        bytes.fromhex(case["data"]),
        bytes.fromhex(case[algorithm]),
    )
    assert digest.mac(algorithm, key, data) == tag
    assert digest.mac_matches(algorithm, key, data, tag)
    assert not digest.mac_matches(algorithm, key, data + b"!", tag)


KEY_TYPES = st.sampled_from(sorted(aead.KEY_SIZES))


@given(KEY_TYPES, st.binary(max_size=512), st.binary(max_size=64))
def test_seal_open_round_trip(key_type: str, plaintext: bytes, aad: bytes) -> None:
    key = bytes(range(aead.KEY_SIZES[key_type]))
    blob = aead.seal(key_type, key, plaintext, aad)
    assert len(blob) == aead.NONCE_SIZE + len(plaintext) + aead.TAG_SIZE
    assert aead.open_blob(key_type, key, blob, aad) == plaintext


@given(KEY_TYPES, st.binary(min_size=1, max_size=64), st.data())
def test_any_flipped_bit_fails_to_open(
    key_type: str, plaintext: bytes, data: st.DataObject
) -> None:
    key = bytes(aead.KEY_SIZES[key_type])
    blob = bytearray(aead.seal(key_type, key, plaintext))
    bit = data.draw(st.integers(0, len(blob) * 8 - 1))
    blob[bit // 8] ^= 1 << (bit % 8)
    with pytest.raises(InvalidCiphertext) as caught:
        aead.open_blob(key_type, key, bytes(blob))
    assert caught.value.public == "invalid ciphertext"


@given(st.binary(max_size=40))
def test_short_blobs_fail_alike(blob: bytes) -> None:
    with pytest.raises(InvalidCiphertext, match=r"^invalid ciphertext$"):
        aead.open_blob("aes256-gcm96", bytes(32), blob)


def test_convergent_nonce_is_a_function_of_key_and_plaintext() -> None:
    first = aead.convergent_nonce(b"k" * 32, b"same")
    assert first == aead.convergent_nonce(b"k" * 32, b"same")
    assert first != aead.convergent_nonce(b"k" * 32, b"other")
    assert first != aead.convergent_nonce(b"j" * 32, b"same")
    assert len(first) == aead.NONCE_SIZE


def test_wrong_key_size_is_refused() -> None:
    with pytest.raises(ValueError, match="key type"):
        aead.seal("aes128-gcm96", bytes(32), b"x")
