"""`strongroom tenant …` against the fake Vault: paths, bodies and what it prints."""

from typing import Any

import pytest


@pytest.fixture
def vault_env(monkeypatch: pytest.MonkeyPatch, vault: Any) -> Any:
    monkeypatch.setenv("VAULT_TOKEN", "hvs.tenantcli")
    return vault


def test_create_sends_blueprint_and_metadata(vault_env: Any, run: Any) -> None:
    answer = {"data": {"tenant": "acme", "changed": False}, "warnings": ["nothing to change"]}
    vault_env.route("POST", "/v1/sys/tenants/acme", body=answer)
    result = run(
        "tenant",
        "create",
        f"-address={vault_env.url}",
        "-blueprint=web",
        "-metadata=owner=ops",
        "acme",
    )
    assert result.exit_code == 0, result.output
    assert vault_env.calls() == [
        (
            "POST",
            "/v1/sys/tenants/acme",
            {"blueprint": "web", "custom_metadata": {"owner": "ops"}},
        )
    ]
    assert "WARNING! nothing to change" in result.stdout


def test_bad_metadata_and_names_are_usage_errors(vault_env: Any, run: Any) -> None:
    assert run("tenant", "create", f"-address={vault_env.url}", "-metadata=x", "a").exit_code == 2
    assert run("tenant", "show", f"-address={vault_env.url}", "a/b").exit_code == 2
    assert vault_env.calls() == []


def test_show_missing_tenant(vault_env: Any, run: Any) -> None:
    result = run("tenant", "show", f"-address={vault_env.url}", "ghost")
    assert result.exit_code == 2
    assert "No tenant named ghost" in result.stderr


def test_delete(vault_env: Any, run: Any) -> None:
    vault_env.route("DELETE", "/v1/sys/namespaces/acme", status=204)
    result = run("tenant", "delete", f"-address={vault_env.url}", "acme")
    assert result.exit_code == 0, result.output
    assert "Deleted tenant acme" in result.stdout


def test_add_service_prints_the_wrapping_token_not_a_secret_id(vault_env: Any, run: Any) -> None:
    data = {
        "role_name": "billing",
        "role_id": "r-1",
        "namespace": "acme/",
        "secret_id_wrap_info": {"token": "hvs.wrap", "ttl": 300},
    }
    vault_env.route("POST", "/v1/sys/tenants/acme/services/billing", body={"data": data})
    result = run("tenant", "add-service", f"-address={vault_env.url}", "acme", "billing")
    assert result.exit_code == 0, result.output
    assert vault_env.calls()[0][2] == {"wrap_ttl": "5m"}
    assert "hvs.wrap" in result.stdout
    assert "300s" in result.stdout
