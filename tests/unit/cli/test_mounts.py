"""`strongroom secrets ...` and `strongroom auth ...`: sys/mounts and sys/auth requests."""

import json
from typing import Any

import pytest

KV = {"type": "kv", "description": "[bold]kv", "accessor": "kv_1a2b", "options": {"version": "2"}}
SYS = {"type": "system", "description": "system endpoints", "accessor": "system_9f", "options": {}}
# Vault answers sys/mounts with every mount twice: at the top level and under "data".
KV2 = {"type": "kv", "description": "", "options": {"version": "2"}}
MOUNTS = {"secret/": KV, "sys/": SYS, "request_id": "r-1", "data": {"secret/": KV, "sys/": SYS}}


@pytest.mark.parametrize(
    ("args", "path", "body", "message"),
    [
        (["-version=2", "kv"], "kv", KV2, "kv secrets engine at: kv/"),
        (["kv-v2"], "kv-v2", KV2, "kv secrets engine at: kv-v2/"),
        (
            ["-path=team/a/", "-description=Team A", "kv"],
            "team/a",
            {"type": "kv", "description": "Team A", "options": {}},
            "kv secrets engine at: team/a/",
        ),
        (
            ["-path=transit", "transit"],
            "transit",
            {"type": "transit", "description": "", "options": {}},
            "transit secrets engine at: transit/",
        ),
    ],
)
def test_secrets_enable(
    vault: Any, run: Any, args: list[str], path: str, body: dict[str, Any], message: str
) -> None:
    vault.route("POST", f"/v1/sys/mounts/{path}", 204)
    result = run("secrets", "enable", f"-address={vault.url}", *args)
    assert result.exit_code == 0, result.output
    assert vault.calls() == [("POST", f"/v1/sys/mounts/{path}", body)]
    assert result.stdout == f"Success! Enabled the {message}\n"


def test_secrets_enable_conflict_is_a_client_error(vault: Any, run: Any) -> None:
    vault.route("POST", "/v1/sys/mounts/kv", 400, {"errors": ["path is already in use at kv/"]})
    result = run("secrets", "enable", f"-address={vault.url}", "kv")
    assert result.exit_code == 2
    assert "* path is already in use at kv/" in result.stderr


def test_secrets_disable(vault: Any, run: Any) -> None:
    vault.route("DELETE", "/v1/sys/mounts/team/a", 204)
    result = run("secrets", "disable", f"-address={vault.url}", "/team/a/")
    assert vault.calls() == [("DELETE", "/v1/sys/mounts/team/a", None)]
    assert result.stdout == "Success! Disabled the secrets engine (if it existed) at: team/a/\n"
    assert run("secrets", "disable", f"-address={vault.url}", "/").exit_code == 2


def test_secrets_list(vault: Any, run: Any) -> None:
    vault.route("GET", "/v1/sys/mounts", body=MOUNTS)
    result = run("secrets", "list", f"-address={vault.url}")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Path     Type    Accessor   Description",
        "----     ----    --------   -----------",
        "secret/  kv      kv_1a2b    [bold]kv",  # printed as typed, not as rich markup
        "sys/     system  system_9f  system endpoints",
    ]
    result = run("secrets", "list", f"-address={vault.url}", "-format=json")
    assert json.loads(result.stdout) == {"secret/": KV, "sys/": SYS}


def test_secrets_tune(vault: Any, run: Any) -> None:
    vault.route("POST", "/v1/sys/mounts/secret/tune", 204)
    args = ("-default-lease-ttl=90m", "-max-lease-ttl=768h", "-description=Shared")
    result = run("secrets", "tune", f"-address={vault.url}", *args, "secret/")
    assert result.exit_code == 0
    assert result.stdout == "Success! Tuned the secrets engine at: secret/\n"
    body = {"default_lease_ttl": "1h30m", "max_lease_ttl": "768h", "description": "Shared"}
    assert vault.calls() == [("POST", "/v1/sys/mounts/secret/tune", body)]
    run("secrets", "tune", f"-address={vault.url}", "-max-lease-ttl=3600", "secret")
    assert vault.requests[1].body == {"max_lease_ttl": "1h"}


def test_secrets_tune_usage_errors(vault: Any, run: Any) -> None:
    result = run("secrets", "tune", f"-address={vault.url}", "secret")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: nothing to tune")
    result = run("secrets", "tune", f"-address={vault.url}", "-max-lease-ttl=soon", "secret")
    assert result.exit_code == 2
    assert result.stderr == "Error: -max-lease-ttl: expected a duration such as 1h or 30m\n"
    assert vault.requests == []


def test_auth_enable_disable_list(vault: Any, run: Any) -> None:
    vault.route("POST", "/v1/sys/auth/people", 204)
    vault.route("DELETE", "/v1/sys/auth/people", 204)
    token = {"type": "token", "description": "token based credentials", "accessor": "auth_t_1"}
    vault.route("GET", "/v1/sys/auth", body={"token/": token, "data": {"token/": token}})
    args = ("-path=people", "-description=Staff", f"-address={vault.url}", "userpass")
    enable = run("auth", "enable", *args)
    assert enable.stdout == "Success! Enabled userpass auth method at: people/\n"
    disable = run("auth", "disable", f"-address={vault.url}", "people")
    assert disable.stdout == "Success! Disabled the auth method (if it existed) at: people/\n"
    listing = run("auth", "list", f"-address={vault.url}")
    assert listing.stdout.splitlines()[2] == "token/  token  auth_t_1  token based credentials"
    assert vault.calls() == [
        ("POST", "/v1/sys/auth/people", {"type": "userpass", "description": "Staff"}),
        ("DELETE", "/v1/sys/auth/people", None),
        ("GET", "/v1/sys/auth", None),
    ]


def test_auth_enable_defaults_path_to_type(vault: Any, run: Any) -> None:
    vault.route("POST", "/v1/sys/auth/approle", 204)
    assert run("auth", "enable", f"-address={vault.url}", "approle").exit_code == 0
    assert vault.calls() == [
        ("POST", "/v1/sys/auth/approle", {"type": "approle", "description": ""})
    ]
