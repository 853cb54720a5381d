"""Render a `Report`: the markdown table, the extra measurements, the issue's targets, JSON.

Targets are judged at the highest connection count measured (64): that is where throughput,
not one client's round trip, is compared. A row whose feature is missing on either side, or
whose run failed more than 1 % of its requests, makes its target "n/a", never a pass.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .results import AuditComparison, Report, Row, Side, Startup

__all__ = ["Target", "render_markdown", "render_table", "targets", "to_json", "write"]

_HEADER = (
    "| workload | conns | SR req/s | SR p50 | SR p99 | bao req/s | bao p50 | bao p99 | ratio "
    "| SR CPU-ms/req | bao CPU-ms/req |"
)
_NONE = "-"


@dataclass(frozen=True)
class Target:
    """One of issue 6's targets and whether this run shows it holding."""

    name: str
    verdict: str  # "holds", "misses" or "n/a"
    detail: str


def render_table(rows: list[Row]) -> str:
    """The side-by-side markdown table, one line per workload and connection count."""
    lines = [_HEADER, "|" + "---|" * _HEADER.count(" | ") + "---|"]
    lines += [_row(row) for row in rows]
    return "\n".join(lines)


def render_markdown(report: Report) -> str:
    """The whole report: header, table, audit cost, startup, targets."""
    parts = [_heading(report), render_table(report.rows), _audit_section(report)]
    parts += [_startup_section(report), _targets_section(report), _notes_section(report)]
    return "\n\n".join(part for part in parts if part) + "\n"


def targets(report: Report) -> list[Target]:
    """Each target of issue 6, judged on this run's numbers."""
    rows = _top_rows(report.rows)
    return [
        _ratio_target("transit encrypt ≥ 2.0x OpenBao", rows.get("transit-encrypt"), 2.0),
        _ratio_target("KV v2 read ≥ 2.0x OpenBao", rows.get("kv-read"), 2.0),
        _ratio_target("KV v2 write ≥ 2.0x OpenBao", rows.get("kv-write"), 2.0),
        _ratio_target("token create ≥ 1.5x OpenBao", rows.get("token-create"), 1.5),
        _ratio_target("AppRole login ≥ 1.5x OpenBao", rows.get("approle-login"), 1.5),
        _p99_target(list(rows.values())),
        _floor_target(rows.get("transit-encrypt"), rows.get("noop")),
        _audit_target(report.audit),
    ]


def to_json(report: Report) -> dict[str, Any]:
    """`report` as plain data, with each row's ratio and the target verdicts added."""
    data = asdict(report)
    for row, row_data in zip(report.rows, data["rows"], strict=True):
        row_data["ratio"] = row.ratio
    data["audit_loss"] = report.audit.loss if report.audit else None
    data["targets"] = [asdict(t) for t in targets(report)]
    return data


def write(report: Report, directory: Path) -> str:
    """Write latest.md and latest.json into `directory`; the markdown."""
    directory.mkdir(parents=True, exist_ok=True)
    markdown = render_markdown(report)
    (directory / "latest.md").write_text(markdown)
    (directory / "latest.json").write_text(json.dumps(to_json(report), indent=2) + "\n")
    return markdown


def _heading(report: Report) -> str:
    settings = ", ".join(f"{key} {value}" for key, value in report.settings.items())
    return (
        f"# Strongroom vs OpenBao — {report.mode} run, {report.when}\n\n"
        f"{settings}.\n"
        f"Strongroom audit: {report.strongroom_audit}; OpenBao audit: {report.openbao_audit}."
    )


def _row(row: Row) -> str:
    cells = [row.workload, str(row.connections), *_side(row.strongroom)[:3]]
    cells += [*_side(row.openbao)[:3], _ratio(row.ratio)]
    cells += [_side(row.strongroom)[3], _side(row.openbao)[3]]
    return "| " + " | ".join(cells) + " |"


def _side(side: Side) -> list[str]:
    """req/s, p50, p99, CPU-ms/req cells."""
    if side.rps is None:
        return [side.note or "not measured", _NONE, _NONE, _NONE]
    rps = f"{side.rps:,.0f}"
    if side.errors:
        rps += f" ({side.error_rate:.1%} err)"
    cpu = _NONE if side.cpu_ms is None else f"{side.cpu_ms:.3f}"
    return [rps, _ms(side.p50_ms), _ms(side.p99_ms), cpu]


