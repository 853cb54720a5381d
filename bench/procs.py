"""Child processes of the harness: each in its own process group, each stopped for sure.

Every server, wrk and py-spy run is started by `spawn`, which records it; `stop` ends a whole
process group (SIGTERM, a grace period, then SIGKILL for whatever is left: Strongroom's granian
workers are children of the server), and `stop_all` runs from `run.py`'s `finally` and from
atexit. CPU time is read from /proc for a process and all its descendants.
"""

# ruff: noqa: S603  # the harness runs fixed argv lists it builds itself (servers, wrk, py-spy)

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = [
    "CLOCK_TICKS",
    "ROOT",
    "cpu_ticks",
    "free_port",
    "group_members",
    "spawn",
    "stop",
    "stop_all",
]

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_RUNNING: list[subprocess.Popen[bytes]] = []


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spawn(
    argv: Sequence[str],
    *,
    log: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start `argv` in a new session (so its group can be signalled), output appended to `log`."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            cwd=cwd,
            start_new_session=True,
        )
    _RUNNING.append(process)
    return process


def stop(process: subprocess.Popen[bytes], grace: float = 15.0) -> None:
    """End `process` and every process of its group; returns once the leader is reaped."""
    if process.poll() is None:
        _signal_group(process.pid, signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            _signal_group(process.pid, signal.SIGKILL)
            process.wait()
    _reap_group(process.pid, grace)
    if process in _RUNNING:
        _RUNNING.remove(process)


def stop_all() -> None:
    """Stop everything `spawn` started that is still recorded (newest first)."""
    for process in reversed(list(_RUNNING)):
        stop(process)


atexit.register(stop_all)


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes whose process group is `pgid`."""
    return [pid for pid, stat in _stats().items() if stat[2] == pgid and stat[0] != "Z"]


def cpu_ticks(root: int) -> dict[int, int]:
    """utime+stime (clock ticks) of `root` and each of its descendants, by pid."""
    stats = _stats()
    tree = {root}
    grew = True
    while grew:
        children = {pid for pid, stat in stats.items() if stat[1] in tree} - tree
        tree |= children
        grew = bool(children)
    return {pid: stats[pid][3] for pid in tree if pid in stats}


def _reap_group(pgid: int, grace: float) -> None:
    """Workers outliving their leader get SIGTERM, then SIGKILL after `grace` seconds."""
    deadline = time.monotonic() + grace
    sig = signal.SIGTERM
    while group_members(pgid) and time.monotonic() < deadline + 5:
        _signal_group(pgid, sig)
        if time.monotonic() > deadline:
            sig = signal.SIGKILL
        time.sleep(0.05)


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _stats() -> dict[int, tuple[str, int, int, int]]:
    """pid -> (state, ppid, pgid, utime+stime) for every process in /proc."""
    stats: dict[int, tuple[str, int, int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        # Fields after the command name, which is in parentheses and may hold spaces (proc(5)).
        fields = text[text.rindex(")") + 2 :].split()
        ticks = int(fields[11]) + int(fields[12])
        stats[int(entry.name)] = (fields[0], int(fields[1]), int(fields[2]), ticks)
    return stats
