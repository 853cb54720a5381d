"""The harness's command line: `python -m bench.run --quick|--full [--workload NAME ...]`,
`--profile NAME` for a py-spy flame graph, `--startup-count N` to size (or, with 0, skip) the
startup measurement. Starts both servers, runs each workload on each with the same wrk
settings, then the audit comparison and (full mode) the startup measurement, and writes
bench/results/latest.{md,json}. Every process it starts is stopped on the way out, whatever
happens (try/finally, atexit, SIGTERM).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import types
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from .api import NotAvailable, ServerDied
from .procs import ROOT, stop, stop_all
from .profile import profile
from .report import write
from .results import AuditComparison, Report, Row, Side, Startup
from .servers import AUDIT_NOT_IMPLEMENTED, Server, start_ready
from .startup import Fill, measure_startup
from .tools import ensure_bao, ensure_wrk
from .workloads import WORKLOADS, Prepared, Workload, by_name
from .wrk import Load, measure

__all__ = ["MODES", "Mode", "main"]

RESULTS = ROOT / "bench" / "results"
SERVERS = ("strongroom", "openbao")
# The audit cost is measured on transit encrypt; while Strongroom lacks transit, on the first
# of these it has (the report says which; sys/health is not audited, so never the no-op).
_AUDIT_WORKLOADS = ("transit-encrypt", "kv-read", "token-lookup-self", "kv-write", "token-create")
_STARTUP_COUNT = 100_000


@dataclass(frozen=True)
class Mode:
    """wrk timings and connection counts of a run."""

    name: str
    warmup: float
    seconds: float
    connections: tuple[int, ...]
    startup: bool


MODES = {
    "quick": Mode("quick", warmup=2, seconds=5, connections=(64,), startup=False),
    "full": Mode("full", warmup=5, seconds=10, connections=(1, 64), startup=True),
}


@dataclass
class Bench:
    """One run's tools, scratch space and collected notes."""

    mode: Mode
    wrk: Path
    bao: Path
    work: Path
    logs: Path
    notes: list[str] = field(default_factory=list)


def main(argv: list[str] | None = None) -> int:
    """Entry point; the process exit code."""
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminated)
    try:
        if args.profile:
            return profile(args.profile, RESULTS)
        names = args.workload or [w.name for w in WORKLOADS]
        mode = MODES[args.mode]
        count = args.startup_count
        return _bench(mode, [by_name(n) for n in names], _STARTUP_COUNT if count is None else count)
    except KeyboardInterrupt:
        sys.stderr.write("bench: interrupted\n")
        return 130
    finally:
        stop_all()  # on every way out: servers, wrk and py-spy, whole process groups


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument("--quick", dest="mode", action="store_const", const="quick")
    modes.add_argument("--full", dest="mode", action="store_const", const="full")
    parser.set_defaults(mode="quick")
    names = [w.name for w in WORKLOADS]
    parser.add_argument("--workload", action="append", choices=names, help="repeatable")
    parser.add_argument("--profile", choices=names, help="py-spy one workload on Strongroom")
    parser.add_argument("--startup-count", type=int, help="secrets and tokens (0: skip)")
    return parser


def _terminated(signum: int, _: types.FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _bench(mode: Mode, workloads: list[Workload], startup_count: int) -> int:
    wrk, bao = ensure_wrk(), ensure_bao()
    logs = RESULTS / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="strongroom-bench-") as tmp:
        bench = Bench(mode, wrk, bao, Path(tmp), logs)
        try:
            report = _measure(bench, workloads, startup_count if mode.startup else 0)
        finally:
            stop_all()
            _keep_logs(bench)
    sys.stdout.write(write(report, RESULTS))
    return 0


def _measure(bench: Bench, workloads: list[Workload], startup_count: int) -> Report:
    servers = {n: start_ready(n, bench.work / n, audit=True, bao=bench.bao) for n in SERVERS}
    versions = {n: _version(s) for n, s in servers.items()}
    rows = _run_workloads(bench, servers, workloads)
    for server in servers.values():
        stop(server.process)
        _note_audit_log(bench, server)
    audit, audit_note = _audit_comparison(bench, rows, servers["strongroom"].audit)
    startup, startup_note = _startup(bench, startup_count)
    return Report(
        mode=bench.mode.name,
        when=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        settings=_settings(bench.mode, versions),
        strongroom_audit=servers["strongroom"].audit,
        openbao_audit=servers["openbao"].audit,
        rows=rows,
        audit=audit,
        audit_note=audit_note,
        startup=startup,
        startup_note=startup_note,
        notes=bench.notes,
    )