def _ms(value: float | None) -> str:
    return _NONE if value is None else f"{value:.2f} ms"


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def _audit_section(report: Report) -> str:
    title = "## Audit device cost (Strongroom)"
    audit = report.audit
    if audit is None:
        return f"{title}\n\nn/a: {report.audit_note}"
    on, off = audit.audit_on, audit.audit_off
    loss = "n/a" if audit.loss is None else f"{audit.loss:.1%}"
    return (
        f"{title}\n\n{audit.workload} at {audit.connections} connections: "
        f"audit on {_side(on)[0]} req/s (p99 {_ms(on.p99_ms)}), "
        f"audit off {_side(off)[0]} req/s (p99 {_ms(off.p99_ms)}); loss {loss}."
        + (f"\n{report.audit_note}" if report.audit_note else "")
    )


def _startup_section(report: Report) -> str:
    title = "## Startup on a pre-filled store"
    if not report.startup:
        return f"{title}\n\nn/a: {report.startup_note}" if report.startup_note else ""
    lines = [
        title,
        "",
        "| server | KV secrets | tokens | fill time | start → listening | unseal → first 200 |",
        "|---|---|---|---|---|---|",
    ]
    lines += [_startup_row(s) for s in report.startup]
    if report.startup_note:
        lines += ["", report.startup_note + "."]
    return "\n".join(lines)


def _startup_row(s: Startup) -> str:
    cells = [s.server, f"{s.secrets:,}", f"{s.tokens:,}", _seconds(s.fill_seconds)]
    cells += [_seconds(s.to_listening_s), _seconds(s.unseal_to_200_s)]
    if s.note:
        cells[3] = s.note
    return "| " + " | ".join(cells) + " |"


def _seconds(value: float | None) -> str:
    return _NONE if value is None else f"{value:.2f} s"


def _targets_section(report: Report) -> str:
    lines = ["## Targets (issue 6; ratios at the highest connection count)", ""]
    lines += [f"- {t.name}: **{t.verdict}** — {t.detail}" for t in targets(report)]
    return "\n".join(lines)


def _notes_section(report: Report) -> str:
    if not report.notes:
        return ""
    return "\n".join(["## Notes", "", *(f"- {note}" for note in report.notes)])


def _top_rows(rows: list[Row]) -> dict[str, Row]:
    """For each workload, its row at the highest connection count measured."""
    top: dict[str, Row] = {}
    for row in rows:
        if row.workload not in top or row.connections > top[row.workload].connections:
            top[row.workload] = row
    return top


def _ratio_target(name: str, row: Row | None, minimum: float) -> Target:
    if row is None or row.ratio is None:
        return Target(name, "n/a", _why_missing(row))
    verdict = "holds" if row.ratio >= minimum else "misses"
    return Target(name, verdict, f"{row.ratio:.2f}x at {row.connections} connections")


def _why_missing(row: Row | None) -> str:
    if row is None:
        return "not measured in this run"
    for name, side in (("Strongroom", row.strongroom), ("OpenBao", row.openbao)):
        if side.rps is None:
            return f"{name}: {side.note or 'not measured'}"
        if not side.valid:
            return f"{name}: {side.error_rate:.1%} of requests failed"
    return "no ratio"


def _p99_target(rows: list[Row]) -> Target:
    name = "p99 at 64 connections ≤ OpenBao's, every workload"
    compared = [r for r in rows if r.connections == 64 and r.ratio is not None]
    if not compared:
        return Target(name, "n/a", "no workload measured on both servers at 64 connections")
    worse = [r.workload for r in compared if (r.strongroom.p99_ms or 0) > (r.openbao.p99_ms or 0)]
    detail = f"{len(compared)} workload(s) compared"
    if worse:
        return Target(name, "misses", f"{detail}; higher p99 on {', '.join(worse)}")
    return Target(name, "holds", detail)


def _floor_target(encrypt: Row | None, noop: Row | None) -> Target:
    name = "transit encrypt ≥ 50 % of Strongroom's own no-op floor"
    if encrypt is None or noop is None:
        return Target(name, "n/a", "not measured in this run")
    enc, floor = encrypt.strongroom, noop.strongroom
    for label, side in (("transit encrypt", enc), ("no-op", floor)):
        if not side.valid or not side.rps:
            return Target(name, "n/a", f"Strongroom {label}: {side.note or 'failed requests'}")
    share = (enc.rps or 0) / (floor.rps or 1)
    verdict = "holds" if share >= 0.5 else "misses"
    return Target(name, verdict, f"{share:.0%} of {floor.rps or 0:,.0f} req/s")


def _audit_target(audit: AuditComparison | None) -> Target:
    name = "audit on vs off ≤ 20 % loss"
    if audit is None or audit.loss is None:
        return Target(name, "n/a", "not measured (see the audit section)")
    verdict = "holds" if audit.loss <= 0.2 else "misses"
    return Target(name, verdict, f"{audit.loss:.1%} loss on {audit.workload}")
