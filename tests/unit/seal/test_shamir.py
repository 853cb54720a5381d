"""Shamir over GF(2^8): field known answers, Vault's argument checks, and the sharing property."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strongroom.seal import shamir

# -- the field -------------------------------------------------------------------------------------


def test_field_known_answers() -> None:
    # Vault's shamir_test.go TestField_Mult / TestField_Divide, and FIPS 197 §4.2's {57}·{83}.
    assert shamir.mul(3, 7) == 9
    assert shamir.mul(3, 0) == 0
    assert shamir.mul(0, 3) == 0
    assert shamir.mul(0, 0) == 0
    assert shamir.mul(0x57, 0x83) == 0xC1
    assert shamir.div(0, 7) == 0
    assert shamir.div(3, 3) == 1
    assert shamir.div(6, 3) == 2


def test_tables_agree_with_shift_and_add_everywhere() -> None:
    for a, b in itertools.product(range(256), repeat=2):
        assert shamir.mul(a, b) == shamir._slow_mul(a, b)


def test_every_non_zero_element_has_an_inverse() -> None:
    for a in range(1, 256):
        assert shamir.mul(a, shamir.div(1, a)) == 1
        for b in (1, 2, 0x53, 255):
            assert shamir.mul(shamir.div(b, a), a) == b
    with pytest.raises(ZeroDivisionError):
        shamir.div(1, 0)


# -- known answers ---------------------------------------------------------------------------------


def test_combine_hand_built_shares() -> None:
    # f(x) = s + a·x for every byte: shares at x = 1 and x = 2, computed by hand.
    secret, slope = b"\x00\x42\xff\x10", b"\x01\x02\x03\x80"
    share1 = bytes(s ^ a for s, a in zip(secret, slope, strict=True)) + b"\x01"
    share2 = bytes(s ^ shamir.mul(a, 2) for s, a in zip(secret, slope, strict=True)) + b"\x02"
    assert shamir.combine([share1, share2]) == secret
    assert shamir.combine([share2, share1]) == secret


def _deterministic(seed: bytes) -> Callable[[int], bytes]:
    counter = itertools.count()

    def token_bytes(n: int) -> bytes:
        out = b""
        while len(out) < n:
            out += hashlib.sha256(seed + next(counter).to_bytes(8, "big")).digest()
        return out[:n]

    return token_bytes


def test_split_uses_only_the_injected_randomness() -> None:
    first = shamir.split(b"secret", 5, 3, _deterministic(b"seed"))
    assert first == shamir.split(b"secret", 5, 3, _deterministic(b"seed"))
    assert first != shamir.split(b"secret", 5, 3, _deterministic(b"other"))


# -- argument checks (Vault's TestSplit_invalid / TestCombine_invalid) -----------------------------


@pytest.mark.parametrize(
    ("secret", "parts", "threshold", "message"),
    [
        (b"test", 0, 0, "threshold must be at least 2"),
        (b"test", 2, 3, "parts cannot be less than threshold"),
        (b"test", 1000, 3, "parts cannot exceed 255"),
        (b"test", 256, 256, "parts cannot exceed 255"),
        (b"test", 10, 1, "threshold must be at least 2"),
        (b"test", 1, 0, "threshold must be at least 2"),
        (b"", 3, 2, "cannot split an empty secret"),
        (b"", 1, 1, "cannot split an empty secret"),
    ],
)
def test_split_refuses(secret: bytes, parts: int, threshold: int, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        shamir.split(secret, parts, threshold)


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ([], "less than two parts cannot be used to reconstruct the secret"),
        ([b"only\x01"], "less than two parts cannot be used to reconstruct the secret"),
        ([b"foo", b"ba"], "all parts must be the same length"),
        ([b"f", b"b"], "parts must be at least two bytes"),
        ([b"foo", b"foo"], "duplicate part detected"),
        ([b"fo\x00", b"ba\x01"], "invalid part: x-coordinate is zero"),
    ],
)
def test_combine_refuses(parts: list[bytes], message: str) -> None:
    # Fixed texts only: a message never echoes share material.
    with pytest.raises(ValueError, match=f"^{message}$"):
        shamir.combine(parts)


def test_a_single_share_is_the_secret_itself() -> None:
    assert shamir.split(b"key", 1, 1) == [b"key"]


def test_broken_randomness_is_refused() -> None:
    with pytest.raises(RuntimeError, match="random source"):
        shamir.split(b"secret", 3, 2, lambda n: b"\xff" * n)


# -- the sharing property --------------------------------------------------------------------------


def test_shares_carry_distinct_non_zero_x_coordinates() -> None:
    shares = shamir.split(b"k" * 32, 255, 2)
    assert sorted(share[-1] for share in shares) == list(range(1, 256))
    assert {len(share) for share in shares} == {33}


def test_x_coordinates_are_random() -> None:
    # Vault moved from x = 1..n to a random permutation; 20 identical draws of 2 of 255: ~2^-300.
    drawn = {tuple(share[-1] for share in shamir.split(b"k", 2, 2)) for _ in range(20)}
    assert len(drawn) > 1
    assert [s[-1] for s in shamir.split(b"k", 5, 3, _deterministic(b"x"))] != [1, 2, 3, 4, 5]


def test_vault_example_every_three_of_five() -> None:
    shares = shamir.split(b"test", 5, 3)
    for chosen in itertools.permutations(shares, 3):
        assert shamir.combine(list(chosen)) == b"test"


@settings(max_examples=150, deadline=None)
@given(
    secret=st.binary(min_size=1, max_size=48),
    parts=st.integers(2, 12),
    data=st.data(),
)
def test_any_threshold_shares_recover_in_any_order(
    secret: bytes, parts: int, data: st.DataObject
) -> None:
    threshold = data.draw(st.integers(2, parts), label="threshold")
    shares = shamir.split(secret, parts, threshold)
    assert len(shares) == parts
    chosen = data.draw(st.permutations(shares), label="order")
    count = data.draw(st.integers(threshold, parts), label="count")
    assert shamir.combine(chosen[:count]) == secret
    assert shamir.combine(list(reversed(chosen[:count]))) == secret


@settings(max_examples=150, deadline=None)
@given(
    secret=st.binary(min_size=32, max_size=32),
    parts=st.integers(3, 12),
    data=st.data(),
)
def test_fewer_than_threshold_shares_give_something_else(
    secret: bytes, parts: int, data: st.DataObject
) -> None:
    threshold = data.draw(st.integers(3, parts), label="threshold")
    shares = shamir.split(secret, parts, threshold)
    chosen = data.draw(st.permutations(shares), label="order")
    count = data.draw(st.integers(2, threshold - 1), label="count")
    # Each byte matches by chance with probability 1/256; all 32 with probability 2^-256.
    assert shamir.combine(chosen[:count]) != secret
