"""`strongroom server`: which settings reach `strongroom.server.serve`, and config errors."""

import sys
import types
from pathlib import Path
from typing import Any

import pytest

from strongroom.config import DevOptions, ListenerSettings, dev_settings

CANARY = "pg-Password-Canary-41d7"
URL = f"postgres://strongroom:{CANARY}@db/strongroom"
STORAGE = f'storage "postgresql" {{\n  connection_url = "{URL}"\n}}\n'
CONFIG = STORAGE + 'listener "tcp" {\n  address = "127.0.0.1:8210"\n  tls_disable = true\n}\n'


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Replace strongroom.server with a recorder; each serve() call appends its arguments."""
    calls: list[dict[str, Any]] = []

    def serve(settings: Any, **kwargs: Any) -> int:
        calls.append({"settings": settings, **kwargs})
        return 0

    fake = types.ModuleType("strongroom.server")
    fake.serve = serve  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "strongroom.server", fake)
    return calls


def test_dev_mode(run: Any, served: list[dict[str, Any]]) -> None:
    result = run("server", "-dev")
    assert result.exit_code == 0
    assert served == [
        {
            "settings": dev_settings("127.0.0.1:8200"),
            "workers": None,
            "dev": DevOptions(root_token_id=None),
            "config_paths": [],
        }
    ]


def test_dev_flags(run: Any, served: list[dict[str, Any]]) -> None:
    args = ("-dev", "-dev-root-token-id=root", "-dev-listen-address=127.0.0.1:8300", "-workers=2")
    assert run("server", *args).exit_code == 0
    (call,) = served
    assert call["settings"].listener == ListenerSettings(address="127.0.0.1:8300", tls_disable=True)
    assert call["dev"] == DevOptions(root_token_id="root")
    assert call["workers"] == 2


def test_dev_root_token_from_environment(
    run: Any, served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAULT_DEV_ROOT_TOKEN_ID", "from-env")
    run("server", "-dev")
    assert served[0]["dev"] == DevOptions(root_token_id="from-env")


def test_config_files_and_directories(
    run: Any, served: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "conf.d").mkdir()
    (tmp_path / "base.hcl").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "conf.d" / "ui.json").write_text('{"ui": true}', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("server", "-config=base.hcl", "-config", "conf.d")
    assert result.exit_code == 0, result.output
    (call,) = served
    assert call["settings"].storage.kind == "postgresql"
    assert call["settings"].ui is True
    assert call["dev"] is None
    # Absolute, because the worker processes read the files again themselves.
    assert call["config_paths"] == [tmp_path / "base.hcl", tmp_path / "conf.d"]


def test_exit_code_is_the_servers(run: Any, served: list[dict[str, Any]]) -> None:
    def serve(*_args: Any, **_kwargs: Any) -> int:
        return 3

    sys.modules["strongroom.server"].serve = serve  # type: ignore[attr-defined]
    assert run("server", "-dev").exit_code == 3
    assert served == []


def test_config_error_exits_1_without_the_secret(
    run: Any, served: list[dict[str, Any]], tmp_path: Path
) -> None:
    path = tmp_path / "sr.hcl"
    path.write_text(CONFIG.replace("connection_url", "connection_uri"), encoding="utf-8")
    result = run("server", f"-config={path}")
    assert result.exit_code == 1
    assert result.stderr == f'Error: unknown key "storage.postgresql.connection_uri" in {path}\n'
    assert CANARY not in result.output
    assert served == []


@pytest.mark.parametrize("args", [[], ["-dev", "-config=x.hcl"]], ids=["neither", "both"])
def test_config_or_dev_is_required(run: Any, served: list[dict[str, Any]], args: list[str]) -> None:
    result = run("server", *args)
    assert result.exit_code == 2
    assert result.stderr == "Error: give -config (one or more) or -dev, but not both\n"
    assert served == []
