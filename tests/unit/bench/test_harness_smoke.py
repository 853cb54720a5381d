"""Smoke test of the benchmark harness (bench/). wrk and OpenBao are not part of `make test`,
so this renders the report from canned numbers, checks every workload has its wrk script, and
starts and stops one Strongroom through the harness's own launcher (running the transit data
key setup on it), checking that no process of it is left behind.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# bench/ lives at the repository root, which pytest (importlib mode) does not put on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from bench import procs, report, servers, workloads, wrk
from bench.results import AuditComparison, Report, Row, Side

FAST = Side(rps=2000.0, p50_ms=1.0, p99_ms=5.0, cpu_ms=0.5, requests=10_000)
SLOW = Side(rps=1000.0, p50_ms=2.0, p99_ms=9.0, cpu_ms=1.0, requests=5_000)
FLOOR = Side(rps=4000.0, p50_ms=0.5, p99_ms=2.0, cpu_ms=0.2, requests=20_000)
FAILING = Side(rps=900.0, p50_ms=1.0, p99_ms=3.0, cpu_ms=0.4, requests=4_500, errors=450)


def canned() -> Report:
    rows = [
        Row("noop", 64, FLOOR, SLOW),
        Row("transit-encrypt", 64, FAST, SLOW),
        Row("kv-read", 64, Side(note="not available"), SLOW),
        Row("kv-write", 64, FAILING, SLOW),
    ]
    audit = AuditComparison("transit-encrypt", 64, Side(rps=1800.0, requests=9_000), FAST)
    return Report("quick", "now", {"wrk": "1 thread"}, "file", "file", rows, audit)


def test_table_renders_canned_numbers() -> None:
    lines = report.render_table(canned().rows).splitlines()

    assert lines[0].startswith("| workload | conns | SR req/s | SR p50 | SR p99 | bao req/s")
    assert lines[1].count("---") == 11
    assert (
        "| transit-encrypt | 64 | 2,000 | 1.00 ms | 5.00 ms | 1,000 | 2.00 ms | 9.00 ms | 2.00x "
        "| 0.500 | 1.000 |"
    ) in lines
    assert "| kv-read | 64 | not available | - | - | 1,000 | 2.00 ms | 9.00 ms | n/a |" in lines[4]
    assert "900 (10.0% err)" in lines[5]


def test_targets_are_judged_and_never_faked() -> None:
    verdicts = {t.name: t.verdict for t in report.targets(canned())}

    assert verdicts["transit encrypt ≥ 2.0x OpenBao"] == "holds"  # exactly 2.0x
    assert verdicts["KV v2 read ≥ 2.0x OpenBao"] == "n/a"  # not available on Strongroom
    assert verdicts["KV v2 write ≥ 2.0x OpenBao"] == "n/a"  # 10 % of its requests failed
    assert verdicts["AppRole login ≥ 1.5x OpenBao"] == "n/a"  # not measured
    assert verdicts["p99 at 64 connections ≤ OpenBao's, every workload"] == "holds"
    assert verdicts["transit encrypt ≥ 50 % of Strongroom's own no-op floor"] == "holds"
    assert verdicts["audit on vs off ≤ 20 % loss"] == "holds"  # 10 %


def test_results_are_written(tmp_path: Path) -> None:
    markdown = report.write(canned(), tmp_path)

    data = json.loads((tmp_path / "latest.json").read_text())
    assert (tmp_path / "latest.md").read_text() == markdown
    assert data["rows"][1]["ratio"] == 2.0
    assert {t["verdict"] for t in data["targets"]} <= {"holds", "misses", "n/a"}


def test_wrk_output_is_parsed() -> None:
    line = (
        'BENCH_JSON {"requests":5000,"duration_us":5000000,"connect":0,"read":1,"write":0,'
        '"status":2,"timeout":0,"p50_us":1500,"p99_us":9000,"max_us":12000}'
    )
    result = wrk.parse_output("Running 5s test\n" + line + "\n")

    assert (result.rps, result.errors, result.p50_ms, result.p99_ms) == (1000.0, 3, 1.5, 9.0)


def test_every_workload_has_its_script() -> None:
    assert "transit-datakey" in [w.name for w in workloads.WORKLOADS]
    assert all(w.script.is_file() for w in workloads.WORKLOADS)


def test_strongroom_starts_and_stops_without_leftovers(tmp_path: Path) -> None:
    server = servers.start_ready("strongroom", tmp_path / "strongroom", audit=True)
    try:
        with server.api("") as api:
            assert api.health() == 200
        with server.api() as api:  # a setup ends with one request of its workload
            assert workloads.by_name("transit-datakey").setup(workloads.Prepared(api)) == {}
        assert server.token
        assert len(procs.group_members(server.pid)) >= 2  # the server and its worker(s)
    finally:
        procs.stop(server.process)

    assert server.process.returncode is not None
    assert procs.group_members(server.pid) == []
