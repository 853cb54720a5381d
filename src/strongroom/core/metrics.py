"""Request metrics per mount and status, rendered for Prometheus or as Vault-style JSON.

Per worker process: each worker counts the requests it served.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


@dataclass(slots=True)
class _Series:
    count: int = 0
    total: float = 0.0
    # Per bucket, not cumulative (one increment per request); the last slot is "+Inf only".
    buckets: list[int] = field(default_factory=lambda: [0] * (len(_BUCKETS) + 1))


class Metrics:
    def __init__(self) -> None:
        self._series: defaultdict[tuple[str, int], _Series] = defaultdict(_Series)
        self._audit_failures: dict[str, int] = {}

    def observe(self, mount: str, status: int, seconds: float) -> None:
        series = self._series[(mount, status)]
        series.count += 1
        series.total += seconds
        series.buckets[bisect_left(_BUCKETS, seconds)] += 1

    def audit_failure(self, device: str) -> None:
        self._audit_failures[device] = self._audit_failures.get(device, 0) + 1

    def prometheus(self, sealed: bool) -> str:
        lines = [
            "# HELP strongroom_core_unsealed 1 while this node is unsealed.",
            "# TYPE strongroom_core_unsealed gauge",
            f"strongroom_core_unsealed {0 if sealed else 1}",
            "# HELP strongroom_http_requests Requests served, by mount and status code.",
            "# TYPE strongroom_http_requests histogram",
        ]
        for (mount, status), series in sorted(self._series.items()):
            labels = f'mount="{mount}",code="{status}"'
            cumulative = accumulate(series.buckets[:-1])
            for bound, count in zip(_BUCKETS, cumulative, strict=True):
                lines.append(f'strongroom_http_requests_bucket{{{labels},le="{bound}"}} {count}')
            lines.append(f'strongroom_http_requests_bucket{{{labels},le="+Inf"}} {series.count}')
            lines.append(f"strongroom_http_requests_sum{{{labels}}} {series.total:.6f}")
            lines.append(f"strongroom_http_requests_count{{{labels}}} {series.count}")
        if self._audit_failures:
            lines.append(
                "# HELP strongroom_audit_failures Entries an audit device failed to write."
            )
            lines.append("# TYPE strongroom_audit_failures counter")
            for device, count in sorted(self._audit_failures.items()):
                lines.append(f'strongroom_audit_failures{{device="{device}"}} {count}')
        return "\n".join(lines) + "\n"

    def as_json(self, sealed: bool) -> dict[str, Any]:
        """Shaped like Vault's in-memory sink: Gauges, Counters and Samples lists."""
        samples = [
            {
                "Name": "strongroom.http.requests",
                "Count": series.count,
                "Sum": series.total,
                "Mean": series.total / series.count if series.count else 0.0,
                "Labels": {"mount": mount, "code": str(status)},
            }
            for (mount, status), series in sorted(self._series.items())
        ]
        gauges: list[dict[str, Any]] = [
            {"Name": "strongroom.core.unsealed", "Value": 0 if sealed else 1, "Labels": {}}
        ]
        return {"Timestamp": "", "Gauges": gauges, "Counters": [], "Samples": samples}
