"""`strongroom operator rekey`: the sys/rekey/init and sys/rekey/update exchanges."""

import json
from typing import Any

INIT = "/v1/sys/rekey/init"
UPDATE = "/v1/sys/rekey/update"
STARTED = {
    "started": True,
    "nonce": "nonce-1",
    "t": 2,
    "n": 3,
    "progress": 0,
    "required": 3,
    "verification_required": False,
}


def test_init(vault: Any, run: Any) -> None:
    vault.route("PUT", INIT, body=STARTED)
    args = ("-init", "-key-shares=3", "-key-threshold=2", f"-address={vault.url}")
    result = run("operator", "rekey", *args)
    assert result.exit_code == 0
    assert vault.calls() == [("PUT", INIT, {"secret_shares": 3, "secret_threshold": 2})]
    assert result.stdout.splitlines() == [
        "Key                    Value",
        "---                    -----",
        "Nonce                  nonce-1",
        "Started                true",
        "Rekey Progress         0/3",
        "New Shares             3",
        "New Threshold          2",
        "Verification Required  false",
    ]


def test_status_and_cancel(vault: Any, run: Any) -> None:
    vault.route("GET", INIT, body={"started": False, "nonce": ""})
    vault.route("DELETE", INIT, 204)
    result = run("operator", "rekey", "-status", f"-address={vault.url}")
    assert result.stdout.splitlines()[2:] == ["Nonce    n/a", "Started  false"]
    result = run("operator", "rekey", "-cancel", f"-address={vault.url}")
    assert result.stdout == "Success! Canceled rekeying (if it was started)\n"
    run("operator", "rekey", "-cancel", "-nonce=nonce-1", f"-address={vault.url}")
    assert vault.calls()[1:] == [("DELETE", INIT, None), ("DELETE", INIT, {"nonce": "nonce-1"})]


def test_provide_key_with_nonce(vault: Any, run: Any) -> None:
    vault.route("GET", INIT, body=STARTED)
    vault.route("PUT", UPDATE, body=STARTED | {"progress": 1})
    result = run("operator", "rekey", "-nonce=nonce-1", f"-address={vault.url}", "qgE=")
    assert result.exit_code == 0
    assert vault.calls() == [
        ("GET", INIT, None),
        ("PUT", UPDATE, {"key": "qgE=", "nonce": "nonce-1"}),
    ]
    assert "Rekey Progress         1/3" in result.stdout


def test_key_argument_needs_the_nonce_flag(vault: Any, run: Any) -> None:
    vault.route("GET", INIT, body=STARTED)
    result = run("operator", "rekey", f"-address={vault.url}", "qgE=")
    assert result.exit_code == 2
    assert result.stderr == "Error: Missing nonce value: specify it via the -nonce flag\n"
    assert [r.method for r in vault.requests] == ["GET"]


def test_prompted_key_uses_the_current_nonce(vault: Any, run: Any) -> None:
    vault.route("GET", INIT, body=STARTED)
    vault.route("PUT", UPDATE, body=STARTED | {"progress": 2})
    result = run("operator", "rekey", f"-address={vault.url}", stdin="qgI=\n")
    assert result.exit_code == 0
    assert result.stdout.startswith("Rekey operation nonce: nonce-1\nUnseal Key (will be hidden):")
    assert vault.requests[1].body == {"key": "qgI=", "nonce": "nonce-1"}


def test_nothing_in_progress(vault: Any, run: Any) -> None:
    vault.route("GET", INIT, body={"started": False})
    result = run("operator", "rekey", "-nonce=n", f"-address={vault.url}", "qgE=")
    assert result.exit_code == 2
    assert "No rekey is in progress" in result.stderr


def test_completion_prints_the_new_keys(vault: Any, run: Any) -> None:
    vault.route("GET", INIT, body=STARTED | {"progress": 2})
    keys = {"keys": ["01", "02", "03"], "keys_base64": ["AQ==", "Ag==", "Aw=="]}
    done = {"complete": True, "nonce": "nonce-1"} | keys
    vault.route("PUT", UPDATE, body=done)
    result = run("operator", "rekey", "-nonce=nonce-1", f"-address={vault.url}", "qgM=")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:6] == [
        "",
        "Key 1: AQ==",
        "Key 2: Ag==",
        "Key 3: Aw==",
        "",
        "Operation nonce: nonce-1",
    ]
    assert "Vault rekeyed with 3 key shares and a key threshold of 2." in result.stdout
    result = run(
        "operator", "rekey", "-nonce=nonce-1", f"-address={vault.url}", "-format=json", "qgM="
    )
    assert json.loads(result.stdout) == done
