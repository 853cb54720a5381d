"""The server process: holds the keeper and supervises the granian worker processes.

The keeper runs on a thread of its own with its own event loop and a Unix socket in a private
0700 directory; granian forks the workers, which find the socket and the per-server secret in
their environment (see `worker.py`).
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from granian.constants import Interfaces, SSLProtocols
from granian.server import Server

from strongroom.config import DevOptions, Settings
from strongroom.core.keeper import LocalKeeper
from strongroom.core.keeper_ipc import KeeperServer
from strongroom.server.hygiene import harden_process
from strongroom.server.worker import ENV


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


def serve(
    settings: Settings,
    *,
    workers: int | None = None,
    dev: DevOptions | None = None,
    config_paths: list[Path] | None = None,
) -> int:
    """Run the server until interrupted; returns the process exit code."""
    harden_process()
    if settings.storage.kind == "inmem":
        workers = 1  # in-memory storage cannot be shared between processes
    private = Path(tempfile.mkdtemp(prefix="strongroom-"))  # mkdtemp makes it 0700
    socket_path = str(private / "keeper.sock")
    secret = secrets.token_urlsafe(32)
    _start_keeper(socket_path, secret)
    listener = settings.listener
    spec = {
        "config": [str(p) for p in config_paths or []],
        "dev": None
        if dev is None
        else {"listen": listener.address, "root_token_id": dev.root_token_id},
        "keeper": socket_path,
        "secret": secret,
    }
    os.environ[ENV] = json.dumps(spec)
    host, port = _address(listener.address)
    tls = {}
    if not listener.tls_disable:
        tls = {
            "ssl_cert": listener.tls_cert_file,
            "ssl_key": listener.tls_key_file,
            "ssl_protocol_min": SSLProtocols.tls13
            if listener.tls_min_version == "tls13"
            else SSLProtocols.tls12,
            "ssl_ca": listener.tls_client_ca_file,
            "ssl_client_verify": listener.tls_require_and_verify_client_cert,
        }
    scheme = "http" if listener.tls_disable else "https"
    sys.stderr.write(f"Strongroom server listening on {scheme}://{host}:{port}\n")
    try:
        Server(
            "strongroom.server.worker:create_app",
            address=host,
            port=port,
            interface=Interfaces.ASGI,
            workers=workers or os.cpu_count() or 1,
            factory=True,
            log_access=False,
            **tls,  # type: ignore[arg-type]
        ).serve()
    finally:
        shutil.rmtree(private, ignore_errors=True)
    return 0
