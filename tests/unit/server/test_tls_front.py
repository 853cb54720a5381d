"""The TLS front over real sockets: a TLS client (stdlib `ssl`) on one side, a small HTTP/1.1
backend on the private Unix socket on the other, which answers with the headers it received."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import socket
import ssl
import threading
from pathlib import Path

import h11
import httpx
import pytest

from strongroom.http.app import CLIENT_ADDR_HEADER, CLIENT_CHAIN_HEADER
from strongroom.server.tls_front import FrontSettings, TlsFront
from support.cert_pki import make_ca, make_leaf
from support.tls import Pki, make_pki


async def _echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answer each request with its headers and body length, as JSON, keeping the connection."""
    conn = h11.Connection(h11.SERVER)
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            data = await reader.read(65536)
            conn.receive_data(data)
            if not data:
                break
            continue
        if isinstance(event, h11.Request):
            headers, size = {k.decode(): v.decode() for k, v in event.headers}, 0
        elif isinstance(event, h11.Data):
            size += len(event.data)
        elif isinstance(event, h11.EndOfMessage):
            body = json.dumps({"headers": headers, "size": size}).encode()
            head = h11.Response(status_code=200, headers=[("content-length", str(len(body)))])
            writer.write(
                conn.send(head) + conn.send(h11.Data(data=body)) + conn.send(h11.EndOfMessage())
            )
            await writer.drain()
            conn.start_next_cycle()
        else:
            break
    writer.close()


def _backend(path: Path) -> None:
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def run() -> None:
        loop.run_until_complete(asyncio.start_unix_server(_echo, str(path)))
        started.set()
        loop.run_forever()

    threading.Thread(target=run, daemon=True).start()
    started.wait()


def _front(tmp_path: Path, pki: Pki, *, require: bool = False) -> str:
    backend = tmp_path / "b.sock"
    _backend(backend)
    listener = socket.create_server(("127.0.0.1", 0))
    settings = FrontSettings(str(pki.server_cert), str(pki.server_key), str(pki.ca), require)
    TlsFront(listener, str(backend), settings).start()
    return f"https://127.0.0.1:{listener.getsockname()[1]}"


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return make_pki(tmp_path)


def _context(pki: Pki, cert: Path | None = None, key: Path | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(pki.ca))
    if cert is not None:
        context.load_cert_chain(str(cert), str(key))
    return context


@pytest.fixture
def stranger_chain(tmp_path: Path) -> tuple[Path, Path, list[bytes]]:
    """A leaf of a CA the listener has never heard of, sent with its intermediate."""
    now = dt.datetime.now(dt.UTC)
    root = make_ca("r", now)
    mid = make_ca("m", now, root)
    leaf = make_leaf(mid, "who", now)
    cert, key = leaf.write(tmp_path, "stranger")
    cert.write_text(leaf.pem + mid.pem)
    return cert, key, [leaf.der, mid.der]


def test_the_presented_chain_replaces_whatever_the_client_sent(
    tmp_path: Path, pki: Pki, stranger_chain: tuple[Path, Path, list[bytes]]
) -> None:
    cert, key, ders = stranger_chain
    address = _front(tmp_path, pki)
    forged = {CLIENT_CHAIN_HEADER: "Zm9yZ2Vk", CLIENT_ADDR_HEADER: "10.9.9.9"}
    with httpx.Client(verify=_context(pki, cert, key)) as client:
        first = client.get(address + "/v1/x", headers=forged).json()["headers"]
        second = client.post(address + "/v1/y", content=b"z" * 100_000).json()
    chain = [base64.b64decode(part) for part in first[CLIENT_CHAIN_HEADER].split(",")]
    assert chain == ders  # leaf first, the intermediate after it; any CA accepted
    assert first[CLIENT_ADDR_HEADER] == "127.0.0.1"
    assert second["size"] == 100_000  # the same kept-alive connection, a body relayed whole
    assert second["headers"][CLIENT_CHAIN_HEADER] == first[CLIENT_CHAIN_HEADER]


def test_without_a_certificate_no_chain_is_passed_on(tmp_path: Path, pki: Pki) -> None:
    address = _front(tmp_path, pki)
    forged = {CLIENT_CHAIN_HEADER: "Zm9yZ2Vk"}
    answer = httpx.get(address + "/v1/x", headers=forged, verify=_context(pki)).json()
    assert CLIENT_CHAIN_HEADER not in answer["headers"]


def test_expect_100_continue_is_answered_by_the_front(tmp_path: Path, pki: Pki) -> None:
    address = _front(tmp_path, pki)
    host, port = address.removeprefix("https://").split(":")
    with (
        socket.create_connection((host, int(port)), timeout=5) as raw,
        _context(pki).wrap_socket(raw, server_hostname=host) as tls,
    ):
        tls.sendall(
            b"POST /v1/x HTTP/1.1\r\nhost: h\r\nexpect: 100-continue\r\ncontent-length: 3\r\n\r\n"
        )
        assert tls.recv(100).startswith(b"HTTP/1.1 100 ")
        tls.sendall(b"abc")
        answer = tls.recv(65536)
    assert b'"size": 3' in answer
    assert b"expect" not in answer.split(b"\r\n\r\n", 1)[1]


def test_a_required_certificate_must_verify_against_the_client_ca(
    tmp_path: Path, pki: Pki, stranger_chain: tuple[Path, Path, list[bytes]]
) -> None:
    address = _front(tmp_path, pki, require=True)
    ok = httpx.get(address + "/v1/x", verify=_context(pki, pki.client_cert, pki.client_key))
    assert ok.status_code == 200
    for context in (_context(pki), _context(pki, *stranger_chain[:2])):
        with pytest.raises((httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError)):
            httpx.get(address + "/v1/x", verify=context)


def test_tls12_offers_aead_suites_only(tmp_path: Path, pki: Pki) -> None:
    address = _front(tmp_path, pki)
    host, port = address.removeprefix("https://").split(":")
    context = _context(pki)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers("ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA")  # CBC only
    with pytest.raises(ssl.SSLError), socket.create_connection((host, int(port)), timeout=5) as raw:
        context.wrap_socket(raw, server_hostname=host)
