"""Start and stop the real `strongroom server` process for functional tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

BIN = Path(sys.executable).parent / "strongroom"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RunningServer:
    address: str
    process: subprocess.Popen[bytes]
    config: Path
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def wait_ready(address: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            httpx.get(f"{address}/v1/sys/health", timeout=1)
        except httpx.TransportError:
            time.sleep(0.05)
            continue
        return
    pytest.fail(f"server did not start:\n{log.read_text()}")


def start_server(
    tmp: Path, config_text: str, *extra: str, workers: int = 1, scheme: str = "http"
) -> RunningServer:
    port = free_port()
    config = tmp / "server.hcl"
    config.write_text(config_text.replace("PORT", str(port)))
    log = tmp / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN), "server", f"-config={config}", f"-workers={workers}", *extra],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    address = f"{scheme}://127.0.0.1:{port}"
    if scheme == "http":
        wait_ready(address, process, log)
    return RunningServer(address, process, config, log)


def stop(server: RunningServer) -> None:
    stop_process(server.process)


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, ten seconds' grace, then SIGKILL."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_to_exit(*command: str | Path) -> subprocess.CompletedProcess[str]:
    """Run a server that should exit by itself; one that serves instead is stopped, workers too."""
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"{command} did not exit")
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


SQLITE_CONFIG = """
storage "sqlite" {
  path = "DBPATH"
}
listener "tcp" {
  address     = "127.0.0.1:PORT"
  tls_disable = true
}
disable_mlock = true
"""
