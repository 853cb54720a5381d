"""A second process holding `flock(LOCK_EX)` on a file, as a log shipper or logrotate may."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_HOLD = """
import fcntl, sys, time
held = open(sys.argv[1], "ab")
fcntl.flock(held, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


@contextmanager
def lock_held(path: Path, seconds: float = 5.0) -> Iterator[None]:
    """Hold the lock on `path` from another process while the block runs (and at most
    `seconds`, so that code blocking on the lock is stuck for that long, not forever)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path), str(seconds)], stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == b"locked\n"
        yield
    finally:
        holder.kill()
        holder.communicate()
