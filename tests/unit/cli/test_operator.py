"""`strongroom operator init/unseal/seal/rotate/key-status` against the fake server."""

import json
from typing import Any

import pytest

INIT_RESPONSE = {
    "keys": ["aa01", "aa02", "aa03"],
    "keys_base64": ["qgE=", "qgI=", "qgM="],
    "root_token": "s.rootTokenValue",
}
SEAL_STATUS = {"type": "shamir", "initialized": True, "sealed": True, "t": 2, "n": 3}


def test_init_prints_keys_and_token(vault: Any, run: Any) -> None:
    vault.route("PUT", "/v1/sys/init", body=INIT_RESPONSE)
    result = run("operator", "init", "-key-shares=3", "-key-threshold=2", "-address", vault.url)
    assert result.exit_code == 0
    assert vault.calls() == [("PUT", "/v1/sys/init", {"secret_shares": 3, "secret_threshold": 2})]
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "Unseal Key 1: qgE=",
        "Unseal Key 2: qgI=",
        "Unseal Key 3: qgM=",
        "",
        "Initial Root Token: s.rootTokenValue",
    ]
    assert "Vault initialized with 3 key shares and a key threshold of 2." in result.stdout


def test_init_defaults_to_five_shares_threshold_three(vault: Any, run: Any) -> None:
    vault.route("PUT", "/v1/sys/init", body=INIT_RESPONSE)
    run("operator", "init", f"-address={vault.url}")
    assert vault.requests[0].body == {"secret_shares": 5, "secret_threshold": 3}


def test_init_json_has_vaults_machine_shape(vault: Any, run: Any) -> None:
    vault.route("PUT", "/v1/sys/init", body=INIT_RESPONSE)
    args = ("-key-shares=3", "-key-threshold=2", "-format=json", f"-address={vault.url}")
    result = run("operator", "init", *args)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "unseal_keys_b64": ["qgE=", "qgI=", "qgM="],
        "unseal_keys_hex": ["aa01", "aa02", "aa03"],
        "unseal_shares": 3,
        "unseal_threshold": 2,
        "recovery_keys_b64": [],
        "recovery_keys_hex": [],
        "recovery_keys_shares": 0,
        "recovery_keys_threshold": 0,
        "root_token": "s.rootTokenValue",
    }


def test_init_refused_by_server(vault: Any, run: Any) -> None:
    vault.route("PUT", "/v1/sys/init", 400, {"errors": ["Vault is already initialized"]})
    result = run("operator", "init", f"-address={vault.url}")
    assert result.exit_code == 2
    assert result.stderr.endswith("Code: 400. Errors:\n\n* Vault is already initialized\n")


@pytest.mark.parametrize(("initialized", "code"), [(True, 0), (False, 2)])
def test_init_status(vault: Any, run: Any, initialized: bool, code: int) -> None:
    vault.route("GET", "/v1/sys/init", body={"initialized": initialized})
    result = run("operator", "init", "-status", f"-address={vault.url}")
    assert result.exit_code == code
    assert result.stdout == (
        "Vault is initialized\n" if initialized else "Vault is not initialized\n"
    )
    assert [r.method for r in vault.requests] == ["GET"]


@pytest.mark.parametrize("shares", ["0", "256", "many"])
def test_init_rejects_bad_share_counts(run: Any, shares: str) -> None:
    assert run("operator", "init", f"-key-shares={shares}").exit_code == 2


def test_unseal_with_key_argument(vault: Any, run: Any) -> None:
    vault.route("PUT", "/v1/sys/unseal", body=SEAL_STATUS | {"progress": 1})
    result = run("operator", "unseal", f"-address={vault.url}", "qgE=")
    assert result.exit_code == 0
    assert vault.calls() == [("PUT", "/v1/sys/unseal", {"key": "qgE="})]
    assert "Unseal Progress  1/2" in result.stdout


def test_unseal_prompts_without_echo(vault: Any, run: Any) -> None:
    vault.route("PUT", "/v1/sys/unseal", body=SEAL_STATUS | {"sealed": False})
    result = run("operator", "unseal", f"-address={vault.url}", stdin="qgI=\n")
    assert result.exit_code == 0
    assert vault.requests[0].body == {"key": "qgI="}
    assert "Unseal Key (will be hidden):" in result.stdout
    assert "qgI=" not in result.stdout  # hidden input is not echoed
    assert "Sealed        false" in result.stdout


def test_unseal_reads_stdin_for_dash(vault: Any, run: Any) -> None:
    vault.route("PUT", "/v1/sys/unseal", body=SEAL_STATUS)
    run("operator", "unseal", f"-address={vault.url}", "-", stdin="  qgM=\n")
    assert vault.requests[0].body == {"key": "qgM="}


def test_unseal_empty_key_is_a_usage_error(vault: Any, run: Any) -> None:
    result = run("operator", "unseal", f"-address={vault.url}", "-", stdin="\n")
    assert result.exit_code == 2
    assert result.stderr == "Error: no unseal key given\n"
    assert vault.requests == []


def test_unseal_reset(vault: Any, run: Any) -> None:
    vault.route("PUT", "/v1/sys/unseal", body=SEAL_STATUS)
    result = run("operator", "unseal", "-reset", f"-address={vault.url}", "-format=json")
    assert result.exit_code == 0
    assert vault.calls() == [("PUT", "/v1/sys/unseal", {"reset": True})]
    assert '"sealed": true' in result.stdout


def test_seal(vault: Any, run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    vault.route("PUT", "/v1/sys/seal", 204)
    monkeypatch.setenv("VAULT_TOKEN", "s.root")
    result = run("operator", "seal", f"-address={vault.url}")
    assert result.exit_code == 0
    assert result.stdout == "Success! Vault is sealed.\n"
    assert vault.calls() == [("PUT", "/v1/sys/seal", None)]
    assert vault.requests[0].token == "s.root"


def test_rotate_then_reads_key_status(vault: Any, run: Any) -> None:
    vault.route("PUT", "/v1/sys/rotate", 204)
    status = {"term": 2, "install_time": "2026-01-02T03:04:05Z"}
    vault.route("GET", "/v1/sys/key-status", body=status | {"data": status})
    result = run("operator", "rotate", f"-address={vault.url}")
    assert result.exit_code == 0
    assert vault.calls() == [("PUT", "/v1/sys/rotate", None), ("GET", "/v1/sys/key-status", None)]
    assert result.stdout.splitlines() == [
        "Success! Rotated key",
        "",
        "Key           Value",
        "---           -----",
        "Key Term      2",
        "Install Time  2026-01-02T03:04:05Z",
    ]


def test_key_status(vault: Any, run: Any) -> None:
    status = {"term": 1, "install_time": "2026-01-01T00:00:00Z", "encryptions": 7}
    vault.route("GET", "/v1/sys/key-status", body=status)
    result = run("operator", "key-status", f"-address={vault.url}")
    assert "Encryption Count  7" in result.stdout
    result = run("operator", "key-status", f"-address={vault.url}", "-format=json")
    assert json.loads(result.stdout) == status


def test_errors_never_echo_the_key_or_the_token(
    vault: Any, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, token = "Unseal-Key-Canary-93c1", "Token-Canary-5be0"
    monkeypatch.setenv("STRONGROOM_TOKEN", token)
    vault.route("PUT", "/v1/sys/unseal", 400, {"errors": ["invalid key"]})
    result = run("operator", "unseal", f"-address={vault.url}", key)
    assert result.exit_code == 2
    assert vault.requests[0].body == {"key": key}
    assert vault.requests[0].token == token
    assert key not in result.output
    assert token not in result.output
