"""Process hygiene at start (foundation issue): no core dumps, not dumpable.

A core file or a ptrace attach would expose the root key held in memory; `PR_SET_DUMPABLE 0`
also makes `/proc/<pid>/environ` (which carries the keeper secret) readable by root only.
"""

from __future__ import annotations

import ctypes
import resource
import sys

_PR_SET_DUMPABLE = 4


def harden_process() -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
