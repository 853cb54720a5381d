"""`strongroom kv ...` against the fake Vault: mount preflight, v1/v2 paths, bodies, output."""

import json
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

PREFLIGHT = "/v1/sys/internal/ui/mounts"
V2 = {"data": {"path": "secret/", "type": "kv", "options": {"version": "2"}}}
V1 = {"data": {"path": "old/", "type": "kv", "options": {}}}
META = {
    "created_time": "2024-01-01T00:00:00Z",
    "custom_metadata": None,
    "deletion_time": "",
    "destroyed": False,
    "version": 3,
}
SECRET = {
    "request_id": "r",
    "data": {"data": {"password": "s3cr3t", "user": "app"}, "metadata": META},
}
TOKEN = "hvs.kvtesttoken"


@pytest.fixture
def extra_verbs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None]]:
    """PATCH and LIST for the shared fake server, recording each request's Content-Type."""
    seen: list[tuple[str, str | None]] = []

    def answer(self: Any) -> None:
        seen.append((self.command, self.headers.get("Content-Type")))
        self._answer()

    monkeypatch.setattr(BaseHTTPRequestHandler, "do_PATCH", answer, raising=False)
    monkeypatch.setattr(BaseHTTPRequestHandler, "do_LIST", answer, raising=False)
    return seen


def kv(vault: Any, run: Any, *args: str, stdin: str | None = None) -> Any:
    return run("kv", *args, f"-address={vault.url}", stdin=stdin)


