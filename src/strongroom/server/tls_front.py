"""The TLS front: our own TLS termination for a listener whose clients may log in by
certificate (Vault's listener requests a client certificate by default, RequestClientCert).

granian (2.8) neither requests a client certificate without requiring it nor hands the
certificate to the application (its ASGI scope has no `tls` extension). So when the listener
asks for client certificates, the supervisor runs this front on the public address and granian
serves plain HTTP on a Unix socket in the server's private 0700 directory, which only this
front can reach. The front:

- completes the TLS handshake with pyOpenSSL, requesting a client certificate and, unless the
  listener requires and verifies them against `tls_client_ca_file`, accepting any (OpenSSL
  still checks the client's CertificateVerify, so the client holds the key of the leaf it
  presents; which CAs to trust is each cert-auth role's decision, as in Vault);
- relays HTTP/1.1 (h11) to granian, dropping any `X-Strongroom-Client-*` header the client sent
  and setting its own: the chain the handshake presented (base64 DER, leaf first) and the
  client's address. The app believes those headers only in this mode (`App.client_chain_header`).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import socket
import threading
from dataclasses import dataclass

import h11
from OpenSSL import SSL, crypto

from strongroom.http.app import CLIENT_ADDR_HEADER, CLIENT_CHAIN_HEADER

log = logging.getLogger("strongroom.server")
HANDSHAKE_TIMEOUT = 10.0  # seconds; a client that stalls its handshake is dropped
IDLE_TIMEOUT = 120.0  # seconds a connection may wait for its client's next bytes
# AEAD suites only, as the listener promises for TLS 1.2 (TLS 1.3's are all AEAD).
_CIPHERS = b"ECDHE+AESGCM:ECDHE+CHACHA20"
_CHUNK = 65536
# Dropped from what the client sent: our own headers, and `Expect` (the front answers a
# "100-continue" itself, so granian never sends a second one).
_DROPPED = (CLIENT_CHAIN_HEADER.encode(), CLIENT_ADDR_HEADER.encode(), b"expect")


@dataclass(frozen=True, slots=True)
class FrontSettings:
    cert_file: str
    key_file: str
    client_ca_file: str = ""
    require_client_cert: bool = False
    tls13_only: bool = False


def _http11(_conn: SSL.Connection, offered: list[bytes]) -> bytes:
    """ALPN: HTTP/1.1, the one protocol the front relays (clients fall back from h2)."""
    return b"http/1.1" if b"http/1.1" in offered else SSL.NO_OVERLAPPING_PROTOCOLS  # type: ignore[return-value]


def tls_context(settings: FrontSettings) -> SSL.Context:
    ctx = SSL.Context(SSL.TLS_SERVER_METHOD)
    ctx.set_min_proto_version(SSL.TLS1_3_VERSION if settings.tls13_only else SSL.TLS1_2_VERSION)
    ctx.use_certificate_chain_file(settings.cert_file)
    ctx.use_privatekey_file(settings.key_file)
    ctx.set_cipher_list(_CIPHERS)
    ctx.set_alpn_select_callback(_http11)
    if settings.require_client_cert:
        ctx.load_verify_locations(settings.client_ca_file or None)
        mode = SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT
        ctx.set_verify(mode, lambda _c, _x, _e, _d, ok: bool(ok))
    else:
        ctx.set_verify(SSL.VERIFY_PEER, lambda _c, _x, _e, _d, _ok: True)
    return ctx


class _Tls:
    """One TLS connection over an asyncio stream, with OpenSSL's memory BIOs."""

    def __init__(
        self, ctx: SSL.Context, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.conn = SSL.Connection(ctx, None)
        self.conn.set_accept_state()
        self.reader = reader
        self.writer = writer

    async def _flush(self) -> None:
        while True:
            try:
                self.writer.write(self.conn.bio_read(_CHUNK))
            except SSL.WantReadError:
                break
        await self.writer.drain()

    async def _feed(self) -> bool:
        await self._flush()
        data = await asyncio.wait_for(self.reader.read(_CHUNK), IDLE_TIMEOUT)
        if not data:
            return False
        self.conn.bio_write(data)
        return True

    async def handshake(self) -> None:
        """Raises SSL.Error or ConnectionError if the handshake fails."""
        while True:
            try:
                self.conn.do_handshake()
            except SSL.WantReadError:
                if not await self._feed():
                    raise ConnectionError("closed during handshake") from None
                continue
            await self._flush()
            return

    def chain(self) -> tuple[bytes, ...]:
        """The certificates the client presented (DER, leaf first)."""
        leaf = self.conn.get_peer_certificate()
        if leaf is None:
            return ()
        rest = self.conn.get_peer_cert_chain() or []
        certs = [leaf, *(c for c in rest if c.digest("sha256") != leaf.digest("sha256"))]
        return tuple(crypto.dump_certificate(crypto.FILETYPE_ASN1, c) for c in certs)

    async def recv(self) -> bytes:
        while True:
            try:
                return self.conn.recv(_CHUNK)
            except SSL.WantReadError:
                if not await self._feed():
                    return b""
            except (SSL.ZeroReturnError, SSL.SysCallError):
                return b""

    async def send(self, data: bytes) -> None:
        self.conn.sendall(data)
        await self._flush()


def _front_headers(
    headers: list[tuple[bytes, bytes]], chain: tuple[bytes, ...], peer: str
) -> list[tuple[bytes, bytes]]:
    kept = [(k, v) for k, v in headers if k.lower() not in _DROPPED]
    kept.append((CLIENT_ADDR_HEADER.encode(), peer.encode()))
    if chain:
        kept.append((CLIENT_CHAIN_HEADER.encode(), b",".join(base64.b64encode(c) for c in chain)))
    return kept


async def _next(conn: h11.Connection, read: object) -> type[h11.NEED_DATA | h11.PAUSED] | h11.Event:
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            data = await read()  # type: ignore[operator]
            conn.receive_data(data)
            continue
        return event


class TlsFront:
    """Serves `listener` (a bound TCP socket) with TLS, relaying to granian at `backend`."""

    def __init__(self, listener: socket.socket, backend: str, settings: FrontSettings) -> None:
        self.listener = listener
        self.backend = backend
        self.ctx = tls_context(settings)

    def start(self) -> None:
        """Serve on a thread of its own with its own event loop (as the keeper does)."""
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            loop.run_until_complete(asyncio.start_server(self._serve, sock=self.listener))
            ready.set()
            loop.run_forever()

        threading.Thread(target=run, name="tls-front", daemon=True).start()
        ready.wait()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        raw = writer.get_extra_info("socket")
        if raw is not None:  # each TLS flight is one write; never hold one back (Nagle)
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        tls = _Tls(self.ctx, reader, writer)
        try:
            await asyncio.wait_for(tls.handshake(), HANDSHAKE_TIMEOUT)
            await self._relay(tls, str(peer[0]) if peer else "")
        except (SSL.Error, ConnectionError, TimeoutError, h11.ProtocolError, OSError) as exc:
            log.debug("tls front: connection ended: %s", type(exc).__name__)
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def _relay(self, tls: _Tls, peer: str) -> None:
        chain = tls.chain()
        up_reader, up_writer = await asyncio.open_unix_connection(self.backend)
        client = h11.Connection(h11.SERVER)
        upstream = h11.Connection(h11.CLIENT)
        try:
            while True:
                event = await _next(client, tls.recv)
                if not isinstance(event, h11.Request):
                    return
                request = h11.Request(
                    method=event.method,
                    target=event.target,
                    headers=_front_headers(list(event.headers), chain, peer),
                    http_version=event.http_version,
                )
                up_writer.write(upstream.send(request) or b"")
                if client.they_are_waiting_for_100_continue:
                    go_on = h11.InformationalResponse(status_code=100, headers=[])
                    await tls.send(client.send(go_on) or b"")
                while not isinstance(event, h11.EndOfMessage):
                    event = await _next(client, tls.recv)
                    if isinstance(event, h11.ConnectionClosed):
                        return
                    up_writer.write(upstream.send(event) or b"")  # type: ignore[arg-type]
                await up_writer.drain()
                if not await self._answer(tls, client, upstream, up_reader):
                    return
                if client.our_state is h11.MUST_CLOSE or upstream.their_state is h11.MUST_CLOSE:
                    return
                client.start_next_cycle()
                upstream.start_next_cycle()
        finally:
            up_writer.close()

    @staticmethod
    async def _answer(
        tls: _Tls, client: h11.Connection, upstream: h11.Connection, up: asyncio.StreamReader
    ) -> bool:
        """Relay one response; False if granian closed first. The response goes out in as few
        TLS writes as it arrived in reads (a head and body sent apart met the client's delayed
        ACK: 40 ms a request)."""
        pending: list[bytes] = []
        while True:
            answer = upstream.next_event()
            if answer is h11.NEED_DATA:
                if pending:
                    await tls.send(b"".join(pending))
                    pending.clear()
                upstream.receive_data(await up.read(_CHUNK))
                continue
            if isinstance(answer, h11.ConnectionClosed):
                return False
            pending.append(client.send(answer) or b"")  # type: ignore[arg-type]
            if isinstance(answer, h11.EndOfMessage):
                await tls.send(b"".join(pending))
                return True
