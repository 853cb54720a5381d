"""One measurement: a wrk warm-up, then a measured wrk run with the server's CPU time around it.

wrk runs with one thread (the 2-core machine is shared by wrk and the server; one thread drives
64 connections easily), `--latency`, and a `done()` in `lua/common.lua` that prints one JSON
line, parsed here. CPU-ms per request is utime+stime of the server process and all its children
(Strongroom's granian workers), from /proc, before and after the measured run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .procs import CLOCK_TICKS, cpu_ticks, spawn, stop
from .workloads import LUA_DIR

__all__ = ["Load", "Measurement", "WrkResult", "measure", "parse_output", "run_wrk"]

_MARKER = "BENCH_JSON "


@dataclass(frozen=True)
class Load:
    """What to send and where: a wrk script, its environment, connections, and the log dir."""

    wrk: Path
    address: str
    script: Path
    env: dict[str, str]
    connections: int
    logs: Path


@dataclass(frozen=True)
class WrkResult:
    """What wrk's done() reported for one run."""

    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Measurement:
    """A measured run and the server CPU it cost."""

    result: WrkResult
    cpu_ms_per_request: float | None


def parse_output(text: str) -> WrkResult:
    """The BENCH_JSON line of wrk's output. Raises ValueError when there is none."""
    for line in text.splitlines():
        if line.startswith(_MARKER):
            data: dict[str, Any] = json.loads(line[len(_MARKER) :])
            errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
            return WrkResult(
                requests=int(data["requests"]),
                seconds=data["duration_us"] / 1e6,
                errors=int(errors),
                p50_ms=data["p50_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
            )
    raise ValueError(f"no {_MARKER.strip()} line in wrk output:\n{text[-2000:]}")


def run_wrk(load: Load, seconds: float, tag: str) -> WrkResult:
    """Run wrk for `seconds` against `load`; its output is kept in logs/<tag>.wrk.log."""
    log = load.logs / f"{tag}.wrk.log"
    log.unlink(missing_ok=True)
    argv = [
        str(load.wrk),
        "-t1",
        f"-c{load.connections}",
        f"-d{seconds:g}s",
        "--timeout=10s",
        "--latency",
        f"-s{load.script}",
        load.address,
    ]
    process = spawn(argv, log=log, env=load.env, cwd=LUA_DIR)
    try:
        process.wait(seconds + 60)  # raises TimeoutExpired for a wrk that hangs
    finally:
        stop(process)
    return parse_output(log.read_text(errors="replace"))


def measure(load: Load, pid: int, warmup: float, seconds: float, tag: str) -> Measurement:
    """Warm up, then a measured run with the CPU time of `pid` and its children around it."""
    run_wrk(load, warmup, f"{tag}.warmup")
    before = cpu_ticks(pid)
    result = run_wrk(load, seconds, tag)
    after = cpu_ticks(pid)
    ticks = sum(t - before.get(p, 0) for p, t in after.items())
    per_request = ticks * 1000 / CLOCK_TICKS / result.requests if result.requests else None
    return Measurement(result, per_request)
