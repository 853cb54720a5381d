"""Startup on a pre-filled store: fill a fresh server with N KV v2 secrets and N tokens through
the API (wrk, 64 connections, `lua/fill.lua`), restart it, and time process start → listening
and unseal → first 200 on sys/health. A fill that does not finish in time is reported, not
guessed at.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from .api import NotAvailable
from .procs import spawn, stop
from .results import Startup
from .servers import Server, relaunch, unseal
from .workloads import LUA_DIR, Prepared

__all__ = ["FILL_LIMIT_SECONDS", "Fill", "measure_startup"]

FILL_LIMIT_SECONDS = 900.0  # per kind and server; past it the startup row is n/a
_FILL_CONNECTIONS = 64


@dataclass(frozen=True)
class Fill:
    """How much to write, with which wrk, logging where."""

    wrk: Path
    count: int
    logs: Path


def measure_startup(server: Server, fill: Fill) -> tuple[Server, Startup]:
    """Fill `server` (fresh, without audit), restart it, time it; the restarted server too."""
    with server.api() as api:
        try:
            Prepared(api).once("sys/mounts/kv", {"type": "kv", "options": {"version": "2"}})
        except NotAvailable as error:
            return server, Startup(server.name, note=f"KV v2 not available: {error}")
    began = time.monotonic()
    for kind in ("kv", "token"):
        done, note = _fill(server, fill, kind)
        if not done:
            return server, Startup(server.name, note=note)
    filled = time.monotonic() - began
    start = time.monotonic()
    restarted = relaunch(server)
    listening = time.monotonic() - start
    start = time.monotonic()
    unseal(restarted)
    ready = time.monotonic() - start
    result = Startup(server.name, fill.count, fill.count, filled, listening, ready)
    return restarted, result


def _fill(server: Server, fill: Fill, kind: str) -> tuple[bool, str]:
    """Write `fill.count` objects of `kind`; (done, why not)."""
    report = fill.logs / f"fill-{server.name}-{kind}.json"
    report.unlink(missing_ok=True)
    env = {
        "BENCH_TOKEN": server.token,
        "BENCH_FILL_KIND": kind,
        "BENCH_FILL_COUNT": str(fill.count),
        "BENCH_FILL_REPORT": str(report),
    }
    argv = [str(fill.wrk), "-t1", f"-c{_FILL_CONNECTIONS}", f"-d{FILL_LIMIT_SECONDS:g}s"]
    argv += ["--timeout=30s", f"-s{LUA_DIR / 'fill.lua'}", server.address]
    process = spawn(
        argv, log=fill.logs / f"fill-{server.name}-{kind}.wrk.log", env=env, cwd=LUA_DIR
    )
    try:
        process.wait(FILL_LIMIT_SECONDS + 60)
    finally:
        stop(process)
    if not report.exists():
        return False, f"{kind} fill did not reach {fill.count:,} in {FILL_LIMIT_SECONDS:.0f} s"
    counts = json.loads(report.read_text())
    if counts["ok"] < fill.count:
        return False, f"{kind} fill: {counts['failed']} failed requests, {counts['ok']} written"
    return True, ""
