"""The one conformance suite of the `Sink` seam (STYLE.md habit 2): every test runs on a file,
tcp, unix and udp sockets, and syslog (a unix datagram socket bound in tmp_path standing in for
/dev/log). Whatever the transport, every entry arrives, chained, in order, and checkpointed;
a device that cannot take a line makes `write` raise.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import msgspec
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from strongroom.audit import (
    ChainedSink,
    FileSink,
    Signer,
    Sink,
    SocketSink,
    SyslogSink,
    verify_file,
)

EVERY = 25
MakeEntry = Callable[[int], dict[str, Any]]  # the `entry` fixture of conftest.py
SYSLOG_HEADER = re.compile(rb"<38>strongroom\[[0-9]+\]: ")  # AUTH (4) * 8 + info (6)


@dataclass
class Device:
    """A sink and the far end of it: what arrived, and how to make the far end fail."""

    sink: ChainedSink
    arrived: Callable[[], list[bytes]]
    fail: Callable[[], Awaitable[dict[str, Any]]]
    arrival: asyncio.Event = field(default_factory=asyncio.Event)  # set on every line
    cleanups: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def lines(self, count: int) -> list[bytes]:
        """The first `count` lines to arrive (waiting up to 5 s for them)."""
        async with asyncio.timeout(5):
            while len(self.arrived()) < count:
                self.arrival.clear()
                await self.arrival.wait()
        return self.arrived()[:count]


class _Collector(asyncio.DatagramProtocol):
    def __init__(
        self, lines: list[bytes], arrival: asyncio.Event, strip: re.Pattern[bytes] | None
    ) -> None:
        self.lines, self.arrival, self.strip = lines, arrival, strip

    def datagram_received(self, data: bytes, _addr: object) -> None:
        if self.strip is not None:
            data = self.strip.sub(b"", data, count=1)
        self.lines.append(data.removesuffix(b"\n"))
        self.arrival.set()


async def _file(tmp_path: Path, signer: Signer) -> Device:
    path = tmp_path / "audit.log"

    async def fail() -> dict[str, Any]:
        path.unlink()
        path.mkdir()  # the path is now a directory: reopening it fails
        return DOOMED

    sink = FileSink(str(path), signer=signer, checkpoint_every=EVERY)
    return Device(sink, lambda: path.read_bytes().splitlines() if path.is_file() else [], fail)


async def _stream(tmp_path: Path, signer: Signer, kind: str) -> Device:
    lines: list[bytes] = []
    peers: list[asyncio.StreamWriter] = []
    arrival = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peers.append(writer)
        while line := await reader.readline():
            lines.append(line.removesuffix(b"\n"))
            arrival.set()

    if kind == "unix":
        address = str(tmp_path / "c.sock")
        server = await asyncio.start_unix_server(serve, address)
    else:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        address = f"127.0.0.1:{server.sockets[0].getsockname()[1]}"

    async def stop() -> None:
        await asyncio.sleep(0.01)  # connections accepted but not yet served get to `serve`
        server.close()
        for peer in peers:
            peer.close()
            with suppress(OSError):
                await peer.wait_closed()
        await server.wait_closed()
        if kind == "unix":
            await asyncio.to_thread(Path(address).unlink, missing_ok=True)

    async def fail() -> dict[str, Any]:
        await stop()  # at once: the sink must see the FIN before its event loop does
        return DOOMED

    socket_type: Literal["tcp", "unix"] = "unix" if kind == "unix" else "tcp"
    sink = SocketSink(address, socket_type, 2.0, signer=signer, checkpoint_every=EVERY)
    return Device(sink, lambda: lines, fail, arrival, [stop])


async def _datagram(tmp_path: Path, signer: Signer, kind: str) -> Device:
    lines: list[bytes] = []
    arrival = asyncio.Event()
    loop = asyncio.get_running_loop()
    if kind == "syslog":
        address = str(tmp_path / "log")
        transport, _ = await loop.create_datagram_endpoint(
            lambda: _Collector(lines, arrival, SYSLOG_HEADER),
            local_addr=address,
            family=socket.AF_UNIX,
        )
        sink: ChainedSink = SyslogSink(address=address, signer=signer, checkpoint_every=EVERY)
    else:
        transport, _ = await loop.create_datagram_endpoint(
            lambda: _Collector(lines, arrival, None), local_addr=("127.0.0.1", 0)
        )
        port = transport.get_extra_info("sockname")[1]
        sink = SocketSink(f"127.0.0.1:{port}", "udp", signer=signer, checkpoint_every=EVERY)

    async def stop() -> None:
        transport.close()
        await asyncio.sleep(0.01)  # the socket itself closes on the next turn of the loop
        if kind == "syslog":
            await asyncio.to_thread(Path(address).unlink, missing_ok=True)

    async def fail() -> dict[str, Any]:
        await stop()  # a local UDP receiver's going is seen: the ICMP error beats the send back
        return DOOMED

    return Device(sink, lambda: lines, fail, arrival, [stop])


KINDS = ["file", "tcp", "unix", "udp", "syslog"]
DOOMED = {"time": "2024-05-01T12:00:00Z", "type": "request", "request": {"id": "doomed"}}


@pytest.fixture(params=KINDS)
async def device(
    request: pytest.FixtureRequest, tmp_path: Path, signer: Signer
) -> AsyncIterator[Device]:
    kind = request.param
    if kind == "file":
        made = await _file(tmp_path, signer)
    elif kind in {"tcp", "unix"}:
        made = await _stream(tmp_path, signer, kind)
    else:
        made = await _datagram(tmp_path, signer, kind)
    yield made
    await made.sink.close()
    for cleanup in made.cleanups:
        await cleanup()


def requests(lines: list[bytes]) -> list[str]:
    """The request ids of the ordinary entries among `lines`, in order."""
    decoded = [msgspec.json.decode(line) for line in lines]
    return [e["request"]["id"] for e in decoded if e["type"] == "request"]


def verify_lines(tmp_path: Path, lines: list[bytes], keys: dict[str, Ed25519PublicKey]) -> Any:
    copy = tmp_path / "received.log"
    copy.write_bytes(b"".join(line + b"\n" for line in lines))
    return verify_file(copy, keys)


def expected_lines(sink: Sink, entries: int) -> int:
    """Lines for `entries` entries: a checkpoint after every EVERY-th seq, and a file's
    chain_start in front."""
    start = 1 if isinstance(sink, FileSink) else 0
    seq = start
    for _ in range(entries):
        seq += 1
        if seq % EVERY == 0:
            seq += 1
    return seq


async def test_every_entry_arrives_chained_in_order(
    device: Device, entry: MakeEntry, tmp_path: Path, keys: dict[str, Ed25519PublicKey]
) -> None:
    for number in range(60):
        await device.sink.write(entry(number))
    lines = await device.lines(expected_lines(device.sink, 60))
    assert requests(lines) == [f"req-{n}" for n in range(60)]
    report = verify_lines(tmp_path, lines, keys)
    assert report.ok, report
    assert (report.entries, report.checkpoints) == (len(lines), 2)
    assert 0 < report.unverified_tail < EVERY


async def test_concurrent_writes_form_one_chain(
    device: Device, entry: MakeEntry, tmp_path: Path, keys: dict[str, Ed25519PublicKey]
) -> None:
    await asyncio.gather(*(device.sink.write(entry(n)) for n in range(40)))
    lines = await device.lines(expected_lines(device.sink, 40))
    assert sorted(requests(lines)) == sorted(f"req-{n}" for n in range(40))
    assert verify_lines(tmp_path, lines, keys).ok


async def test_the_callers_entry_is_not_modified(device: Device, entry: MakeEntry) -> None:
    original = entry(1)
    await device.sink.write(original)
    assert original == entry(1)


async def test_checkpoint_signs_the_tail_now(
    device: Device, entry: MakeEntry, tmp_path: Path, keys: dict[str, Ed25519PublicKey]
) -> None:
    for number in range(3):
        await device.sink.write(entry(number))
    await device.sink.checkpoint()
    await device.sink.checkpoint()  # nothing new: no line
    lines = await device.lines(expected_lines(device.sink, 3) + 1)
    await asyncio.sleep(0.05)
    assert len(device.arrived()) == len(lines)
    assert msgspec.json.decode(lines[-1])["type"] == "checkpoint"
    report = verify_lines(tmp_path, lines, keys)
    assert (report.ok, report.checkpoints, report.unverified_tail) == (True, 1, 0)


async def test_a_failing_device_makes_write_raise(device: Device, entry: MakeEntry) -> None:
    await device.sink.write(entry(0))
    await device.lines(expected_lines(device.sink, 1))
    doomed = await device.fail()
    async with asyncio.timeout(10):
        with pytest.raises((OSError, TimeoutError)):
            await device.sink.write(doomed)


async def test_close_is_idempotent_and_write_after_close_raises(
    device: Device, entry: MakeEntry
) -> None:
    await device.sink.write(entry(0))
    await device.sink.close()
    await device.sink.close()
    with pytest.raises(OSError, match="closed"):
        await device.sink.write(entry(1))
