"""The listening socket: a second server on a busy port fails at start, as `bao server` does,
while the workers of one server share its port and the connections among themselves."""

from __future__ import annotations

import http.client
from pathlib import Path

import httpx
import pytest

from support.procs import BIN, SQLITE_CONFIG, RunningServer, run_to_exit, start_server, stop


def _sqlite_server(tmp_path: Path, workers: int) -> RunningServer:
    return start_server(
        tmp_path, SQLITE_CONFIG.replace("DBPATH", str(tmp_path / "sr.db")), workers=workers
    )


def _port(server: RunningServer) -> int:
    return int(server.address.rpartition(":")[2])


def _socket_inode(server_port: int, client_port: int) -> str:
    """The inode of the server's end of one loopback connection, from /proc/net/tcp."""
    wanted = (f"0100007F:{server_port:04X}", f"0100007F:{client_port:04X}")
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if (fields[1], fields[2]) == wanted:
            return fields[9]
    pytest.fail(f"no server end for the connection from port {client_port}")


def _holder(pids: list[int], inode: str) -> int:
    """Which of `pids` holds the socket `inode` open."""
    target = f"socket:[{inode}]"
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if fd.readlink().name == target:
                    return pid
            except FileNotFoundError:
                continue  # a descriptor closed while we looked
    pytest.fail(f"no worker holds socket {inode}")


def _worker_answering(server: RunningServer, workers: list[int]) -> int:
    """The worker that accepted one new connection (a request is answered on it first)."""
    port = _port(server)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/v1/sys/health")
        assert conn.getresponse().read()
        assert conn.sock is not None
        return _holder(workers, _socket_inode(port, conn.sock.getsockname()[1]))
    finally:
        conn.close()


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@pytest.mark.slow
def test_second_server_on_a_busy_port_fails_at_start(tmp_path: Path) -> None:
    first = _sqlite_server(tmp_path, workers=2)
    try:
        address = f"127.0.0.1:{_port(first)}"
        second = run_to_exit(BIN, "server", "-dev", f"-dev-listen-address={address}")
        assert second.returncode == 1
        # OpenBao 2.7.2's wording, checked with `bao server -dev` twice on one port
        assert (
            "Error initializing listener of type tcp: "
            f"listen tcp {address}: bind: address already in use\n"
        ) in second.stderr
        assert "Root Token" not in second.stdout
        for _ in range(10):  # the first server still answers every new connection
            assert httpx.get(f"{first.address}/v1/sys/seal-status").json()["initialized"] is False
    finally:
        stop(first)


@pytest.mark.slow
def test_workers_of_one_server_share_the_connections(tmp_path: Path) -> None:
    server = _sqlite_server(tmp_path, workers=2)
    try:
        workers = _children(server.process.pid)
        assert len(workers) == 2
        answered = {_worker_answering(server, workers) for _ in range(40)}
        assert answered == set(workers)
    finally:
        stop(server)
