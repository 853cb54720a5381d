"""The server process: holds the keeper and supervises the granian worker processes.

The keeper runs on a thread of its own with its own event loop and a Unix socket in a private
0700 directory; granian forks the workers, which find the socket and the per-server secret in
their environment (see `worker.py`).

The supervisor binds the listening socket itself, once and without SO_REUSEPORT, and the workers
inherit it. granian's own Linux path has every worker bind the port with SO_REUSEPORT, so a second
server on a busy port bound it too and the kernel shared the connections between two servers with
different state; Vault instead fails at start with "bind: address already in use".
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import socket
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from granian._granian import SocketHolder
from granian.constants import Interfaces, SSLProtocols
from granian.server import MPServer

from strongroom.config import DevOptions, ListenerSettings, Settings
from strongroom.core.keeper import LocalKeeper
from strongroom.core.keeper_ipc import KeeperServer
from strongroom.server.hygiene import harden_process
from strongroom.server.logs import GRANIAN_LOGGING
from strongroom.server.tls_front import FrontSettings, TlsFront
from strongroom.server.worker import ENV

_BACKLOG = 1024  # granian's default


def _start_keeper(socket_path: str, secret: str) -> None:
    ready = threading.Event()

    def run() -> None:
        loop = asyncio.new_event_loop()
        server = KeeperServer(LocalKeeper(), secret)
        loop.run_until_complete(server.serve(socket_path))
        ready.set()
        loop.run_forever()

    threading.Thread(target=run, name="keeper", daemon=True).start()
    ready.wait()


def _address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket; raises OSError when the address is taken (EADDRINUSE)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # SO_REUSEADDR only (create_server's default): a port in TIME_WAIT is free, a listened one not
    return socket.create_server((host, port), family=family, backlog=_BACKLOG)


class _Server(MPServer):
    """granian's process server serving the socket that the supervisor bound (`listener`)."""

    listener: socket.socket | None = None  # None: granian binds its Unix socket (`uds`)

    def _init_shared_socket(self) -> None:
        if self.listener is None:
            super()._init_shared_socket()  # type: ignore[no-untyped-call]
            return
        # granian's path off Linux: one socket held by the parent and inherited by the workers.
        # Its stubs type these attributes None and lack SocketHolder's (fd, uds, backlog).
        self.listener.set_inheritable(True)
        self._ssp = None
        self._sfd = self.listener.fileno()  # type: ignore[assignment]
        self._shd = SocketHolder(fd=self._sfd, uds=False, backlog=self.backlog)  # type: ignore[call-arg,assignment]
        self._sso = self.listener


def serve(
    settings: Settings,
    *,
    workers: int | None = None,
    dev: DevOptions | None = None,
    config_paths: list[Path] | None = None,
) -> int:
    """Run the server until interrupted; returns the process exit code (1: address taken)."""
    harden_process()
    listener = settings.listener
    host, port = _address(listener.address)
    try:
        bound = _bind(host, port)
    except OSError as exc:
        # Vault's wording (`bao server` on a taken port): "Error initializing listener of type
        # tcp: listen tcp 127.0.0.1:8200: bind: address already in use"
        reason = os.strerror(exc.errno or 0).lower()
        sys.stderr.write(
            "Error initializing listener of type tcp: "
            f"listen tcp {listener.address}: bind: {reason}\n"
        )
        return 1
    if settings.storage.kind == "inmem":
        workers = 1  # in-memory storage cannot be shared between processes
    private = Path(tempfile.mkdtemp(prefix="strongroom-"))  # mkdtemp makes it 0700
    socket_path = str(private / "keeper.sock")
    secret = secrets.token_urlsafe(32)
    _start_keeper(socket_path, secret)
    spec: dict[str, Any] = {
        "config": [str(p) for p in config_paths or []],
        "dev": None
        if dev is None
        else {"listen": listener.address, "root_token_id": dev.root_token_id},
        "keeper": socket_path,
        "secret": secret,
    }
    front = listener.requests_client_certs
    spec["client_chain_header"] = front
    os.environ[ENV] = json.dumps(spec)
    scheme = "http" if listener.tls_disable else "https"
    sys.stderr.write(f"Strongroom server listening on {scheme}://{host}:{port}\n")
    if front:
        backend = private / "http.sock"
        TlsFront(bound, str(backend), _front_settings(listener)).start()
        placement: dict[str, Any] = {"uds": backend, "uds_permissions": 0o600}
    else:
        placement = {"address": host, "port": port, **_tls_options(listener)}
    server = _Server(
        "strongroom.server.worker:create_app",
        **placement,
        interface=Interfaces.ASGI,
        workers=workers or os.cpu_count() or 1,
        factory=True,
        log_access=False,
        log_dictconfig=GRANIAN_LOGGING,
        # a worker whose startup failed (storage busy on a loaded machine) is started again
        respawn_failed_workers=True,
        backlog=_BACKLOG,
    )
    server.listener = None if front else bound
    try:
        server.serve()
    finally:
        shutil.rmtree(private, ignore_errors=True)
    return 0


def _front_settings(listener: ListenerSettings) -> FrontSettings:
    return FrontSettings(
        cert_file=str(listener.tls_cert_file),
        key_file=str(listener.tls_key_file),
        client_ca_file=str(listener.tls_client_ca_file or ""),
        require_client_cert=listener.tls_require_and_verify_client_cert,
        tls13_only=listener.tls_min_version == "tls13",
    )


def _tls_options(listener: ListenerSettings) -> dict[str, Any]:
    if listener.tls_disable:
        return {}
    return {
        "ssl_cert": listener.tls_cert_file,
        "ssl_key": listener.tls_key_file,
        "ssl_protocol_min": SSLProtocols.tls13
        if listener.tls_min_version == "tls13"
        else SSLProtocols.tls12,
        "ssl_ca": listener.tls_client_ca_file,
        "ssl_client_verify": listener.tls_require_and_verify_client_cert,
    }
