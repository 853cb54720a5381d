"""`strongroom status`, the client's address/token lookup, and how errors exit."""

import socket
from typing import Any

import pytest

from strongroom.cli.client import DEFAULT_ADDRESS, connect

UNSEALED = {
    "type": "shamir",
    "initialized": True,
    "sealed": False,
    "t": 3,
    "n": 5,
    "progress": 0,
    "nonce": "",
    "version": "0.1.0",
    "build_date": "2026-01-01T00:00:00Z",
    "storage_type": "sqlite",
}
SEALED = UNSEALED | {"sealed": True, "progress": 1, "nonce": "n-1"}


def test_unsealed_table(vault: Any, run: Any) -> None:
    vault.route("GET", "/v1/sys/seal-status", body=UNSEALED)
    result = run("status", f"-address={vault.url}")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Key           Value",
        "---           -----",
        "Seal Type     shamir",
        "Initialized   true",
        "Sealed        false",
        "Total Shares  5",
        "Threshold     3",
        "Version       0.1.0",
        "Build Date    2026-01-01T00:00:00Z",
        "Storage Type  sqlite",
    ]
    assert vault.calls() == [("GET", "/v1/sys/seal-status", None)]


def test_sealed_exits_2_and_shows_progress(vault: Any, run: Any) -> None:
    vault.route("GET", "/v1/sys/seal-status", body=SEALED)
    result = run("status", f"-address={vault.url}")
    assert result.exit_code == 2
    assert "Unseal Progress  1/3" in result.stdout
    assert "Unseal Nonce     n-1" in result.stdout


def test_json_format(vault: Any, run: Any) -> None:
    vault.route("GET", "/v1/sys/seal-status", body=SEALED)
    result = run("status", f"-address={vault.url}", "-format=json")
    assert result.exit_code == 2  # still sealed, whatever the format
    assert result.stdout.startswith('{\n  "type": "shamir",')


def test_format_from_environment(vault: Any, run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    vault.route("GET", "/v1/sys/seal-status", body=UNSEALED)
    monkeypatch.setenv("VAULT_FORMAT", "json")
    assert run("status", f"-address={vault.url}").stdout.startswith("{")


@pytest.mark.parametrize(
    ("env", "used"),
    [
        ({"STRONGROOM_ADDR": "right", "VAULT_ADDR": "wrong"}, "STRONGROOM_ADDR"),
        ({"VAULT_ADDR": "right"}, "VAULT_ADDR"),
        ({"STRONGROOM_ADDR": "", "VAULT_ADDR": "right"}, "VAULT_ADDR"),  # empty means unset
    ],
)
def test_address_from_environment(
    vault: Any, run: Any, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], used: str
) -> None:
    vault.route("GET", "/v1/sys/seal-status", body=UNSEALED)
    for name, value in env.items():
        monkeypatch.setenv(name, vault.url if value == "right" else value)
    assert run("status").exit_code == 0, used
    assert len(vault.requests) == 1


def test_address_flag_beats_environment(
    vault: Any, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault.route("GET", "/v1/sys/seal-status", body=UNSEALED)
    monkeypatch.setenv("STRONGROOM_ADDR", "http://192.0.2.1:1")
    assert run("status", "-address", vault.url).exit_code == 0


def test_default_address() -> None:
    with connect(None) as client:
        assert client.address == DEFAULT_ADDRESS == "http://127.0.0.1:8200"


@pytest.mark.parametrize(
    ("env", "token"),
    [
        ({"STRONGROOM_TOKEN": "s.strong", "VAULT_TOKEN": "s.vault"}, "s.strong"),
        ({"VAULT_TOKEN": "s.vault"}, "s.vault"),
        ({}, None),
    ],
)
def test_token_from_environment(
    vault: Any, run: Any, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], token: str | None
) -> None:
    vault.route("GET", "/v1/sys/seal-status", body=UNSEALED)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    run("status", f"-address={vault.url}")
    assert vault.requests[0].token == token


def test_client_error_exits_2_with_the_errors_list(vault: Any, run: Any) -> None:
    vault.route("GET", "/v1/sys/seal-status", 403, {"errors": ["permission denied", "second"]})
    result = run("status", f"-address={vault.url}")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error making API request.\n\n"
        f"URL: GET {vault.url}/v1/sys/seal-status\n"
        "Code: 403. Errors:\n\n"
        "* permission denied\n"
        "* second\n"
    )


def test_server_error_exits_1(vault: Any, run: Any) -> None:
    vault.route("GET", "/v1/sys/seal-status", 500, {"errors": ["internal error"]})
    result = run("status", f"-address={vault.url}")
    assert result.exit_code == 1
    assert "Code: 500. Errors:\n\n* internal error" in result.stderr


def test_non_json_error_shows_the_raw_body(vault: Any, run: Any) -> None:
    vault.route("GET", "/v1/sys/seal-status", 502, "<html>Bad Gateway</html>")
    result = run("status", f"-address={vault.url}")
    assert result.exit_code == 1
    assert "Code: 502. Raw Message:\n\n<html>Bad Gateway</html>" in result.stderr


def test_non_json_success_is_an_error(vault: Any, run: Any) -> None:
    vault.route("GET", "/v1/sys/seal-status", 200, "not json")
    result = run("status", f"-address={vault.url}")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unexpected response from GET")


def test_unreachable_server_exits_1(run: Any) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago, and closed now
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run("status", f"-address=http://127.0.0.1:{port}")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot reach http://127.0.0.1:{port}: ")


def test_unprintable_token_is_refused_without_echo(
    vault: Any, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAULT_TOKEN", "Token-Canary-\x07")
    result = run("status", f"-address={vault.url}")
    assert result.exit_code == 2
    assert result.stderr == "Error: the token in the environment is not printable ASCII\n"
    assert "Canary" not in result.output
    assert vault.requests == []
