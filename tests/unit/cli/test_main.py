"""The entry point: Vault's single-dash flags, `version`, and exit codes of `status`."""

from typing import Any

import pytest

from strongroom import __version__
from strongroom.cli.main import main, rewrite_argv


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["server", "-config=/etc/sr.hcl", "-dev"], ["server", "--config=/etc/sr.hcl", "--dev"]),
        (["operator", "init", "-key-shares", "3"], ["operator", "init", "--key-shares", "3"]),
        (["-address=http://h:1", "-format=json"], ["--address=http://h:1", "--format=json"]),
        (["-dev-root-token-id=a=b"], ["--dev-root-token-id=a=b"]),
        (["--address=x", "--dev"], ["--address=x", "--dev"]),  # already long
        (["-h", "-", "-5", "-x=1"], ["-h", "-", "-5", "-x=1"]),  # short flag, stdin, numbers
        (["secrets", "--", "-path"], ["secrets", "--", "-path"]),  # nothing after --
        (["unseal", "abc-def"], ["unseal", "abc-def"]),
    ],
)
def test_rewrite_argv(argv: list[str], expected: list[str]) -> None:
    assert rewrite_argv(argv) == expected


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"Strongroom v{__version__}\n"


def test_main_rewrites_single_dash_flags(vault: Any, capsys: pytest.CaptureFixture[str]) -> None:
    vault.route("GET", "/v1/sys/seal-status", body={"sealed": False, "type": "shamir"})
    with pytest.raises(SystemExit) as exited:
        main(["status", f"-address={vault.url}", "-format=json"])
    assert exited.value.code == 0
    assert '"type": "shamir"' in capsys.readouterr().out


def test_unknown_flag_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["status", "-no-such-flag"])
    assert exited.value.code == 2
    assert "--no-such-flag" in capsys.readouterr().err


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    assert "operator" in capsys.readouterr().out
