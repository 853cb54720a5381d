"""Keyring and Term: ordering, lookup, encoding, and refusal of malformed input."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strongroom.barrier import InvalidCiphertext, Keyring, Term
from strongroom.secret import SecretBytes


def _term(number: int, fill: int = 1, installed: float = 1.0) -> Term:
    return Term(number, SecretBytes(bytes([fill]) * 32), installed)


def _wire(*terms: dict[str, object]) -> bytes:
    return json.dumps({"terms": list(terms)}).encode()


def _wire_term(
    number: object = 1, key: object = None, installed: object = 1.0
) -> dict[str, object]:
    key = base64.b64encode(bytes(32)).decode() if key is None else key
    return {"number": number, "key": key, "installed": installed}


def test_active_is_the_highest_term_and_lookup_finds_each() -> None:
    keyring = Keyring((_term(1), _term(2, 2), _term(5, 5)))
    assert keyring.active.number == 5
    assert [keyring.term(n) for n in (1, 2, 5)] == list(keyring.terms)
    assert keyring.term(0) is None
    assert keyring.term(3) is None
    assert keyring.term(6) is None


def test_with_new_term_appends_without_touching_the_original() -> None:
    keyring = Keyring((_term(1),))
    rotated = keyring.with_new_term(SecretBytes(bytes([9]) * 32), 42.0)
    assert [t.number for t in rotated.terms] == [1, 2]
    assert rotated.active.installed == 42.0
    assert rotated.active.key == SecretBytes(bytes([9]) * 32)
    assert len(keyring.terms) == 1


@given(
    st.lists(
        st.tuples(st.binary(min_size=32, max_size=32), st.floats(0, 4e9)), min_size=1, max_size=8
    )
)
def test_encode_decode_round_trip(raw: list[tuple[bytes, float]]) -> None:
    keyring = Keyring(tuple(Term(i + 1, SecretBytes(k), t) for i, (k, t) in enumerate(raw)))
    assert Keyring.decode(keyring.encode()) == keyring


def test_repr_masks_every_key() -> None:
    keyring = Keyring((_term(1, 0x41), _term(2, 0x42)))
    assert "AAAA" not in repr(keyring)
    assert "SecretBytes(***)" in repr(keyring)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b"[]",
        b'{"terms": []}',
        b'{"terms": null}',
        b'{"terms": [], "extra": 1}',
        _wire(_wire_term(number=0)),
        _wire(_wire_term(number=-1)),
        _wire(_wire_term(number=2**32)),
        _wire(_wire_term(number="1")),
        _wire(_wire_term(key=base64.b64encode(bytes(31)).decode())),
        _wire(_wire_term(key=base64.b64encode(bytes(33)).decode())),
        _wire(_wire_term(key="not base64!")),
        _wire(_wire_term(installed="yesterday")),
        _wire(_wire_term(number=2), _wire_term(number=1)),
        _wire(_wire_term(number=1), _wire_term(number=1)),
        b'{"terms": [{"number": 1, "key": "AAAA"}]}',
        b"\xff\xfe",
    ],
)
def test_decode_refuses_malformed_input(data: bytes) -> None:
    with pytest.raises(InvalidCiphertext):
        Keyring.decode(data)


def test_decode_accepts_the_documented_wire_form() -> None:
    keyring = Keyring.decode(_wire(_wire_term(1), _wire_term(3, installed=7)))
    assert [t.number for t in keyring.terms] == [1, 3]
    assert keyring.active.installed == 7.0


@pytest.mark.parametrize(
    "build",
    [
        lambda: Keyring(()),
        lambda: Keyring((_term(2), _term(1))),
        lambda: Term(0, SecretBytes(bytes(32)), 1.0),
        lambda: Term(1, SecretBytes(bytes(16)), 1.0),
        lambda: Term(1, SecretBytes(bytes(32)), float("nan")),
    ],
)
def test_constructors_validate(build: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match="term"):
        build()
