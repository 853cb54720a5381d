"""`strongroom read|write|list|delete` against the fake Vault: any path, bodies and output."""

import json
from typing import Any

import pytest

TOKEN = "hvs.generictoken"


@pytest.fixture(autouse=True)
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAULT_TOKEN", TOKEN)


def test_read_table_json_and_field(listing: Any, run: Any) -> None:
    body = {"lease_id": "", "lease_duration": 60, "data": {"b": [1, 2], "a": "x\ny"}}
    listing.route("GET", "/v1/cubbyhole/app", body=body)
    table = run("read", f"-address={listing.url}", "cubbyhole/app/")
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines() == [
        "Key               Value",
        "---               -----",
        "refresh_interval  60s",
        "a                 x",
        "                  y",
        "b                 1, 2",
    ]
    assert (
        json.loads(run("read", f"-address={listing.url}", "-format=json", "cubbyhole/app").stdout)
        == body
    )
    field = run("read", f"-address={listing.url}", "-field=a", "cubbyhole/app")
    assert field.stdout == "x\ny"
    assert {r.token for r in listing.requests} == {TOKEN}
    assert TOKEN not in table.output + field.output


def test_read_missing_exits_2(listing: Any, run: Any) -> None:
    result = run("read", f"-address={listing.url}", "secret/nope")
    assert result.exit_code == 2
    assert "No value found at secret/nope" in result.stderr


def test_write_pairs_and_response(listing: Any, run: Any, tmp_path: Any) -> None:
    (tmp_path / "pt").write_text("aGk=")
    answer = {"data": {"ciphertext": "vault:v1:abc"}}
    listing.route("PUT", "/v1/transit/encrypt/k", body=answer)
    url = f"-address={listing.url}"
    result = run(
        "write", url, "-field=ciphertext", "transit/encrypt/k", f"plaintext=@{tmp_path / 'pt'}"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "vault:v1:abc"
    assert listing.calls() == [("PUT", "/v1/transit/encrypt/k", {"plaintext": "aGk="})]


def test_write_stdin_json_and_success_line(listing: Any, run: Any) -> None:
    listing.route("PUT", "/v1/sys/policy/p", 204)
    result = run("write", f"-address={listing.url}", "sys/policy/p", "-", stdin='{"policy": "x"}')
    assert result.exit_code == 0, result.output
    assert listing.calls() == [("PUT", "/v1/sys/policy/p", {"policy": "x"})]
    assert result.stdout == "Success! Data written to: sys/policy/p\n"


@pytest.mark.parametrize("stdin", ["[1]", "not json"])
def test_write_stdin_must_be_object(listing: Any, run: Any, stdin: str) -> None:
    result = run("write", f"-address={listing.url}", "sys/policy/p", "-", stdin=stdin)
    assert result.exit_code == 2
    assert listing.calls() == []


def test_write_api_error_exits_2(listing: Any, run: Any) -> None:
    listing.route("PUT", "/v1/secret/x", 403, {"errors": ["permission denied"]})
    result = run("write", f"-address={listing.url}", "secret/x", "a=b", "a=c")
    assert result.exit_code == 2
    assert "* permission denied" in result.stderr
    assert listing.calls() == [("PUT", "/v1/secret/x", {"a": ["b", "c"]})]


def test_list_and_delete(listing: Any, run: Any) -> None:
    listing.route("LIST", "/v1/secret/metadata", body={"data": {"keys": ["a", "b/"]}})
    listing.route("DELETE", "/v1/secret/data/a", 204)
    listed = run("list", f"-address={listing.url}", "secret/metadata/")
    assert listed.stdout.splitlines() == ["Keys", "----", "a", "b/"]
    deleted = run("delete", f"-address={listing.url}", "secret/data/a")
    assert deleted.stdout == "Success! Data deleted (if it existed) at: secret/data/a\n"
    assert listing.calls() == [
        ("LIST", "/v1/secret/metadata", None),
        ("DELETE", "/v1/secret/data/a", None),
    ]
    missing = run("list", f"-address={listing.url}", "empty")
    assert missing.exit_code == 2


def test_unreachable_does_not_quote_token(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAULT_TOKEN", TOKEN)
    result = run("read", "-address=http://127.0.0.1:9", "secret/x")
    assert result.exit_code == 1
    assert TOKEN not in result.output
