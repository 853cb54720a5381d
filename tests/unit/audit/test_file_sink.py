"""FileSink beyond the conformance suite: worker processes sharing one file, rotation by rename,
delete or truncation, torn lines, failed writes rolled back, mode, prefix and stdout."""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import itertools
import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from strongroom.audit import FileSink, Signer, verify_file
from strongroom.audit import file_sink as file_sink_module
from support.flock_holder import lock_held

MakeEntry = Callable[[int], dict[str, Any]]  # the `entry` fixture of conftest.py
CHILD = Path(__file__).with_name("file_sink_child.py")
Keys = dict[str, Ed25519PublicKey]


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [msgspec.json.decode(line) for line in path.read_bytes().splitlines()]


def last_line_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes().splitlines()[-1]).hexdigest()


@pytest.mark.slow
def test_worker_processes_share_one_valid_chain(tmp_path: Path, signer: Signer) -> None:
    path, workers, count = tmp_path / "shared.log", ("a", "b", "c"), 3000
    raw_key = signer.private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    start_at = str(time.time() + 1.5)  # after every child has imported and opened the file
    children = [
        subprocess.Popen(
            [sys.executable, str(CHILD), str(path), w, str(count), start_at, raw_key.hex(), "30"],
            stderr=subprocess.PIPE,
        )
        for w in workers
    ]
    for child in children:
        _, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
    report = verify_file(path, {"k": signer.public_key()})
    assert report.ok, report
    entries = lines_of(path)
    ids = [e["request"]["id"] for e in entries if e["type"] == "request"]
    for worker in workers:  # nothing lost, nothing duplicated, each worker's order kept
        assert [i for i in ids if i.startswith(worker)] == [
            f"{worker}-{n:06d}" for n in range(count)
        ]
    switches = sum(1 for x, y in itertools.pairwise(ids) if x[0] != y[0])
    assert switches > 10, "the workers did not actually write at the same time"
    assert [e["type"] for e in entries].count("chain_start") == 1
    assert report.checkpoints == len(entries) // 100


async def test_two_sinks_on_one_file_continue_each_others_chain(
    tmp_path: Path, signer: Signer, keys: Keys, entry: MakeEntry
) -> None:
    path = tmp_path / "a.log"
    first = FileSink(str(path), signer=signer, checkpoint_every=4)
    second = FileSink(str(path), signer=signer, checkpoint_every=4)
    for number in range(10):
        await (first if number % 3 else second).write(entry(number))
    await second.checkpoint()
    await first.checkpoint()  # the tail is already signed: nothing to add
    await first.close()
    await second.close()
    report = verify_file(path, keys)
    assert (report.ok, report.unverified_tail) == (True, 0)
    assert [e["type"] for e in lines_of(path)].count("checkpoint") == 4  # seq 4, 8, 12 and now


@pytest.mark.parametrize("size", [10, 5_000, 300_000])
async def test_a_worker_continues_after_another_workers_line_of_any_size(
    tmp_path: Path, entry: MakeEntry, size: int
) -> None:
    path = tmp_path / "a.log"
    first, second = FileSink(str(path)), FileSink(str(path))
    await first.write(entry(0))
    big = entry(1)
    big["request"]["data"] = {"blob": "x" * size}
    await first.write(big)
    await second.write(entry(2))  # must find the start of a line far longer than one read
    await first.close()
    await second.close()
    assert [e["seq"] for e in lines_of(path)] == [1, 2, 3, 4]
    assert verify_file(path).ok


async def test_reopening_a_log_continues_its_chain(tmp_path: Path, entry: MakeEntry) -> None:
    path = tmp_path / "a.log"
    for round_ in range(2):
        sink = FileSink(str(path))
        await sink.write(entry(round_))
        await sink.close()
    assert [e["type"] for e in lines_of(path)] == ["chain_start", "request", "request"]
    assert verify_file(path).ok


@pytest.mark.parametrize("rotate", ["rename", "delete"])
async def test_rotation_starts_a_chain_naming_the_old_files_last_line(
    tmp_path: Path, entry: MakeEntry, rotate: str
) -> None:
    path, old = tmp_path / "a.log", tmp_path / "a.log.1"
    now = [0.0]
    writer = FileSink(str(path), clock=lambda: now[0])
    other_worker = FileSink(str(path), clock=lambda: now[0])
    for number in range(3):
        await writer.write(entry(number))
    await other_worker.write(entry(3))  # the last line of the old file is not `writer`'s
    if rotate == "rename":
        path.rename(old)
        expected = last_line_hash(old)
        now[0] += 1.0  # a rename is seen at the next look at the path, once a second
    else:
        expected = last_line_hash(path)
        path.unlink()  # a deletion is seen at once
    await writer.write(entry(4))
    await other_worker.write(entry(5))
    await writer.close()
    await other_worker.close()
    first, *rest = lines_of(path)
    assert first["type"] == "chain_start"
    assert first["previous_file_hash"] == expected
    assert (first["seq"], first["prev_hash"]) == (1, "0" * 64)
    assert [e["request"]["id"] for e in rest] == ["req-4", "req-5"]
    assert verify_file(path).ok
    if rotate == "rename":
        assert verify_file(old).ok


