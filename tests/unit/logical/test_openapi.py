"""Route patterns as OpenAPI paths (Vault's openapi.go expansion, in the small)."""

from __future__ import annotations

import pytest

from strongroom.logical.openapi import paths_of


@pytest.mark.parametrize(
    ("pattern", "paths"),
    [
        ("config", ["config"]),
        ("data/(?P<path>.*)", ["data/{path}"]),
        ("policies/acl/?", ["policies/acl"]),
        (
            r"(?:leases/)?renew(?:/(?P<lease_id>.+))?",
            ["leases/renew/{lease_id}", "leases/renew", "renew/{lease_id}", "renew"],
        ),
        ("(?:rekey|rotate/root)/backup", ["rekey/backup", "rotate/root/backup"]),
        ("(?P<table>mounts|auth)/(?P<path>.+)", ["mounts/{path}", "auth/{path}"]),
        (".*", []),
    ],
)
def test_patterns_expand_to_callable_paths(pattern: str, paths: list[str]) -> None:
    assert paths_of(pattern) == paths
