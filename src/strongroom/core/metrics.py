"""Request metrics per mount and status, rendered for Prometheus or as Vault-style JSON.

Per worker process: each worker counts the requests it served. Counting stays a few list
increments per request; `prometheus_client` only renders, at scrape time, so label values (a
mount path may hold `"`, `\\` or a newline) are escaped by the reference implementation of the
exposition format rather than by hand.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

# What `generate_latest` writes: the classic text format, which every Prometheus scrapes.
PROMETHEUS_CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4

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
        return generate_latest(_Families(self._families(sealed))).decode()

    def _families(self, sealed: bool) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            "strongroom_core_unsealed", "1 while this node is unsealed.", value=0 if sealed else 1
        )
        yield self._requests()
        if self._audit_failures:
            yield self._failures()

    def _requests(self) -> HistogramMetricFamily:
        family = HistogramMetricFamily(
            "strongroom_http_requests",
            "Requests served, by mount and status code.",
            labels=("mount", "code"),
        )
        for (mount, status), series in sorted(self._series.items()):
            cumulative = accumulate(series.buckets[:-1])
            buckets = [(str(b), n) for b, n in zip(_BUCKETS, cumulative, strict=True)]
            buckets.append(("+Inf", series.count))
            family.add_metric((mount, str(status)), buckets, series.total)
        return family

    def _failures(self) -> CounterMetricFamily:
        # Exposed as `strongroom_audit_failures_total`: the client library gives every counter
        # the `_total` suffix that Prometheus' naming conventions require.
        family = CounterMetricFamily(
            "strongroom_audit_failures",
            "Entries an audit device failed to write.",
            labels=("device",),
        )
        for device, count in sorted(self._audit_failures.items()):
            family.add_metric((device,), count)
        return family

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


class _Families(Collector):
    """Metric families already built, in the shape `generate_latest` collects from."""

    def __init__(self, families: Iterable[Metric]) -> None:
        self._families = families

    def collect(self) -> Iterable[Metric]:
        return self._families
