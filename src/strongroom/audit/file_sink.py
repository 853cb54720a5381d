"""Audit layer, the `file` device: one hash chain per file, appended by every worker process.

Each write is a few synchronous syscalls (fast on a local file, so no thread hop): take
`flock(LOCK_EX | LOCK_NB)` on the file; if the path now names another file (rotated away or
deleted), read the old file's last line under its lock and reopen; if the size is not what this
process left, another worker wrote since, so re-read the last complete line and continue the
chain from its `seq` and hash; then append every line of the entry (and a due checkpoint) with one
`os.write` on an `O_APPEND` descriptor. A failed or short write is cut back off the file
(`ftruncate` to the size before it) and the chain rolled back, so a failure leaves no torn line.

Rotation: the path is looked at once a second (`rotation_check`), and at once when the open file
turns out to be deleted (its link count, from the `fstat` every write does anyway). A chain
never spans files. The first line of a new or emptied file is
`{"type": "chain_start", ..., "previous_file_hash": h, "seq": 1, "prev_hash": "000…"}`, where
`h` is the hash of the previous file's last line: exact after a rename or delete (logrotate's
default `create`), this process's last known line after a truncation (`copytruncate`, which
loses lines by design), and null for a first file. A torn last line (a writer killed mid-write,
which one `write` of a few KiB makes unlikely) is ended with a newline and left for `audit
verify` to report; the chain continues from the last complete line.

Nothing waits without bound (DESIGN.md invariant 12): while another process holds the lock (a
worker mid-append for microseconds, a log shipper or logrotate for seconds), the write polls for
it, yielding to the event loop, and gives up with TimeoutError after `write_timeout`; `fsync`
runs on a thread under the same deadline, after the lock is released (a failed fsync fails the
write but leaves its line, which may not be durable, in the chain); the descriptor is
non-blocking, so a FIFO nobody reads fails the write instead of stalling the worker.

`path == "stdout"` (or `stdout=True`) writes to file descriptor 1 with a per-process chain that
carries a `chain` id, since every worker shares the stream without a lock.
"""

from __future__ import annotations

import asyncio
import errno
import fcntl
import itertools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import msgspec

from strongroom.audit.chain import Signer, line_hash
from strongroom.audit.sinks import SinkChain, new_chain_id

__all__ = ["FileSink"]

# Reading backwards for the last line: a first read of a few KiB holds a typical entry (another
# worker's line is read before almost every write, so 64 KiB each time cost more than the write),
# then the window doubles up to _MAX_CHUNK for the rare huge entry.
_FIRST_CHUNK = 4096
_MAX_CHUNK = 1 << 20
# O_NONBLOCK does nothing to a regular file; a FIFO whose reader stalls fails the write instead
# of blocking the worker's event loop.
_FLAGS = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NONBLOCK
# Waiting for the lock: another worker's append holds it for tens of microseconds, so the first
# retries only yield to the event loop; a holder still there after them is a log shipper or
# logrotate, polled at a growing interval (up to _MAX_PAUSE s) until `write_timeout` runs out.
# One task per process polls; the others queue behind it (`_turn`).
_QUICK_TRIES = 200
_FIRST_PAUSE = 0.0005
_MAX_PAUSE = 0.005


class _Tail(msgspec.Struct):
    seq: int
    type: str = ""


_decode_tail = msgspec.json.Decoder(_Tail).decode


