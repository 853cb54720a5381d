"""Functional tests: the real `strongroom server` process, driven over HTTP by hvac."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.procs import SQLITE_CONFIG, RunningServer, start_server, stop


@pytest.fixture
def sqlite_server(tmp_path: Path) -> Iterator[RunningServer]:
    server = start_server(tmp_path, SQLITE_CONFIG.replace("DBPATH", str(tmp_path / "sr.db")))
    yield server
    stop(server)
