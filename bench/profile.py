"""Profile mode: py-spy samples the Strongroom server and its workers during one workload and
writes a flame graph to bench/results/<workload>.svg, so hot spots are found by measurement.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from .api import NotAvailable
from .procs import spawn, stop
from .servers import start_ready
from .tools import ensure_pyspy, ensure_wrk
from .workloads import Prepared, by_name
from .wrk import Load, run_wrk

__all__ = ["profile"]

_WARMUP = 3.0
_SECONDS = 15.0
_CONNECTIONS = 64


def profile(name: str, results: Path) -> int:
    """Profile Strongroom under workload `name`; 0, or 2 when Strongroom lacks the feature."""
    workload = by_name(name)
    wrk, pyspy = ensure_wrk(), ensure_pyspy()
    results.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="strongroom-profile-") as tmp:
        work = Path(tmp)
        server = start_ready("strongroom", work / "strongroom", audit=True)
        try:
            with server.api() as api:
                env = {"BENCH_TOKEN": server.token, **workload.setup(Prepared(api))}
        except NotAvailable as error:
            sys.stderr.write(f"bench: {name} is not available on Strongroom: {error}\n")
            stop(server.process)
            return 2
        load = Load(wrk, server.address, workload.script, env, _CONNECTIONS, work)
        run_wrk(load, _WARMUP, "profile.warmup")
        svg = results / f"{name}.svg"
        record = [str(pyspy), "record", "--pid", str(server.pid), "--subprocesses"]
        record += ["--duration", f"{_SECONDS:.0f}", "--rate", "100", "-o", str(svg)]
        spy = spawn(record, log=results / f"{name}.py-spy.log")
        time.sleep(0.5)  # let py-spy attach to every worker before the load starts
        result = run_wrk(load, _SECONDS - 1, "profile")
        try:
            spy.wait(_SECONDS + 60)
        finally:
            stop(spy)
            stop(server.process)
    sys.stdout.write(
        f"{name} under py-spy: {result.rps:,.0f} req/s, p50 {result.p50_ms:.2f} ms, "
        f"p99 {result.p99_ms:.2f} ms, {result.errors} errors\nflame graph: {svg}\n"
    )
    return 0
