"""The TLS listener: TLS 1.2 minimum, AEAD suites, optional client-certificate verification."""

from __future__ import annotations

import socket
import ssl
import time
from pathlib import Path

import httpx
import pytest

from support.procs import RunningServer, start_server, stop
from support.tls import Pki, make_pki

TLS_CONFIG = """
storage "inmem" {}
listener "tcp" {
  address         = "127.0.0.1:PORT"
  tls_cert_file   = "CERT"
  tls_key_file    = "KEY"
  tls_min_version = "MINVERSION"
  EXTRA
}
"""


def tls_server(
    tmp_path: Path, pki: Pki, extra: str = "", min_version: str = "tls12"
) -> RunningServer:
    config = (
        TLS_CONFIG.replace("MINVERSION", min_version)
        .replace("CERT", str(pki.server_cert))
        .replace("KEY", str(pki.server_key))
        .replace("EXTRA", extra)
    )
    server = start_server(tmp_path, config, scheme="https")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(server.address + "/v1/sys/health", verify=client_context(pki), timeout=1)
        # A timeout too: the TLS front completes the handshake before a worker is ready.
        except (httpx.TransportError, httpx.TimeoutException):
            time.sleep(0.1)
            continue
        return server
    stop(server)
    pytest.fail("TLS server did not start:\n" + server.output())


def client_context(
    pki: Pki, *, with_cert: bool = True, max_version: ssl.TLSVersion | None = None
) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(pki.ca))
    if with_cert:
        context.load_cert_chain(str(pki.client_cert), str(pki.client_key))
    if max_version is not None:
        context.maximum_version = max_version
    return context


def negotiated(pki: Pki, address: str, max_version: ssl.TLSVersion) -> tuple[str, str]:
    """(protocol, cipher) that the server agrees to with a client capped at `max_version`."""
    host, port = address.removeprefix("https://").split(":")
    context = client_context(pki, max_version=max_version)
    with (
        socket.create_connection((host, int(port)), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls,
    ):
        version, cipher = tls.version(), tls.cipher()
        assert version is not None
        assert cipher is not None
        return version, cipher[0]


@pytest.mark.slow
def test_tls_serves_api_and_refuses_old_protocols(tmp_path: Path) -> None:
    pki = make_pki(tmp_path)
    server = tls_server(tmp_path, pki)
    try:
        resp = httpx.get(server.address + "/v1/sys/health", verify=client_context(pki))
        assert resp.status_code == 501
        version, cipher = negotiated(pki, server.address, ssl.TLSVersion.TLSv1_3)
        assert version == "TLSv1.3"
        version, cipher = negotiated(pki, server.address, ssl.TLSVersion.TLSv1_2)
        assert version == "TLSv1.2"
        assert "GCM" in cipher or "CHACHA20" in cipher, cipher  # AEAD suites only
    finally:
        stop(server)


@pytest.mark.slow
def test_tls13_minimum_refuses_tls12_clients(tmp_path: Path) -> None:
    pki = make_pki(tmp_path)
    server = tls_server(tmp_path, pki, min_version="tls13")
    try:
        assert negotiated(pki, server.address, ssl.TLSVersion.TLSv1_3)[0] == "TLSv1.3"
        with pytest.raises(ssl.SSLError):
            negotiated(pki, server.address, ssl.TLSVersion.TLSv1_2)
    finally:
        stop(server)


@pytest.mark.slow
def test_client_certificate_required_when_configured(tmp_path: Path) -> None:
    pki = make_pki(tmp_path)
    extra = f'tls_client_ca_file = "{pki.ca}"\n  tls_require_and_verify_client_cert = true'
    server = tls_server(tmp_path, pki, extra)
    try:
        ok = httpx.get(server.address + "/v1/sys/health", verify=client_context(pki))
        assert ok.status_code == 501
        with pytest.raises((httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError)):
            httpx.get(
                server.address + "/v1/sys/health", verify=client_context(pki, with_cert=False)
            )
    finally:
        stop(server)