async def test_a_rename_is_followed_within_the_check_interval(
    tmp_path: Path, entry: MakeEntry
) -> None:
    path, old = tmp_path / "a.log", tmp_path / "a.log.1"
    now = [100.0]
    sink = FileSink(str(path), clock=lambda: now[0])
    await sink.write(entry(0))
    path.rename(old)
    await sink.write(entry(1))  # inside the interval: still the renamed file, nothing lost
    now[0] += 1.0
    await sink.write(entry(2))
    await sink.close()
    assert [e.get("request", {}).get("id") for e in lines_of(old)] == [None, "req-0", "req-1"]
    assert [e.get("request", {}).get("id") for e in lines_of(path)] == [None, "req-2"]
    assert verify_file(old).ok
    assert verify_file(path).ok


async def test_truncation_starts_a_new_chain(tmp_path: Path, entry: MakeEntry) -> None:
    path = tmp_path / "a.log"
    sink = FileSink(str(path))
    await sink.write(entry(0))
    before = last_line_hash(path)
    os.truncate(path, 0)  # logrotate copytruncate
    await sink.write(entry(1))
    await sink.close()
    first, second = lines_of(path)
    assert (first["type"], first["previous_file_hash"], second["seq"]) == ("chain_start", before, 2)
    assert verify_file(path).ok


async def test_a_torn_last_line_is_ended_and_reported(tmp_path: Path, entry: MakeEntry) -> None:
    path = tmp_path / "a.log"
    sink = FileSink(str(path))
    await sink.write(entry(0))
    with path.open("ab") as log:
        log.write(b'{"time":"2024-05-01T12:00:00Z","type":"req')  # a writer killed mid-line
    await sink.write(entry(1))
    await sink.close()
    assert verify_file(path).first_error == (3, "not JSON")
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:2] + lines[3:]))  # without the torn line, the chain holds
    assert verify_file(path).ok


@pytest.mark.parametrize(
    ("foreign", "reason"),
    [
        (b'{"time":"2024-05-01T12:00:00Z","type":"request"}', "not an audit chain entry"),
        (b'{"seq":1,"prev_hash":"\xc2","type":"\xc2"}', "not JSON"),  # invalid UTF-8
    ],
)
async def test_a_foreign_file_gets_a_fresh_chain(
    tmp_path: Path, entry: MakeEntry, foreign: bytes, reason: str
) -> None:
    path = tmp_path / "a.log"
    path.write_bytes(foreign + b"\n")
    sink = FileSink(str(path))
    await sink.write(entry(0))
    await sink.close()
    assert msgspec.json.decode(path.read_bytes().splitlines()[1])["previous_file_hash"] is None
    assert verify_file(path).first_error == (1, reason)


