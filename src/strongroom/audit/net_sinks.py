"""Audit layer, the `socket` and `syslog` devices: lines shipped to a collector, one chain each.

A sink instance owns its chain (entries carry its random `chain` id) and serialises writes with
an asyncio lock, so lines leave in `seq` order. A stream (tcp, unix) sends newline-terminated
lines; a datagram transport (udp, syslog's unix datagram socket) sends one line per datagram.
Each send gets `write_timeout`; on failure the connection is dropped, re-opened once and the
lines sent again (for datagrams, those not yet sent); a second failure raises and rolls the chain
back. A collector that lost or duplicated a line shows it as a chain break in `audit verify`:
that is the point.

A closed peer is found before a line is sent, not after: the kernel takes a write on a stream
whose peer has closed (the peer answers it with a reset, failing only the next write), so each
write first peeks at the socket; a collector never speaks, so a stream socket that is readable
with nothing to read has been closed, and is reconnected. A UDP send is checked for an ICMP "port
unreachable" right after it (on the same host that error is already there); from a remote
collector it comes too late for that datagram, so UDP cannot report loss: only stream sockets and
syslog's local socket are fail-closed in earnest.
"""

from __future__ import annotations

import asyncio
import errno
import os
import select
import socket
import time
from collections.abc import Callable
from typing import Any, Literal

from strongroom.audit.chain import Signer
from strongroom.audit.sinks import SinkChain, new_chain_id

__all__ = ["FACILITIES", "SocketSink", "SyslogSink", "parse_host_port"]

SocketType = Literal["tcp", "udp", "unix"]
_Transport = Literal["tcp", "udp", "unix", "unixgram"]
# syslog(3) facility codes (RFC 5424 §6.2.1), by the names Vault's `facility` option takes.
FACILITIES = {
    "KERN": 0,
    "USER": 1,
    "MAIL": 2,
    "DAEMON": 3,
    "AUTH": 4,
    "SYSLOG": 5,
    "LPR": 6,
    "NEWS": 7,
    "UUCP": 8,
    "CRON": 9,
    "AUTHPRIV": 10,
    "FTP": 11,
    **{f"LOCAL{n}": 16 + n for n in range(8)},
}
_INFO = 6  # severity of every audit line, as Vault's syslog device (LOG_INFO)


def parse_host_port(address: str) -> tuple[str, int]:
    """`host:port` or `[v6]:port`. Raises ValueError (without echoing `address`)."""
    host, sep, port = address.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("expected host:port")
    return host, int(port)


