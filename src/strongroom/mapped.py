"""A file every process of one host maps to share a small table (or an anonymous mapping private
to the process), and the POSIX record locks that guard its parts: what the node-wide rate
limiter (`core/quotas/limiter.py`) and the attempt counts (`core/attempts.py`) are built on.

A record lock (`fcntl.lockf`) on a byte range is two system calls and no round trip, and a
process that dies holding one loses it with the process, so nothing can wedge.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import weakref


class MappedFile:
    """`size` bytes shared by every process that maps `path` (all zero when new); private to
    this process when `path` is None, where the event loop already serialises every change."""

    def __init__(self, path: str | None, size: int) -> None:
        self.fd = -1
        if path is None:
            self.map = mmap.mmap(-1, size)
            return
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        # A table nobody closes (a Core dropped by a test) gives its descriptor back with it.
        self._closer = weakref.finalize(self, os.close, self.fd)
        try:
            if os.fstat(self.fd).st_size < size:
                os.ftruncate(self.fd, size)  # zero-filled; racing processes agree on the size
            self.map = mmap.mmap(self.fd, size)
        except BaseException:
            self._closer()
            raise

    def close(self) -> None:
        self.map.close()
        if self.fd >= 0:
            self._closer()
            self.fd = -1

    def lock(self, start: int, length: int, operation: int) -> None:
        """Take (`fcntl.LOCK_EX`) or drop (`fcntl.LOCK_UN`) the record lock on a byte range (a
        private mapping needs none)."""
        if self.fd >= 0:
            fcntl.lockf(self.fd, operation, length, start, os.SEEK_SET)
