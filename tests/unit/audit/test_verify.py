"""verify_file: what a report proves and what it reports, case by case (the random mutations
are in test_mutations.py), and that 100k entries stream through it."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import msgspec
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from strongroom.audit import ChainState, Signer, checkpoint_entry, link, verify_file

Keys = dict[str, Ed25519PublicKey]


def build(count: int, signer: Signer, every: int = 10, chain: str | None = None) -> list[bytes]:
    """`count` entries with a checkpoint after every `every`-th seq, as a sink writes them."""
    state, lines = ChainState(), []
    for number in range(count):
        entry: dict[str, Any] = {"time": "t", "type": "request", "n": number}
        if chain is not None:
            entry["chain"] = chain
        lines.append(link(entry, state))
        if state.seq % every == 0:
            checkpoint = checkpoint_entry(state, signer, 0.0)
            if chain is not None:
                checkpoint["chain"] = chain
            lines.append(link(checkpoint, state))
    return lines


def save(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"".join(line + b"\n" for line in lines))
    return path


def rechain(lines: list[bytes], start: int) -> list[bytes]:
    """What an attacker without the key can do: re-link every line from `start` on so that
    `seq` and `prev_hash` are consistent again (checkpoints keep their stale signatures)."""
    out = lines[:start]
    for line in lines[start:]:
        entry = msgspec.json.decode(line)
        entry["prev_hash"] = hashlib.sha256(out[-1]).hexdigest() if out else "0" * 64
        if entry["type"] == "checkpoint":
            entry["checkpoint"]["hash"] = entry["prev_hash"]
        out.append(msgspec.json.encode(entry))
    return out


def edit(line: bytes, old: bytes, new: bytes) -> bytes:
    assert old in line
    return line.replace(old, new, 1)


def test_a_clean_log(tmp_path: Path, signer: Signer, keys: Keys) -> None:
    path = save(tmp_path / "a.log", build(25, signer))  # checkpoints at seq 11 and 21
    assert verify_file(path, keys) == verify_file(str(path), keys)
    report = verify_file(path, keys)
    assert (report.ok, report.entries, report.checkpoints) == (True, 27, 2)
    assert (report.first_error, report.unverified_tail) == (None, 6)


def test_without_keys_nothing_is_proven(tmp_path: Path, signer: Signer) -> None:
    report = verify_file(save(tmp_path / "a.log", build(25, signer)), None)
    assert (report.ok, report.checkpoints, report.unverified_tail) == (True, 2, 27)


def test_an_empty_log_is_clean(tmp_path: Path) -> None:
    report = verify_file(save(tmp_path / "a.log", []))
    assert (report.ok, report.entries, report.unverified_tail) == (True, 0, 0)


def test_a_rewrite_before_a_checkpoint_breaks_its_signature(
    tmp_path: Path, signer: Signer, keys: Keys
) -> None:
    lines = build(25, signer)
    lines[3] = edit(lines[3], b'"n":3', b'"n":4')
    path = save(tmp_path / "a.log", rechain(lines, 3))
    assert verify_file(path).ok  # consistent: without keys it cannot be told from the truth
    assert verify_file(path, keys).first_error == (11, "bad signature")


def test_a_rewrite_after_the_last_checkpoint_is_only_unverified(
    tmp_path: Path, signer: Signer, keys: Keys
) -> None:
    lines = build(25, signer)
    lines[24] = edit(lines[24], b'"n":22', b'"n":99')
    report = verify_file(save(tmp_path / "a.log", rechain(lines, 24)), keys)
    assert (report.ok, report.unverified_tail) == (True, 6)  # the documented limit


@pytest.mark.parametrize(
    ("mutate", "error"),
    [
        (lambda ls: ls[1:], (1, "sequence gap")),
        (lambda ls: ls[:4] + ls[5:], (5, "sequence gap")),
        (lambda ls: [*ls[:4], ls[3], *ls[4:]], (5, "sequence gap")),
        (lambda ls: [ls[0], ls[2], ls[1], *ls[3:]], (2, "sequence gap")),
        (lambda ls: [ls[0], edit(ls[1], b'"n":1', b'"n":7'), *ls[2:]], (3, "hash chain broken")),
        (lambda ls: [*ls[:3], b"", *ls[3:]], (4, "not JSON")),
        (lambda ls: [*ls[:3], b'{"seq":"4"}', *ls[3:]], (4, "not an audit chain entry")),
        (lambda ls: [*ls[:3], b'{"type":"request"}', *ls[3:]], (4, "not an audit chain entry")),
        (lambda ls: [*ls[:3], ls[3] + b"\xff", *ls[4:]], (4, "not JSON")),
        (
            lambda ls: [*ls[:3], edit(ls[3], b'"prev_hash":"', b'"prev_hash":"\xc2'), *ls[4:]],
            (4, "not JSON"),
        ),
    ],
)
def test_each_kind_of_damage_names_its_line(
    tmp_path: Path, signer: Signer, keys: Keys, mutate: Any, error: tuple[int, str]
) -> None:
    report = verify_file(save(tmp_path / "a.log", mutate(build(25, signer))), keys)
    assert (report.ok, report.first_error) == (False, error)
    assert report.entries == error[0] - 1


def test_a_line_cut_short_is_truncation(tmp_path: Path, signer: Signer, keys: Keys) -> None:
    path = save(tmp_path / "a.log", build(5, signer))
    path.write_bytes(path.read_bytes()[:-10])
    assert verify_file(path, keys).first_error == (5, "truncated line")


def test_checkpoint_errors(tmp_path: Path, signer: Signer, keys: Keys) -> None:
    lines = build(12, signer)
    cut = lines[:11]
    other = Signer("audit-key-2", Ed25519PrivateKey.generate())
    forged = rechain([*lines[:10], edit(lines[10], b'"seq":10,', b'"seq":9,')], 10)
    cases = {
        "unknown": (
            cut,
            {other.key_id: other.public_key()},
            "checkpoint signed by an unknown key_id",
        ),
        "wrong key": (cut, {signer.key_id: other.public_key()}, "bad signature"),
        "mismatch": (forged, keys, "checkpoint does not match the chain"),
        "bad base64": (
            rechain([*lines[:10], edit(lines[10], b'"signature":"', b'"signature":"!')], 10),
            keys,
            "bad signature",
        ),
    }
    for name, (log, ring, reason) in cases.items():
        report = verify_file(save(tmp_path / "a.log", log), ring)
        assert report.first_error == (11, reason), name


def test_a_checkpoint_missing_its_body_is_malformed(tmp_path: Path) -> None:
    state = ChainState()
    lines = [link({"type": "request"}, state), link({"type": "checkpoint"}, state)]
    assert verify_file(save(tmp_path / "a.log", lines)).first_error == (
        2,
        "not an audit chain entry",
    )


def test_chains_are_followed_by_their_id(tmp_path: Path, signer: Signer, keys: Keys) -> None:
    first, second = build(23, signer, chain="aaaa"), build(15, signer, chain="bbbb")
    mixed = [line for pair in zip(first, second, strict=False) for line in pair]
    mixed += first[len(second) :]
    report = verify_file(save(tmp_path / "a.log", mixed), keys)
    assert (report.ok, report.entries, report.checkpoints) == (True, 41, 3)
    assert report.unverified_tail == 4 + 5  # after seq 21 of the first, after seq 11 of the second
    second[2] = edit(second[2], b'"n":2', b'"n":5')
    broken = [line for pair in zip(first, second, strict=False) for line in pair]
    assert verify_file(save(tmp_path / "a.log", broken), keys).first_error == (
        8,
        "hash chain broken",
    )


def test_progress_reports_bytes(tmp_path: Path, signer: Signer) -> None:
    path = save(tmp_path / "a.log", build(40_000, signer, every=1000))
    seen: list[int] = []
    verify_file(path, progress=seen.append)
    assert seen == sorted(seen)
    assert len(seen) >= 3
    assert seen[-1] == path.stat().st_size


def test_one_hundred_thousand_entries(tmp_path: Path, signer: Signer, keys: Keys) -> None:
    path = save(tmp_path / "big.log", build(100_000, signer, every=1000))
    report = verify_file(path, keys)
    assert (report.ok, report.entries, report.checkpoints) == (True, 100_100, 100)
    assert report.unverified_tail == 99  # the last checkpoint is seq 100_001 of 100_100