def _note_audit_log(bench: Bench, server: Server) -> None:
    """Evidence that the audit device really wrote: the size of its file."""
    log = server.workdir / "audit.log"
    if log.exists():
        size = log.stat().st_size / 1e6
        bench.notes.append(f"{server.name} audit log: {size:,.1f} MB written during the run")


def _settings(mode: Mode, versions: dict[str, str]) -> dict[str, object]:
    return {
        "wrk": "1 thread",
        "warm-up": f"{mode.warmup:g} s",
        "measured": f"{mode.seconds:g} s",
        "connections": "/".join(str(c) for c in mode.connections),
        "cores (shared by wrk and both servers)": os.cpu_count(),
        "Strongroom": f"{versions['strongroom']} (SQLite, default workers)",
        "OpenBao": f"{versions['openbao']} (raft)",
    }


def _version(server: Server) -> str:
    with server.api("") as api:
        return str(api.call("GET", "sys/health").get("version", "?"))


def _run_workloads(
    bench: Bench, servers: dict[str, Server], workloads: list[Workload]
) -> list[Row]:
    prepared = {name: Prepared(server.api()) for name, server in servers.items()}
    try:
        return [row for w in workloads for row in _workload_rows(bench, servers, prepared, w)]
    finally:
        for each in prepared.values():
            each.api.close()


def _workload_rows(
    bench: Bench, servers: dict[str, Server], prepared: dict[str, Prepared], workload: Workload
) -> list[Row]:
    envs = {n: _setup(bench, s, prepared[n], workload) for n, s in servers.items()}
    rows = []
    for conns in bench.mode.connections:
        sides = {n: _side(bench, s, workload, envs[n], conns) for n, s in servers.items()}
        rows.append(Row(workload.name, conns, sides["strongroom"], sides["openbao"]))
    return rows


def _setup(
    bench: Bench, server: Server, prepared: Prepared, workload: Workload
) -> dict[str, str] | str:
    """The workload's wrk environment on `server`, or the note to report instead."""
    try:
        extra = workload.setup(prepared)
    except NotAvailable as error:
        bench.notes.append(f"{workload.name} not available on {server.name}: {error}")
        return "not available"
    except httpx.HTTPError as error:
        bench.notes.append(f"{workload.name} setup failed on {server.name}: {error!r}")
        return "setup failed"
    return {"BENCH_TOKEN": server.token, **extra}


def _side(
    bench: Bench,
    server: Server,
    workload: Workload,
    env: dict[str, str] | str,
    conns: int,
    run: int = 1,
) -> Side:
    """Measure `workload` on `server` at `conns` connections (or carry the setup's note)."""
    if isinstance(env, str):
        return Side(note=env)
    load = Load(bench.wrk, server.address, workload.script, env, conns, bench.logs)
    # The server's work dir names it: strongroom, openbao, strongroom-audit-on, ...
    tag = f"{workload.name}-{server.workdir.name}-c{conns}" + (f"-run{run}" if run > 1 else "")
    try:
        measured = measure(load, server.pid, bench.mode.warmup, bench.mode.seconds, tag)
    except ValueError as error:
        bench.notes.append(f"{tag}: wrk failed: {error}")
        return Side(note="wrk failed")
    if server.process.poll() is not None:
        raise ServerDied(f"{server.name} exited during {tag}; see {bench.logs}")
    result = measured.result
    side = Side(
        rps=result.rps,
        p50_ms=result.p50_ms,
        p99_ms=result.p99_ms,
        cpu_ms=measured.cpu_ms_per_request,
        requests=result.requests,
        errors=result.errors,
    )
    _progress(tag, side)
    return side


def _progress(tag: str, side: Side) -> None:
    cpu = "?" if side.cpu_ms is None else f"{side.cpu_ms:.3f}"
    sys.stderr.write(
        f"bench: {tag}: {side.rps or 0:,.0f} req/s, p50 {side.p50_ms or 0:.2f} ms, "
        f"p99 {side.p99_ms or 0:.2f} ms, {cpu} CPU-ms/req, {side.errors} errors\n"
    )


