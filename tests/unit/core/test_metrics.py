"""Request metrics: Prometheus histogram buckets are cumulative, whatever order requests came."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from strongroom.core.metrics import _BUCKETS, Metrics


def _buckets(text: str) -> list[int]:
    return [
        int(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("strongroom_http_requests_bucket")
    ]


def test_buckets_are_cumulative_and_end_with_the_count() -> None:
    metrics = Metrics()
    for seconds in (0.0001, 0.002, 0.002, 0.3, 7.0):
        metrics.observe("secret/", 200, seconds)
    counts = _buckets(metrics.prometheus(sealed=False))
    assert counts == [1, 1, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 5]
    assert 'strongroom_http_requests_count{mount="secret/",code="200"} 5' in (
        metrics.prometheus(sealed=False)
    )


@given(st.lists(st.floats(min_value=0, max_value=10, allow_nan=False), max_size=50))
def test_each_bucket_counts_the_requests_at_or_below_its_bound(samples: list[float]) -> None:
    metrics = Metrics()
    for seconds in samples:
        metrics.observe("m/", 200, seconds)
    counts = _buckets(metrics.prometheus(sealed=False))
    if not samples:
        assert counts == []
        return
    expected = [sum(1 for s in samples if s <= bound) for bound in _BUCKETS] + [len(samples)]
    assert counts == expected