async def test_a_failed_write_leaves_neither_bytes_nor_a_gap(
    tmp_path: Path, entry: MakeEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.log"
    sink = FileSink(str(path))
    await sink.write(entry(0))
    before = path.read_bytes()

    def half_then_enospc(fd: int, data: bytes) -> None:
        os.write(fd, data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(file_sink_module, "_write_all", half_then_enospc)
    with pytest.raises(OSError, match="No space"):
        await sink.write(entry(1))
    assert path.read_bytes() == before
    monkeypatch.undo()
    await sink.write(entry(2))
    await sink.close()
    assert [e["seq"] for e in lines_of(path)] == [1, 2, 3]
    assert verify_file(path).ok


async def test_mode_is_applied_unless_zero(tmp_path: Path, entry: MakeEntry) -> None:
    path = tmp_path / "a.log"
    sink = FileSink(str(path), mode=0o640)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    await sink.close()
    path.chmod(0o644)
    sink = FileSink(str(path), mode=0)  # Vault's "0000": leave the mode alone
    await sink.write(entry(0))
    await sink.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


async def test_prefix_precedes_every_line(tmp_path: Path, entry: MakeEntry) -> None:
    path = tmp_path / "a.log"
    sink = FileSink(str(path), prefix="@cee: ")
    for number in range(3):
        await sink.write(entry(number))
    await sink.close()
    assert all(line.startswith(b"@cee: {") for line in path.read_bytes().splitlines())
    assert verify_file(path, prefix="@cee: ").ok
    assert verify_file(path).first_error == (1, "not JSON")
    assert verify_file(path, prefix="other: ").first_error == (1, "missing prefix")


async def test_fsync_option_syncs_each_write(
    tmp_path: Path, entry: MakeEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def counting_fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", counting_fsync)
    sink = FileSink(str(tmp_path / "a.log"), fsync=True)
    await sink.write(entry(0))
    await sink.write(entry(1))
    await sink.close()
    assert len(synced) == 2


async def test_stdout_gets_a_chain_of_its_own(
    tmp_path: Path, entry: MakeEntry, capfd: pytest.CaptureFixture[str]
) -> None:
    sink = FileSink("stdout")
    for number in range(3):
        await sink.write(entry(number))
    await sink.close()
    out = capfd.readouterr().out
    decoded = [msgspec.json.decode(line) for line in out.splitlines()]
    assert [e["seq"] for e in decoded] == [1, 2, 3]
    assert len({e["chain"] for e in decoded}) == 1
    copy = tmp_path / "stdout.log"
    copy.write_text(out)
    assert verify_file(copy).ok


def test_bad_checkpoint_interval_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="checkpoint_every"):
        FileSink(str(tmp_path / "a.log"), checkpoint_every=0)


async def test_waiting_for_another_workers_lock_does_not_stall_the_event_loop(
    tmp_path: Path, entry: MakeEntry
) -> None:
    path = tmp_path / "a.log"
    sink = FileSink(str(path))
    await sink.write(entry(0))
    other_worker = os.open(path, os.O_RDWR)  # its own open file: its flock conflicts with ours
    fcntl.flock(other_worker, fcntl.LOCK_EX)
    writing = asyncio.create_task(sink.write(entry(1)))
    ticks = 0
    for _ in range(20):  # the loop keeps running other work while the write waits
        await asyncio.sleep(0)
        ticks += 1
    assert not writing.done()
    assert len(lines_of(path)) == 2  # chain_start and entry 0: nothing written yet
    fcntl.flock(other_worker, fcntl.LOCK_UN)
    os.close(other_worker)
    await writing
    await sink.close()
    assert ticks == 20
    assert [e.get("request", {}).get("id") for e in lines_of(path)] == [None, "req-0", "req-1"]
    assert verify_file(path).ok


@pytest.mark.slow
async def test_a_lock_held_by_another_process_times_out_without_stalling_the_loop(
    tmp_path: Path, entry: MakeEntry
) -> None:
    path = tmp_path / "a.log"
    sink = FileSink(str(path), write_timeout=0.3)
    await sink.write(entry(0))
    loop, ticks = asyncio.get_running_loop(), [0]

    async def ticker() -> None:
        while True:
            await asyncio.sleep(0.01)
            ticks[0] += 1

    with lock_held(path):
        started = loop.time()
        ticking = asyncio.create_task(ticker())
        with pytest.raises(TimeoutError):
            await sink.write(entry(1))
        waited = loop.time() - started
        ticking.cancel()
    assert 0.3 <= waited < 1.0
    assert ticks[0] >= 10  # the loop served other work while the write waited
    await sink.write(entry(2))  # the lock released: the chain goes on without a gap
    await sink.close()
    assert [e.get("request", {}).get("id") for e in lines_of(path)] == [None, "req-0", "req-2"]
    assert verify_file(path).ok


@pytest.mark.slow
@pytest.mark.parametrize("rotate", ["rename", "delete"])
async def test_following_a_rotation_waits_for_the_old_files_lock_within_the_timeout(
    tmp_path: Path, entry: MakeEntry, rotate: str
) -> None:
    path, old = tmp_path / "a.log", tmp_path / "a.log.1"
    now = [0.0]
    sink = FileSink(str(path), clock=lambda: now[0], write_timeout=0.3)
    await sink.write(entry(0))
    loop = asyncio.get_running_loop()
    with lock_held(path):  # a shipper still reading the old file holds its lock
        if rotate == "rename":
            path.rename(old)
        else:
            path.unlink()
        now[0] += 1.0
        started = loop.time()
        with pytest.raises(TimeoutError):
            await sink.write(entry(1))
        assert loop.time() - started < 1.0
    await sink.write(entry(2))
    await sink.close()
    first, *rest = lines_of(path)
    assert (first["type"], [e["request"]["id"] for e in rest]) == ("chain_start", ["req-2"])
    assert verify_file(path).ok


@pytest.mark.slow
def test_a_fifo_nobody_reads_fails_the_write_instead_of_blocking(tmp_path: Path) -> None:
    path = tmp_path / "audit.fifo"
    os.mkfifo(path)
    script = (
        "import asyncio, sys\n"
        "from strongroom.audit import FileSink\n"
        "sink = FileSink(sys.argv[1])\n"
        "big = {'type': 'request', 'padding': 'x' * 200_000}\n"  # more than a pipe holds
        "try:\n"
        "    asyncio.run(sink.write(big))\n"
        "except OSError as failed:\n"
        "    print(type(failed).__name__)\n"
    )
    # a child process, so that a write that does block cannot hang the test run
    child = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, timeout=10, check=False
    )
    assert (child.returncode, child.stderr) == (0, b"")
    assert child.stdout.strip() in {b"OSError", b"BlockingIOError"}