@pytest.fixture
def mounted(vault: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("VAULT_TOKEN", TOKEN)
    vault.route("GET", f"{PREFLIGHT}/secret/app/db", body=V2)
    vault.route("GET", f"{PREFLIGHT}/secret", body=V2)
    vault.route("GET", f"{PREFLIGHT}/old/app", body=V1)
    return vault


def test_get_v2_by_full_path_prints_metadata_and_data(mounted: Any, run: Any) -> None:
    mounted.route("GET", "/v1/secret/data/app/db", body=SECRET)
    result = kv(mounted, run, "get", "secret/app/db")
    assert result.exit_code == 0, result.output
    assert mounted.calls() == [
        ("GET", f"{PREFLIGHT}/secret/app/db", None),
        ("GET", "/v1/secret/data/app/db", None),
    ]
    assert all(r.token == TOKEN for r in mounted.requests)
    lines = result.stdout.splitlines()
    assert lines[:2] == ["=== Secret Path ===", "secret/data/app/db"]
    assert "======= Metadata =======" in lines
    assert "====== Data ======" in lines
    assert lines[-2:] == ["password  s3cr3t", "user      app"]
    assert "version          3" in lines
    assert TOKEN not in result.output


def test_get_with_mount_version_and_field(mounted: Any, run: Any) -> None:
    mounted.route("GET", "/v1/secret/data/app/db?version=2", body=SECRET)
    result = kv(mounted, run, "get", "-mount=secret", "-version=2", "-field=password", "app/db")
    assert result.exit_code == 0, result.output
    assert result.stdout == "s3cr3t"  # raw, no newline when piped
    assert mounted.calls()[0] == ("GET", f"{PREFLIGHT}/secret", None)


def test_get_json_prints_whole_response(mounted: Any, run: Any) -> None:
    mounted.route("GET", "/v1/secret/data/app/db", body=SECRET)
    result = kv(mounted, run, "get", "-format=json", "secret/app/db")
    assert json.loads(result.stdout) == SECRET


def test_get_missing_exits_2(mounted: Any, run: Any) -> None:
    result = kv(mounted, run, "get", "secret/app/db")
    assert result.exit_code == 2
    assert "No value found at secret/data/app/db" in result.stderr


def test_get_missing_field_exits_1(mounted: Any, run: Any) -> None:
    mounted.route("GET", "/v1/secret/data/app/db", body=SECRET)
    result = kv(mounted, run, "get", "-field=nope", "secret/app/db")
    assert result.exit_code == 1
    assert 'Field "nope" not present' in result.stderr


def test_get_v1_reads_plain_path(mounted: Any, run: Any) -> None:
    mounted.route("GET", "/v1/old/app", body={"data": {"k": "v"}, "lease_duration": 2764800})
    result = kv(mounted, run, "get", "old/app")
    assert result.exit_code == 0, result.output
    assert mounted.calls()[-1] == ("GET", "/v1/old/app", None)
    assert result.stdout.splitlines()[2:] == ["refresh_interval  2764800s", "k                 v"]


def test_put_v2_sends_data_and_cas(mounted: Any, run: Any, tmp_path: Any) -> None:
    (tmp_path / "pw").write_text("from-file")
    mounted.route("PUT", "/v1/secret/data/app/db", body={"data": META})
    result = kv(
        mounted, run, "put", "-cas=0", "secret/app/db", f"pw=@{tmp_path / 'pw'}", "u=-", stdin="in"
    )
    assert result.exit_code == 0, result.output
    body = {"data": {"pw": "from-file", "u": "in"}, "options": {"cas": 0}}
    assert mounted.calls()[-1] == ("PUT", "/v1/secret/data/app/db", body)
    assert "version          3" in result.stdout.splitlines()


def test_put_v1_sends_plain_body(mounted: Any, run: Any) -> None:
    mounted.route("PUT", "/v1/old/app", 204)
    result = kv(mounted, run, "put", "old/app", "a=1", "b=")
    assert result.exit_code == 0, result.output
    assert mounted.calls()[-1] == ("PUT", "/v1/old/app", {"a": "1", "b": ""})
    assert result.stdout == "Success! Data written to: old/app\n"


def test_put_json_from_stdin(mounted: Any, run: Any) -> None:
    mounted.route("PUT", "/v1/secret/data/app/db", body={"data": META})
    result = kv(mounted, run, "put", "-format=json", "secret/app/db", "-", stdin='{"n": 1}')
    assert result.exit_code == 0, result.output
    assert mounted.calls()[-1][2] == {"data": {"n": 1}}
    assert json.loads(result.stdout) == {"data": META}


@pytest.mark.parametrize("args", [[], ["novalue"], ["=x"]])
def test_put_bad_pairs_are_usage_errors(mounted: Any, run: Any, args: list[str]) -> None:
    result = kv(mounted, run, "put", "secret/app/db", *args)
    assert result.exit_code == 2


def test_patch_uses_merge_patch(mounted: Any, run: Any, extra_verbs: Any) -> None:
    mounted.route("PATCH", "/v1/secret/data/app/db", body={"data": META})
    result = kv(mounted, run, "patch", "-mount=secret", "-cas=3", "app/db", "user=new")
    assert result.exit_code == 0, result.output
    assert mounted.calls()[-1] == (
        "PATCH",
        "/v1/secret/data/app/db",
        {"data": {"user": "new"}, "options": {"cas": 3}},
    )
    assert extra_verbs == [("PATCH", "application/merge-patch+json")]
    assert mounted.requests[-1].token == TOKEN


def test_patch_refuses_v1(mounted: Any, run: Any, extra_verbs: Any) -> None:
    result = kv(mounted, run, "patch", "old/app", "a=1")
    assert result.exit_code == 2
    assert "not supported on KV Version 1" in result.stderr
    assert extra_verbs == []


@pytest.mark.parametrize(
    ("args", "call"),
    [
        (["delete", "secret/app/db"], ("DELETE", "/v1/secret/data/app/db", None)),
        (
            ["delete", "-versions=1,2", "secret/app/db"],
            ("PUT", "/v1/secret/delete/app/db", {"versions": [1, 2]}),
        ),
        (["delete", "old/app"], ("DELETE", "/v1/old/app", None)),
        (
            ["undelete", "-versions=2", "secret/app/db"],
            ("PUT", "/v1/secret/undelete/app/db", {"versions": [2]}),
        ),
        (
            ["destroy", "-versions=1,3", "-mount=secret", "app/db"],
            ("PUT", "/v1/secret/destroy/app/db", {"versions": [1, 3]}),
        ),
        (["metadata", "delete", "secret/app/db"], ("DELETE", "/v1/secret/metadata/app/db", None)),
        (
            [
                "metadata",
                "put",
                "-max-versions=5",
                "-cas-required=true",
                "-delete-version-after=1h",
                "-custom-metadata=owner=ops",
                "secret/app/db",
            ],
            (
                "PUT",
                "/v1/secret/metadata/app/db",
                {
                    "max_versions": 5,
                    "cas_required": True,
                    "delete_version_after": "1h",
                    "custom_metadata": {"owner": "ops"},
                },
            ),
        ),
    ],
)
def test_version_and_metadata_writes(
    mounted: Any, run: Any, args: list[str], call: tuple[str, str, Any]
) -> None:
    mounted.route(call[0], call[1], 204)
    result = kv(mounted, run, *args)
    assert result.exit_code == 0, result.output
    assert mounted.calls()[-1] == call
    assert result.stdout.startswith("Success! Data")


@pytest.mark.parametrize(
    "args", [["undelete", "secret/app/db"], ["destroy", "-versions=x", "secret/app/db"]]
)
def test_versions_required(mounted: Any, run: Any, args: list[str]) -> None:
    result = kv(mounted, run, *args)
    assert result.exit_code == 2
    assert [c[0] for c in mounted.calls()] in ([], ["GET"])


def test_list_v2_and_v1(mounted: Any, run: Any, extra_verbs: Any) -> None:
    mounted.route("LIST", "/v1/secret/metadata/app/db", body={"data": {"keys": ["a", "b/"]}})
    mounted.route("LIST", "/v1/old/app", body={"data": {"keys": ["c"]}})
    result = kv(mounted, run, "list", "secret/app/db")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["Keys", "----", "a", "b/"]
    result = kv(mounted, run, "list", "-format=json", "old/app")
    assert json.loads(result.stdout) == ["c"]
    assert [c for c in mounted.calls() if c[0] == "LIST"] == [
        ("LIST", "/v1/secret/metadata/app/db", None),
        ("LIST", "/v1/old/app", None),
    ]
    assert extra_verbs == [("LIST", None), ("LIST", None)]
    missing = kv(mounted, run, "list", "-mount=secret", "nothing")
    assert missing.exit_code == 2
    assert "No value found at secret/metadata/nothing" in missing.stderr


def test_metadata_get(mounted: Any, run: Any) -> None:
    versions = {"10": {"destroyed": False}, "9": {"destroyed": True}}
    body = {"data": {"current_version": 10, "max_versions": 0, "versions": versions}}
    mounted.route("GET", "/v1/secret/metadata/app/db", body=body)
    result = kv(mounted, run, "metadata", "get", "secret/app/db")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == ["==== Metadata Path ====", "secret/metadata/app/db"]
    assert lines.index("==== Version 9 ====") < lines.index("=== Version 10 ===")
    assert "current_version  10" in lines
    field = kv(mounted, run, "metadata", "get", "-field=current_version", "secret/app/db")
    assert field.stdout == "10"


def test_preflight_error_is_reported(vault: Any, run: Any) -> None:
    vault.route("GET", f"{PREFLIGHT}/nope/x", 400, {"errors": ["preflight capability check"]})
    result = kv(vault, run, "get", "nope/x")
    assert result.exit_code == 2
    assert "preflight capability check" in result.stderr


def test_no_preflight_falls_back_to_v1(vault: Any, run: Any) -> None:
    vault.route("GET", "/v1/kv/x", body={"data": {"a": "b"}})
    result = kv(vault, run, "get", "-field=a", "kv/x")
    assert result.stdout == "b"


def test_enable_versioning(vault: Any, run: Any) -> None:
    vault.route("POST", "/v1/sys/mounts/old/tune", 204)
    result = kv(vault, run, "enable-versioning", "old/")
    assert result.exit_code == 0, result.output
    assert vault.calls() == [("POST", "/v1/sys/mounts/old/tune", {"options": {"version": "2"}})]
    assert result.stdout == "Success! Tuned the secrets engine at: old/\n"
