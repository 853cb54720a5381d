"""Request metrics: Prometheus histogram buckets are cumulative, whatever order requests came,
and any label value (a mount path or audit device with quotes, backslashes, newlines) parses
back from the exposition exactly."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from prometheus_client.parser import text_string_to_metric_families

from strongroom.core.metrics import _BUCKETS, Metrics
from support.inproc import Server


def _buckets(text: str) -> list[int]:
    return [
        int(float(line.rsplit(" ", 1)[1]))
        for line in text.splitlines()
        if line.startswith("strongroom_http_requests_bucket")
    ]


def test_buckets_are_cumulative_and_end_with_the_count() -> None:
    metrics = Metrics()
    for seconds in (0.0001, 0.002, 0.002, 0.3, 7.0):
        metrics.observe("secret/", 200, seconds)
    counts = _buckets(metrics.prometheus(sealed=False))
    assert counts == [1, 1, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 5]
    assert 'strongroom_http_requests_count{code="200",mount="secret/"} 5.0' in (
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


def _label_values(text: str, label: str) -> set[str]:
    return {
        sample.labels[label]
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if label in sample.labels
    }


def test_label_values_with_quotes_backslashes_and_newlines_parse_back_exactly() -> None:
    awkward = ['we"ird/', "back\\slash/", "new\nline/", 'all\\"\n/']
    metrics = Metrics()
    for name in awkward:
        metrics.observe(name, 200, 0.01)
        metrics.audit_failure(name)
    text = metrics.prometheus(sealed=False)
    assert _label_values(text, "mount") == set(awkward)
    assert _label_values(text, "device") == set(awkward)


@given(st.text(max_size=20))
def test_any_mount_label_round_trips(mount: str) -> None:
    metrics = Metrics()
    metrics.observe(mount, 404, 0.2)
    assert _label_values(metrics.prometheus(sealed=True), "mount") == {mount}


async def test_sys_metrics_parses_back_with_awkward_mount_paths(server: Server) -> None:
    """The issue's reproduction through the API (a path with a newline is refused before it
    can name a mount, so the newline is covered by the direct tests above)."""
    for path in ('we"ird', "back\\slash"):
        resp = await server.call("POST", f"sys/mounts/{path}", {"type": "kv"})
        assert resp.status_code == 204, resp.text
        assert (await server.call("POST", f"{path}/k", {"v": 1})).status_code == 204
    prom = await server.call("GET", "sys/metrics?format=prometheus")
    assert prom.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert {'we"ird/', "back\\slash/"} <= _label_values(prom.text, "mount")
