"""`strongroom blueprint …` against the fake Vault: the requests it sends, what it prints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from strongroom.cli.main import app

HCL = 'mount "secret" {\n  type = "kv"\n}\n'
DATA = {"name": "team", "blueprint": {"mounts": []}, "source": HCL}


@pytest.fixture
def blueprints(monkeypatch: pytest.MonkeyPatch, listing: Any) -> Any:
    monkeypatch.setenv("VAULT_TOKEN", "hvs.blueprintcli")
    return listing


def test_write_from_a_file(blueprints: Any, run: Any, tmp_path: Path) -> None:
    (tmp_path / "team.hcl").write_text(HCL)
    blueprints.route("PUT", "/v1/sys/blueprints/team", 204)
    result = run(
        "blueprint", "write", f"-address={blueprints.url}", "team", str(tmp_path / "team.hcl")
    )
    assert result.exit_code == 0, result.output
    assert blueprints.calls() == [("PUT", "/v1/sys/blueprints/team", {"blueprint": HCL})]
    assert result.stdout == "Success! Uploaded blueprint: team\n"
    assert blueprints.requests[0].token == "hvs.blueprintcli"


def test_write_from_stdin(blueprints: Any, run: Any) -> None:
    blueprints.route("PUT", "/v1/sys/blueprints/team", 204)
    result = run("blueprint", "write", f"-address={blueprints.url}", "team", "-", stdin="{}")
    assert result.exit_code == 0, result.output
    assert blueprints.calls() == [("PUT", "/v1/sys/blueprints/team", {"blueprint": "{}"})]


def test_write_shows_the_servers_reason(blueprints: Any, run: Any) -> None:
    reason = 'invalid blueprint: mounts["secret/"].type: must be one of approle, kv'
    blueprints.route("PUT", "/v1/sys/blueprints/team", 400, {"errors": [reason]})
    result = run("blueprint", "write", f"-address={blueprints.url}", "team", "-", stdin=HCL)
    assert result.exit_code == 2
    assert reason in result.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "said"),
    [
        (("team", "/no/such/file"), None, "cannot read /no/such/file"),
        (("team", "-"), "  \n", "the blueprint is empty"),
        (("a/b", "-"), "{}", "a blueprint name is required"),
    ],
)
def test_write_usage_errors(
    blueprints: Any, run: Any, args: tuple[str, ...], stdin: str | None, said: str
) -> None:
    result = run("blueprint", "write", f"-address={blueprints.url}", *args, stdin=stdin)
    assert result.exit_code == 2
    assert said in result.stderr
    assert blueprints.calls() == []


def test_write_refuses_binary(blueprints: Any, run: Any, tmp_path: Path) -> None:
    (tmp_path / "bin").write_bytes(b"\xff\xfe")
    result = run("blueprint", "write", f"-address={blueprints.url}", "x", str(tmp_path / "bin"))
    assert result.exit_code == 2
    assert "not UTF-8 text" in result.stderr


def test_read_prints_the_source(blueprints: Any, run: Any) -> None:
    blueprints.route("GET", "/v1/sys/blueprints/team", body={"data": DATA})
    result = run("blueprint", "read", f"-address={blueprints.url}", "team")
    assert result.exit_code == 0, result.output
    assert result.stdout == HCL


def test_read_canonical_and_json(blueprints: Any, run: Any) -> None:
    blueprints.route("GET", "/v1/sys/blueprints/team", body={"data": DATA})
    canonical = run("blueprint", "read", f"-address={blueprints.url}", "-canonical", "team")
    assert json.loads(canonical.stdout) == {"mounts": []}
    whole = run("blueprint", "read", f"-address={blueprints.url}", "-format=json", "team")
    assert json.loads(whole.stdout) == {"data": DATA}


def test_read_missing(blueprints: Any, run: Any) -> None:
    result = run("blueprint", "read", f"-address={blueprints.url}", "nope")
    assert result.exit_code == 2
    assert "No blueprint named nope" in result.stderr


def test_list_and_delete(blueprints: Any, run: Any) -> None:
    blueprints.route("LIST", "/v1/sys/blueprints", body={"data": {"keys": ["default", "team"]}})
    blueprints.route("DELETE", "/v1/sys/blueprints/team", 204)
    listed = run("blueprint", "list", f"-address={blueprints.url}")
    assert listed.stdout.split() == ["Keys", "----", "default", "team"]
    as_json = run("blueprint", "list", f"-address={blueprints.url}", "-format=json")
    assert json.loads(as_json.stdout) == ["default", "team"]
    deleted = run("blueprint", "delete", f"-address={blueprints.url}", "team")
    assert deleted.stdout == "Success! Deleted blueprint: team\n"
    assert [c[:2] for c in blueprints.calls()] == [
        ("LIST", "/v1/sys/blueprints"),
        ("LIST", "/v1/sys/blueprints"),
        ("DELETE", "/v1/sys/blueprints/team"),
    ]


def test_registered_in_the_main_app() -> None:
    names = {group.name for group in app.registered_groups}
    assert "blueprint" in names