class FileSink:
    """Appends chained JSON lines to `path`. `mode` is applied with chmod unless 0 (Vault's
    "0000": leave the mode alone); `fsync=True` syncs each write to disk. A write that waits
    (for the lock, for fsync) longer than `write_timeout` seconds raises TimeoutError."""

    def __init__(  # noqa: PLR0913 - keyword-only device options
        self,
        path: str,
        *,
        mode: int = 0o600,
        prefix: str = "",
        signer: Signer | None = None,
        checkpoint_every: int = 1000,
        clock: Callable[[], float] = time.time,
        fsync: bool = False,
        stdout: bool = False,
        rotation_check: float = 1.0,
        write_timeout: float = 2.0,
    ) -> None:
        if not write_timeout > 0:
            raise ValueError("write_timeout must be positive")
        self._timeout = write_timeout
        self._turn = asyncio.Lock()  # the task of this process waiting for the file, if any
        self._stdout = stdout or path == "stdout"
        self._clock = clock
        # A rename (logrotate's `create`) is noticed at the next look at the path, at most this
        # many seconds later; a stat per entry would cost more than the rest of the write.
        self._rotation_check = rotation_check
        self._next_rotation_check = 0.0
        self.chain = SinkChain(
            signer=signer,
            checkpoint_every=checkpoint_every,
            clock=clock,
            chain_id=new_chain_id() if self._stdout else None,
        )
        self._path = Path(path)
        self._mode = mode
        self._prefix = prefix.encode()
        self._fsync = fsync and not self._stdout  # a pipe or terminal cannot be synced
        self._size = -1  # file size after this process's last write; -1: re-read the tail
        self._inode = (0, 0)  # (st_dev, st_ino) of the open file
        self._fd: int | None = 1 if self._stdout else self._open()

    # write() bounds its own waits by `write_timeout`, and when there is nothing to wait for it
    # never suspends: the broker awaits it directly, without a task or a timer per entry.
    times_itself = True

    async def write(self, entry: dict[str, Any]) -> None:
        await self._append(lambda: self.chain.entry_lines(entry))

    async def checkpoint(self) -> None:
        await self._append(self.chain.checkpoint_lines)

    async def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None and not self._stdout:
            os.close(fd)

    # -- the write path ---------------------------------------------------------------------

    async def _append(self, make: Callable[[], list[bytes]]) -> None:
        fd = self._fd
        if fd is None:
            raise OSError(errno.EBADF, "audit device is closed")
        if self._stdout:
            self._emit(fd, 0, make, truncate=False)
            return
        # The hot path: no rotation check due, the lock free, no fsync: nothing to wait for.
        if (
            not self._fsync
            and self._clock() < self._next_rotation_check
            and _try_lock(fd)
            and self._append_and_unlock(fd, make)
        ):
            return
        async with asyncio.timeout(self._timeout), self._turn:
            await self._append_waiting(make)

    async def _append_waiting(self, make: Callable[[], list[bytes]]) -> None:
        while True:
            if self._clock() >= self._next_rotation_check:
                await self._follow_rotation()
            fd = await self._lock()
            if self._append_and_unlock(fd, make):
                break
        if self._fsync:  # on a thread, so the deadline holds; outside the lock, on a copy of
            # the descriptor that a rotation followed meanwhile cannot close under it
            await asyncio.to_thread(_fsync_and_close, os.dup(fd))

    def _append_and_unlock(self, fd: int, make: Callable[[], list[bytes]]) -> bool:
        """With `fd` locked: append, then unlock. False, with nothing written, when the file
        has been deleted: the next rotation check is then due at once."""
        try:
            opened = os.fstat(fd)
            if opened.st_nlink == 0:  # follow at once, or every line would be lost
                self._next_rotation_check = 0.0
                return False
            size = opened.st_size
            head = self._resume(fd, size) if size != self._size else b""
            self._size = self._emit(fd, size, make, head=head)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
        return True

    async def _lock(self) -> int:
        """Lock the open file and return its descriptor; the caller's timeout ends the wait.

        A blocking flock would stall the worker's whole event loop (health checks included) for
        as long as another process holds the lock; trying without blocking and yielding in
        between lets the loop serve other requests meanwhile. (Within one process there is no
        race: an append never yields while it holds the lock.)
        """
        pauses = _pauses()
        while True:
            fd = self._fd  # re-read: another task of this worker may have followed a rotation
            if fd is None:
                raise OSError(errno.EBADF, "audit device is closed")
            if _try_lock(fd):
                return fd
            await asyncio.sleep(next(pauses))

    def _emit(
        self,
        fd: int,
        size: int,
        make: Callable[[], list[bytes]],
        *,
        head: bytes = b"",
        truncate: bool = True,
    ) -> int:
        saved = self.chain.snapshot()
        try:
            lines = make()
            if not lines:
                return size
            data = head + b"".join(self._prefix + line + b"\n" for line in lines)
            _write_all(fd, data)
        except BaseException:
            self.chain.restore(saved)
            self._size = -1
            if truncate:
                with suppress(OSError):  # a device such as /dev/full cannot be truncated
                    os.ftruncate(fd, size)
            raise
        return size + len(data)

    # -- following other writers and rotation -------------------------------------------------

    def _open(self) -> int:
        fd = os.open(self._path, _FLAGS, self._mode or 0o600)
        try:
            if self._mode:
                os.fchmod(fd, self._mode)
            opened = os.fstat(fd)
        except OSError:
            os.close(fd)
            raise
        self._inode = (opened.st_dev, opened.st_ino)
        return fd

    def _rotated(self) -> bool:
        """Whether the path names another file than the open one, or none."""
        try:
            current = self._path.stat()
        except FileNotFoundError:
            return True
        return (current.st_dev, current.st_ino) != self._inode

    async def _follow_rotation(self) -> None:
        if self._rotated():
            await self._reopen()
        self._next_rotation_check = self._clock() + self._rotation_check

    async def _reopen(self) -> None:
        """Write to the file the path names from now on; the chain first catches up with the
        old file's last line, which chain_start names."""
        old = await self._lock()
        try:
            if not self._rotated():  # another task of this worker followed while we waited
                return
            size = os.fstat(old).st_size
            if size != self._size:
                self._resume(old, size)
            fd = self._open()
        finally:
            fcntl.flock(old, fcntl.LOCK_UN)
        os.close(old)
        self._fd, self._size = fd, -1

    def _resume(self, fd: int, size: int) -> bytes:
        """Catch the chain up with the file's last complete line; returns b"\\n" when a torn
        line must be ended before the next line is appended."""
        if size == 0:
            known = self.chain.state.seq > 0
            self.chain.restart(self.chain.state.prev if known else None)
            return b""
        last, torn = _last_line(fd, size)
        tail = self._parse(last)
        if tail is None:
            self.chain.restart(None)  # not a chain we can continue: `verify` reports why
        else:
            seq, prev, kind = tail
            self.chain.resume(seq, prev, at_checkpoint=kind == "checkpoint")
        return b"\n" if torn else b""

    def _parse(self, line: bytes | None) -> tuple[int, str, str] | None:
        if line is None or not line.startswith(self._prefix):
            return None
        body = line[len(self._prefix) :]
        try:
            tail = _decode_tail(body)
        except (msgspec.DecodeError, UnicodeDecodeError):
            return None
        return tail.seq, line_hash(body), tail.type


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _pauses() -> Iterator[float]:
    """Seconds to sleep between tries for the lock: see _QUICK_TRIES."""
    yield from itertools.repeat(0.0, _QUICK_TRIES)
    pause = _FIRST_PAUSE
    while True:
        yield pause
        pause = min(pause * 2, _MAX_PAUSE)


def _fsync_and_close(fd: int) -> None:
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    if os.write(fd, data) != len(data):
        raise OSError(errno.ENOSPC, "short write to the audit file")


def _last_line(fd: int, size: int) -> tuple[bytes | None, bool]:
    """The last newline-terminated line of the file (without its newline), and whether bytes
    without a newline follow it."""
    torn = os.pread(fd, 1, size - 1) != b"\n"
    end = size if torn else size - 1  # the newline ending the last complete line, or EOF
    if torn:
        cut = _rfind_newline(fd, size)
        if cut < 0:
            return None, True
        end = cut
    start = _rfind_newline(fd, end) + 1
    return os.pread(fd, end - start, start), torn


def _rfind_newline(fd: int, end: int) -> int:
    """Offset of the last b"\\n" before `end`, or -1."""
    chunk = _FIRST_CHUNK
    while end > 0:
        start = max(0, end - chunk)
        found = os.pread(fd, end - start, start).rfind(b"\n")
        if found >= 0:
            return start + found
        end = start
        chunk = min(chunk * 2, _MAX_CHUNK)
    return -1