def _audit_comparison(
    bench: Bench, rows: list[Row], audit: str
) -> tuple[AuditComparison | None, str]:
    """The same workload on a fresh Strongroom with its audit device and on one without,
    alternated on-off (quick) or on-off-off-on (full, cancelling a linear drift)."""
    if audit == AUDIT_NOT_IMPLEMENTED:
        return None, "Strongroom audit: n/a (not implemented): PUT sys/audit/file answered 4xx"
    usable = {r.workload for r in rows if r.strongroom.valid}
    name = next((n for n in _AUDIT_WORKLOADS if n in usable), None)
    if name is None:
        return None, f"none of {', '.join(_AUDIT_WORKLOADS)} ran on Strongroom"
    workload, conns = by_name(name), max(bench.mode.connections)
    order = (True, False, False, True) if bench.mode.startup else (True, False)
    runs: dict[bool, list[Side]] = {True: [], False: []}
    servers = {on: _audit_server(bench, on) for on in (True, False)}
    envs = {on: _setup_fresh(bench, server, workload) for on, server in servers.items()}
    for on in order:
        run = len(runs[on]) + 1
        runs[on].append(_side(bench, servers[on], workload, envs[on], conns, run))
    for server in servers.values():
        stop(server.process)
    note = "" if name == "transit-encrypt" else f"Transit encrypt unavailable: measured {name}. "
    if len(order) == 2:
        note += "Two fresh servers, one run each: audit on, then audit off."
    else:
        note += f"Two fresh servers, runs in the order {_order(order)}, averaged."
    return AuditComparison(name, conns, _mean(runs[True]), _mean(runs[False])), note


def _audit_server(bench: Bench, audit: bool) -> Server:
    work = bench.work / f"strongroom-audit-{'on' if audit else 'off'}"
    return start_ready("strongroom", work, audit=audit)


def _setup_fresh(bench: Bench, server: Server, workload: Workload) -> dict[str, str] | str:
    with server.api() as api:
        return _setup(bench, server, Prepared(api), workload)


def _order(order: tuple[bool, ...]) -> str:
    return "-".join("on" if on else "off" for on in order)


def _mean(sides: list[Side]) -> Side:
    """One Side from several runs: summed counts, mean req/s/latency/CPU (None if any is)."""
    if len(sides) == 1 or any(s.rps is None for s in sides):
        return sides[0]

    def avg(values: list[float | None]) -> float | None:
        known = [v for v in values if v is not None]
        return sum(known) / len(known) if len(known) == len(values) else None

    return Side(
        rps=avg([s.rps for s in sides]),
        p50_ms=avg([s.p50_ms for s in sides]),
        p99_ms=avg([s.p99_ms for s in sides]),
        cpu_ms=avg([s.cpu_ms for s in sides]),
        requests=sum(s.requests for s in sides),
        errors=sum(s.errors for s in sides),
    )


def _startup(bench: Bench, count: int) -> tuple[list[Startup], str]:
    """Startup on a store pre-filled with `count` secrets and `count` tokens (0: skipped)."""
    if count <= 0:
        return [], "full mode only" if not bench.mode.startup else "skipped (--startup-count 0)"
    results = []
    for name in SERVERS:
        server = start_ready(name, bench.work / f"startup-{name}", audit=False, bao=bench.bao)
        sys.stderr.write(f"bench: startup: filling {name} with {count:,} secrets and tokens\n")
        server, result = measure_startup(server, Fill(bench.wrk, count, bench.logs))
        stop(server.process)
        sys.stderr.write(f"bench: startup: {_startup_line(result)}\n")
        results.append(result)
    note = "stores filled through the API (wrk, 64 connections) on servers without audit devices"
    return results, note


def _startup_line(result: Startup) -> str:
    if result.note:
        return f"{result.server}: {result.note}"
    return (
        f"{result.server}: filled in {result.fill_seconds or 0:.0f} s, listening "
        f"{result.to_listening_s or 0:.2f} s after start, 200 {result.unseal_to_200_s or 0:.2f} s "
        "after unseal"
    )


def _keep_logs(bench: Bench) -> None:
    """Copy each server's log out of the scratch dir before it is deleted."""
    for log in bench.work.glob("*/server.log"):
        shutil.copyfile(log, bench.logs / f"{log.parent.name}.server.log")


if __name__ == "__main__":
    sys.exit(main())