class _NetSink:
    def __init__(
        self,
        transport: _Transport,
        address: str,
        write_timeout: float,
        header: Callable[[], bytes],
        prefix: str,
        signer: Signer | None,
        checkpoint_every: int,
        clock: Callable[[], float],
    ) -> None:
        if not write_timeout > 0:
            raise ValueError("write_timeout must be positive")
        self._target: str | tuple[str, int] = (
            parse_host_port(address) if transport in {"tcp", "udp"} else address
        )
        self._timeout = write_timeout
        self._header = header
        self._prefix = prefix.encode()
        # Vault ends every line with a newline, datagrams included; syslog frames are bare.
        self._newline = b"" if transport == "unixgram" else b"\n"
        self.chain = SinkChain(
            signer=signer, checkpoint_every=checkpoint_every, clock=clock, chain_id=new_chain_id()
        )
        self._lock = asyncio.Lock()
        self._kind = socket.SOCK_STREAM if transport in {"tcp", "unix"} else socket.SOCK_DGRAM
        self._sock: socket.socket | None = None
        self._readable = select.poll()  # a poll costs a quarter of a peek that raises EAGAIN
        self._closed = False

    async def write(self, entry: dict[str, Any]) -> None:
        await self._deliver(lambda: self.chain.entry_lines(entry))

    async def checkpoint(self) -> None:
        await self._deliver(self.chain.checkpoint_lines)

    async def close(self) -> None:
        async with self._lock:
            self._closed = True
            self._disconnect()

    async def _deliver(self, make: Callable[[], list[bytes]]) -> None:
        async with self._lock:
            if self._closed:
                raise OSError(errno.EBADF, "audit device is closed")
            saved = self.chain.snapshot()
            try:
                lines = make()
                if lines:
                    head = self._header() + self._prefix
                    await self._send([head + line + self._newline for line in lines])
            except BaseException:
                self.chain.restore(saved)
                raise

    async def _send(self, frames: list[bytes]) -> None:
        for attempt in (1, 2):
            try:
                async with asyncio.timeout(self._timeout):
                    await self._send_once(frames)
            except (OSError, TimeoutError):
                self._disconnect()
                if attempt == 2:
                    raise
            except BaseException:  # cancelled mid-line: the stream's framing is unknown
                self._disconnect()
                raise
            else:
                return

    async def _send_once(self, frames: list[bytes]) -> None:
        sock = await self._socket()
        loop = asyncio.get_running_loop()
        if self._kind == socket.SOCK_STREAM:
            await loop.sock_sendall(sock, b"".join(frames))
            return
        while frames:  # a datagram sent is delivered or lost whole: a retry sends the rest
            await loop.sock_sendall(sock, frames[0])
            refused = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if refused:
                raise OSError(refused, os.strerror(refused))
            del frames[0]

    async def _socket(self) -> socket.socket:
        if self._sock is not None:
            if self._kind == socket.SOCK_DGRAM or not self._peer_closed(self._sock):
                return self._sock
            self._disconnect()
        loop = asyncio.get_running_loop()
        family, proto = socket.AF_UNIX, 0
        address: str | tuple[Any, ...] = self._target
        if isinstance(self._target, tuple):
            found = await loop.getaddrinfo(*self._target, type=self._kind)
            family, _, proto, _, address = found[0]
        sock = socket.socket(family, self._kind, proto)
        try:
            sock.setblocking(False)  # noqa: FBT003 (socket's own API)
            await loop.sock_connect(sock, address)
        except BaseException:
            sock.close()
            raise
        self._sock = sock
        self._readable.register(sock, select.POLLIN)
        return sock

    def _peer_closed(self, sock: socket.socket) -> bool:
        """Whether the collector closed or reset its end of a stream: readable with 0 bytes to
        read. (A collector never speaks; bytes it did send are left unread.)"""
        if not self._readable.poll(0):
            return False
        try:
            return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
        except BlockingIOError:
            return False
        except OSError:  # reset by the peer
            return True

    def _disconnect(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            self._readable.unregister(sock)
            sock.close()


class SocketSink(_NetSink):
    """Vault's `socket` device: `address` is `host:port` (tcp, udp) or a path (unix)."""

    def __init__(
        self,
        address: str,
        socket_type: SocketType = "tcp",
        write_timeout: float = 2.0,
        *,
        prefix: str = "",
        signer: Signer | None = None,
        checkpoint_every: int = 1000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if socket_type not in {"tcp", "udp", "unix"}:
            raise ValueError("socket_type must be tcp, udp or unix")
        super().__init__(
            socket_type, address, write_timeout, bytes, prefix, signer, checkpoint_every, clock
        )


class SyslogSink(_NetSink):
    """Vault's `syslog` device: RFC 3164-style datagrams `<PRI>tag[pid]: line` to the local
    syslog socket (`address`, `/dev/log` by default), at severity info."""

    def __init__(
        self,
        facility: str = "AUTH",
        tag: str = "strongroom",
        *,
        address: str = "/dev/log",
        write_timeout: float = 2.0,
        prefix: str = "",
        signer: Signer | None = None,
        checkpoint_every: int = 1000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        code = FACILITIES.get(facility.upper())
        if code is None:
            raise ValueError("facility must be a syslog facility such as AUTH or LOCAL0")
        if not tag or any(c in tag for c in " :[]\n"):
            raise ValueError("tag must be a word without spaces, colons or brackets")
        priority = code * 8 + _INFO

        def header() -> bytes:  # the pid of the worker sending, not of the one that built us
            return f"<{priority}>{tag}[{os.getpid()}]: ".encode()

        super().__init__(
            "unixgram", address, write_timeout, header, prefix, signer, checkpoint_every, clock
        )
