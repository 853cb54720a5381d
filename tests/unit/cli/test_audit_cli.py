"""`strongroom audit verify`: exit 0 for a clean log, 1 with the broken line, 2 for usage
errors; keys given as base64 or key_id=base64, with Vault's single-dash flags."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import Result

from strongroom.audit import FileSink, Signer
from strongroom.cli import audit as audit_cli

Run = Callable[..., Result]  # the `run` fixture of conftest.py
SIGNER = Signer("audit-key-1", Ed25519PrivateKey.generate())
PUBLIC = base64.b64encode(
    SIGNER.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
).decode()


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "audit.log"

    async def write() -> None:
        sink = FileSink(str(path), signer=SIGNER, checkpoint_every=10)
        for number in range(30):
            await sink.write({"time": "t", "type": "request", "request": {"id": str(number)}})
        await sink.close()

    asyncio.run(write())
    return path


def test_a_clean_log_exits_0(run: Run, log: Path) -> None:
    result = run("audit", "verify", str(log), f"-public-key={PUBLIC}")
    assert result.exit_code == 0, result.output
    assert f"OK: {log}: 34 entries, 3 checkpoints" in result.output
    assert "3 entries after the last signed checkpoint are unverified" in result.output


def test_named_keys_and_no_keys(run: Run, log: Path) -> None:
    named = run("audit", "verify", str(log), "--public-key", f"{SIGNER.key_id}={PUBLIC}")
    assert named.exit_code == 0, named.output
    unsigned = run("audit", "verify", str(log))
    assert unsigned.exit_code == 0
    assert "signatures were not checked" in unsigned.output


def test_a_tampered_log_exits_1_with_the_line(run: Run, log: Path) -> None:
    lines = log.read_bytes().splitlines(keepends=True)
    del lines[6]
    log.write_bytes(b"".join(lines))
    result = run("audit", "verify", str(log), f"-public-key={PUBLIC}")
    assert result.exit_code == 1
    assert f"TAMPERED: {log}: line 7: sequence gap" in result.output


def test_the_wrong_key_exits_1(run: Run, log: Path) -> None:
    other = Ed25519PrivateKey.generate().public_key()
    raw = other.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    result = run("audit", "verify", str(log), f"-public-key={base64.b64encode(raw).decode()}")
    assert result.exit_code == 1
    assert "line 11: bad signature" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("audit", "verify", "/nonexistent/audit.log"),
        ("audit", "verify", "LOG", "-public-key=not-base64!"),
        ("audit", "verify", "LOG", "-public-key=k=AAAA"),  # base64, but not 32 bytes
        ("audit", "verify", "LOG", f"-public-key={PUBLIC}", f"-public-key={PUBLIC}"),
        ("audit", "verify"),
    ],
)
def test_usage_errors_exit_2(run: Run, log: Path, args: tuple[str, ...]) -> None:
    result: Result = run(*(str(log) if a == "LOG" else a for a in args))
    assert result.exit_code == 2, result.output


def test_a_directory_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    result = run("audit", "verify", str(tmp_path))
    assert result.exit_code == 2
    assert "cannot read" in result.output


def test_large_files_show_progress(run: Run, log: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_cli, "_PROGRESS_ABOVE", 100)
    result = run("audit", "verify", str(log), f"-public-key={PUBLIC}")
    assert result.exit_code == 0, result.output
    assert "34 entries" in result.output
