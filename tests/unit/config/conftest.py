"""Fixtures for the configuration tests: config files written into a temporary directory."""

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """write(name, text) -> path of a file `name` holding `text` in a fresh directory."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(cert, key, ca) files: contents do not matter, the loader only checks they exist."""
    paths = (tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem")
    for path in paths:
        path.write_text("-----BEGIN PLACEHOLDER-----\n", encoding="utf-8")
    return paths
