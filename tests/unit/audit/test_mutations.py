"""The issue's mutation test: 1,000 random mutations of a real signed log (edit a byte, delete a
line, insert a copied line, swap two lines, truncate), each held to what verify.py guarantees.

The guarantee, precisely (a log whose last line is not a checkpoint, as a live log's is not):
1. A mutation whose first changed line `f` is not the last line, and that does not leave a
   clean prefix of the log, is an error at line `f` or `f + 1`.
2. A change confined to the last line may pass: it lies after the last checkpoint, so the
   report shows it only as `unverified_tail > 0`.
3. A cut between two lines leaves a valid shorter log: the report says `ok`, and the loss shows
   as `unverified_tail > 0`, or as `entries` below the seq of the checkpoint an external system
   anchored, except for a cut right after the last checkpoint (only the unverified tail lost).
Positions come from `secrets.randbelow`; a failure message carries the mutation to replay it.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

import msgspec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from strongroom.audit import Report, verify_file

MUTATIONS = 1000
Keys = dict[str, Ed25519PublicKey]
WriteLog = Callable[..., Awaitable[Path]]  # the `write_log` fixture of conftest.py


def mutate(data: bytes, lines: list[bytes], kind: int) -> tuple[bytes, str]:
    """One random mutation of kind 0..4 and its description."""
    count = len(lines)
    if kind == 0:
        at, delta = secrets.randbelow(len(data)), 1 + secrets.randbelow(255)
        edited = bytes([(data[at] + delta) % 256])
        return data[:at] + edited + data[at + 1 :], f"edit byte {at} += {delta}"
    if kind == 1:
        at = secrets.randbelow(count)
        return b"".join(lines[:at] + lines[at + 1 :]), f"delete line {at + 1}"
    if kind == 2:
        source, at = secrets.randbelow(count), secrets.randbelow(count + 1)
        copied = [*lines[:at], lines[source], *lines[at:]]
        return b"".join(copied), f"insert a copy of line {source + 1} before line {at + 1}"
    if kind == 3:
        first = secrets.randbelow(count)
        second = (first + 1 + secrets.randbelow(count - 1)) % count
        swapped = list(lines)
        swapped[first], swapped[second] = swapped[second], swapped[first]
        return b"".join(swapped), f"swap lines {first + 1} and {second + 1}"
    cut = secrets.randbelow(len(data))
    return data[:cut], f"truncate to {cut} bytes"


def judge(original: list[bytes], mutated: bytes, report: Report, anchored_seq: int) -> str:
    """Assert the guarantee for one mutation; returns how it was caught."""
    lines = mutated.splitlines(keepends=True)
    if len(lines) < len(original) and lines == original[: len(lines)]:  # a clean cut
        assert report.ok, report
        assert report.entries == len(lines)
        if report.unverified_tail > 0:
            return "cut: unverified tail"
        if report.entries < anchored_seq:
            return "cut: below the anchored checkpoint"
        assert msgspec.json.decode(lines[-1])["checkpoint"]["seq"] == anchored_seq
        return "cut: right after the last checkpoint (only the unverified tail lost)"
    first = next(
        (n for n, (a, b) in enumerate(zip(lines, original, strict=False), 1) if a != b),
        min(len(lines), len(original)) + 1,
    )
    if report.ok:
        assert first == len(original) == len(lines), report  # only the last line changed
        assert report.unverified_tail > 0
        return "last line: unverified tail"
    assert report.first_error is not None
    assert first <= report.first_error[0] <= first + 1, report
    return f"error: {report.first_error[1]}"


async def test_a_thousand_random_mutations_are_each_caught(
    tmp_path: Path, write_log: WriteLog, keys: Keys
) -> None:
    path = await write_log(520, every=50)
    data = path.read_bytes()
    original = data.splitlines(keepends=True)
    decoded = [msgspec.json.decode(line) for line in original]
    checkpoints = [e for e in decoded if e["type"] == "checkpoint"]
    assert len(checkpoints) == 10
    assert decoded[-1]["type"] == "request"  # a tail after the last checkpoint, as in life
    clean = verify_file(path, keys)
    assert (clean.ok, clean.entries, clean.unverified_tail) == (True, len(original), 30)
    anchored_seq = checkpoints[-1]["checkpoint"]["seq"]  # what sys/audit-checkpoints showed

    outcomes: Counter[str] = Counter()
    target = tmp_path / "mutated.log"
    for number in range(MUTATIONS):
        mutated, description = mutate(data, original, number % 5)
        target.write_bytes(mutated)
        report = verify_file(target, keys)
        try:
            outcomes[judge(original, mutated, report, anchored_seq)] += 1
        except AssertionError as failure:
            raise AssertionError(f"{description}: {report}") from failure
    assert sum(outcomes.values()) == MUTATIONS
    assert sum(n for how, n in outcomes.items() if how.startswith("error")) > 900
