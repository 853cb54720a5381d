"""The hash chain: `link` appends seq and prev_hash over exact bytes; checkpoints sign
`f"{seq}:{hash}"` of the line before them."""

from __future__ import annotations

import base64
import hashlib
import itertools

import msgspec
import pytest

from strongroom.audit import ChainState, Signer, checkpoint_entry, link
from strongroom.audit.chain import ZERO_HASH


def test_link_appends_seq_and_prev_hash_in_key_order() -> None:
    state = ChainState()
    first = {"time": "t", "type": "request"}
    line = link(first, state)
    assert line == b'{"time":"t","type":"request","seq":1,"prev_hash":"' + b"0" * 64 + b'"}'
    assert first == {"time": "t", "type": "request", "seq": 1, "prev_hash": ZERO_HASH}
    assert state == ChainState(1, hashlib.sha256(line).hexdigest())


def test_each_line_names_the_hash_of_the_one_before() -> None:
    state = ChainState()
    lines = [link({"n": n, "text": "line\nbreak"}, state) for n in range(5)]
    for before, after in itertools.pairwise(lines):
        decoded = msgspec.json.decode(after)
        assert decoded["prev_hash"] == hashlib.sha256(before).hexdigest()
    assert [msgspec.json.decode(line)["seq"] for line in lines] == [1, 2, 3, 4, 5]
    assert all(b"\n" not in line for line in lines)


def test_unencodable_entry_leaves_the_state_alone() -> None:
    state = ChainState(7, "ab" * 32)
    with pytest.raises(TypeError):
        link({"bad": object()}, state)
    assert state == ChainState(7, "ab" * 32)


def test_checkpoint_signs_seq_and_hash_of_the_chain(signer: Signer) -> None:
    state = ChainState()
    link({"n": 1}, state)
    checkpoint = checkpoint_entry(state, signer, 1714564800.0)
    assert checkpoint["time"] == "2024-05-01T12:00:00.000000Z"
    assert checkpoint["type"] == "checkpoint"
    body = checkpoint["checkpoint"]
    assert (body["seq"], body["hash"], body["key_id"]) == (1, state.prev, signer.key_id)
    signature = base64.b64decode(body["signature"])
    signer.public_key().verify(signature, f"1:{state.prev}".encode())
    line = link(checkpoint, state)
    assert msgspec.json.decode(line)["seq"] == 2


def test_signer_repr_masks_the_private_key(signer: Signer) -> None:
    assert repr(signer) == "Signer(key_id='audit-key-1', private_key=***)"
    assert str(signer) == repr(signer)
