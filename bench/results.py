"""The numbers of one run, as frozen records: what `report` renders and `latest.json` holds."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MAX_ERROR_RATE", "AuditComparison", "Report", "Row", "Side", "Startup"]

MAX_ERROR_RATE = 0.01  # above this share of failed requests a number is shown but not compared


@dataclass(frozen=True)
class Side:
    """One server's numbers for one row, or (`note`) why there are none."""

    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    cpu_ms: float | None = None
    requests: int = 0
    errors: int = 0
    note: str = ""

    @property
    def error_rate(self) -> float:
        return self.errors / self.requests if self.requests else 0.0

    @property
    def valid(self) -> bool:
        """Measured, and with few enough failed requests to compare."""
        return self.rps is not None and self.error_rate <= MAX_ERROR_RATE


@dataclass(frozen=True)
class Row:
    """One workload at one connection count, on both servers."""

    workload: str
    connections: int
    strongroom: Side
    openbao: Side

    @property
    def ratio(self) -> float | None:
        """Strongroom req/s ÷ OpenBao req/s, when both are valid."""
        sr, bao = self.strongroom, self.openbao
        if sr.valid and bao.valid and sr.rps is not None and bao.rps:
            return sr.rps / bao.rps
        return None


@dataclass(frozen=True)
class AuditComparison:
    """Strongroom on one workload with its file audit device, and on a server without one."""

    workload: str
    connections: int
    audit_on: Side
    audit_off: Side

    @property
    def loss(self) -> float | None:
        """Share of throughput lost to the audit device (0.1 = 10 %)."""
        on, off = self.audit_on, self.audit_off
        if on.valid and off.valid and on.rps is not None and off.rps:
            return 1 - on.rps / off.rps
        return None


@dataclass(frozen=True)
class Startup:
    """Time to serve again after a restart on a pre-filled store."""

    server: str
    secrets: int = 0
    tokens: int = 0
    fill_seconds: float | None = None
    to_listening_s: float | None = None
    unseal_to_200_s: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Report:
    """Everything one `bench.run` measured."""

    mode: str
    when: str
    settings: dict[str, object]
    strongroom_audit: str
    openbao_audit: str
    rows: list[Row] = field(default_factory=list)
    audit: AuditComparison | None = None
    audit_note: str = ""
    startup: list[Startup] = field(default_factory=list)
    startup_note: str = ""
    notes: list[str] = field(default_factory=list)
