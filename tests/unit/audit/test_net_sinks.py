"""Socket and syslog sinks beyond the conformance suite: the write timeout, reconnecting once,
the syslog frame, and argument checks."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest

from strongroom.audit import SocketSink, SyslogSink

MakeEntry = Callable[[int], dict[str, Any]]  # the `entry` fixture of conftest.py


async def test_a_hung_collector_times_out_and_rolls_back(entry: MakeEntry) -> None:
    stalled: list[asyncio.StreamWriter] = []

    async def never_read(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        stalled.append(writer)

    server = await asyncio.start_server(never_read, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    sink = SocketSink(f"127.0.0.1:{port}", "tcp", write_timeout=0.2)
    huge = {**entry(0), "padding": "x" * 32_000_000}  # more than any socket buffer holds
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(TimeoutError):
        await sink.write(huge)
    assert loop.time() - started < 2  # two attempts of 0.2 s, plus encoding 32 MB
    assert sink.chain.state.seq == 0  # rolled back: the next entry takes seq 1 again
    await sink.close()
    for writer in stalled:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_reconnects_once_when_the_collector_dropped_the_connection(
    entry: MakeEntry,
) -> None:
    lines: list[bytes] = []
    connections: list[asyncio.StreamWriter] = []
    arrival = asyncio.Event()

    async def one_line_per_connection(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        connections.append(writer)
        lines.append(await reader.readline())
        writer.close()
        arrival.set()

    server = await asyncio.start_server(one_line_per_connection, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    sink = SocketSink(f"127.0.0.1:{port}")
    for number in range(3):
        arrival.clear()
        await sink.write(entry(number))
        async with asyncio.timeout(5):
            await arrival.wait()
        await asyncio.sleep(0)  # the collector's close goes out (the sink's loop never reads)
    await sink.close()
    server.close()
    await server.wait_closed()
    decoded = [msgspec.json.decode(line) for line in lines]
    assert len(connections) == 3
    assert [e["seq"] for e in decoded] == [1, 2, 3]
    assert len({e["chain"] for e in decoded}) == 1


@pytest.mark.parametrize("kind", ["tcp", "unix"])
async def test_the_first_write_after_the_collector_closed_fails_until_one_is_back(
    tmp_path: Path, entry: MakeEntry, kind: str
) -> None:
    lines: list[bytes] = []
    peers: list[asyncio.StreamWriter] = []

    async def collect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peers.append(writer)
        while line := await reader.readline():
            lines.append(line)

    async def listen() -> asyncio.Server:
        if kind == "unix":
            return await asyncio.start_unix_server(collect, address)
        return await asyncio.start_server(collect, "127.0.0.1", port)

    address, port = str(tmp_path / "c.sock"), 0
    collector = await listen()
    if kind == "tcp":
        port = collector.sockets[0].getsockname()[1]
        address = f"127.0.0.1:{port}"
    sink = SocketSink(address, "unix" if kind == "unix" else "tcp", write_timeout=0.5)
    await sink.write(entry(0))
    await asyncio.sleep(0.01)  # the collector accepts and reads
    collector.close()  # the collector goes away: its connection closed, nobody listening
    for peer in peers:
        peer.close()
        await peer.wait_closed()
    await collector.wait_closed()
    with pytest.raises((ConnectionRefusedError, FileNotFoundError)):
        await sink.write(entry(1))  # not taken by the kernel for a peer that is gone
    collector = await listen()
    await sink.write(entry(2))  # a collector is back: reconnected
    await asyncio.sleep(0.01)
    await sink.close()
    collector.close()
    for peer in peers:
        peer.close()
    await collector.wait_closed()
    decoded = [msgspec.json.decode(line) for line in lines]
    assert [(e["seq"], e["request"]["id"]) for e in decoded] == [(1, "req-0"), (2, "req-2")]


async def test_syslog_frames_carry_priority_tag_and_pid(tmp_path: Path, entry: MakeEntry) -> None:
    address = str(tmp_path / "log")
    receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    receiver.bind(address)
    try:
        sink = SyslogSink("local0", "vault-audit", address=address, prefix="@cee: ")
        await sink.write(entry(0))
        await sink.close()
        frame = receiver.recv(65536)
    finally:
        receiver.close()
    head = f"<134>vault-audit[{os.getpid()}]: @cee: ".encode()  # LOCAL0 (16) * 8 + info (6)
    assert frame.startswith(head)
    assert msgspec.json.decode(frame.removeprefix(head))["seq"] == 1


async def test_syslog_survives_a_restarted_daemon(tmp_path: Path, entry: MakeEntry) -> None:
    address, frames = str(tmp_path / "log"), []
    sink = SyslogSink(address=address)
    for number in range(2):  # the daemon restarts: a new socket at the same path
        receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        receiver.bind(address)
        try:
            await sink.write(entry(number))
            frames.append(receiver.recv(65536))
        finally:
            receiver.close()
            await asyncio.to_thread(Path(address).unlink)
    await sink.close()
    seqs = [msgspec.json.decode(frame.partition(b": ")[2])["seq"] for frame in frames]
    assert seqs == [1, 2]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SocketSink("127.0.0.1:9090", "sctp"), "socket_type"),  # type: ignore[arg-type]
        (lambda: SocketSink("127.0.0.1:9090", write_timeout=0), "write_timeout"),
        (lambda: SocketSink("no-port"), "host:port"),
        (lambda: SocketSink("h:70000"), "host:port"),
        (lambda: SyslogSink("NOPE"), "facility"),
        (lambda: SyslogSink(tag="two words"), "tag"),
    ],
)
def test_bad_arguments(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()
