"""`strongroom lease …` against the fake Vault: the paths and bodies it sends, what it prints."""

from typing import Any

import pytest

LEASE = "database/creds/app/AbCdEfGhIjKlMnOpQrStUvWx"


@pytest.fixture
def leases(monkeypatch: pytest.MonkeyPatch, listing: Any) -> Any:
    monkeypatch.setenv("VAULT_TOKEN", "hvs.leasecli")
    return listing


def test_lookup_prints_the_lease(leases: Any, run: Any) -> None:
    data = {"id": LEASE, "ttl": 60, "renewable": True}
    leases.route("PUT", "/v1/sys/leases/lookup", body={"data": data})
    result = run("lease", "lookup", f"-address={leases.url}", LEASE)
    assert result.exit_code == 0, result.output
    assert leases.calls() == [("PUT", "/v1/sys/leases/lookup", {"lease_id": LEASE})]
    assert "renewable  true" in result.stdout.lower()


def test_renew_sends_the_increment_and_shows_lease_fields(leases: Any, run: Any) -> None:
    body = {"lease_id": LEASE, "lease_duration": 3600, "renewable": True, "data": None}
    leases.route("PUT", "/v1/sys/leases/renew", body=body)
    result = run("lease", "renew", f"-address={leases.url}", "-increment=1h", LEASE)
    assert result.exit_code == 0, result.output
    assert leases.calls() == [
        ("PUT", "/v1/sys/leases/renew", {"lease_id": LEASE, "increment": "1h"})
    ]
    assert "lease_duration   3600s" in result.stdout


@pytest.mark.parametrize(
    ("flags", "path", "said"),
    [
        ((), "/v1/sys/leases/revoke", f"Success! Revoked lease: {LEASE}"),
        (("-prefix",), f"/v1/sys/leases/revoke-prefix/{LEASE}", "Revoked any leases with prefix"),
        (
            ("-prefix", "-force"),
            f"/v1/sys/leases/revoke-force/{LEASE}",
            "Force revoked any leases with prefix",
        ),
    ],
)
def test_revoke_variants(
    leases: Any, run: Any, flags: tuple[str, ...], path: str, said: str
) -> None:
    leases.route("PUT", path, status=204)
    result = run("lease", "revoke", f"-address={leases.url}", *flags, LEASE)
    assert result.exit_code == 0, result.output
    assert [c[:2] for c in leases.calls()] == [("PUT", path)]
    assert said in result.stdout


def test_force_without_prefix_is_a_usage_error(leases: Any, run: Any) -> None:
    result = run("lease", "revoke", f"-address={leases.url}", "-force", LEASE)
    assert result.exit_code == 2
    assert leases.calls() == []


def test_list(leases: Any, run: Any) -> None:
    leases.route(
        "LIST", "/v1/sys/leases/lookup/database/creds/app/", body={"data": {"keys": ["a"]}}
    )
    result = run("lease", "list", f"-address={leases.url}", "database/creds/app")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["Keys", "----", "a"]
