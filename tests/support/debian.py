"""Debian packages a test needs, installed by the test itself (the brief: the fixture that
needs a package installs it), once per run; a package that cannot be installed skips the test
with the reason, and fails it under CI=true."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from support.inproc import service_missing

_updated: list[bool] = []  # one `apt-get update` per test run, and only if an install needs it


def ensure_package(binary: str, package: str) -> Path:
    """The path of `binary` (a command name or an absolute path), installing `package` first
    when it is absent. Skips (fails under CI=true) when apt-get cannot install it."""
    found = _find(binary)
    if found is not None:
        return found
    apt = shutil.which("apt-get")
    if apt is None:
        service_missing(f"{binary} is missing and there is no apt-get to install {package}")
    env = {"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
    if not _updated:
        subprocess.run([apt, "update", "-q"], check=False, capture_output=True, env=env)
        _updated.append(True)
    done = subprocess.run(
        [apt, "install", "-y", "-q", "--no-install-recommends", package],
        check=False,
        capture_output=True,
        env=env,
    )
    found = _find(binary)
    if found is None:
        tail = done.stderr.decode(errors="replace")[-300:]
        service_missing(f"apt-get could not install {package}: {tail}")
    return found


def _find(binary: str) -> Path | None:
    if binary.startswith("/"):
        return Path(binary) if Path(binary).exists() else None
    found = shutil.which(binary)
    return None if found is None else Path(found)
