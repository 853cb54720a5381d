"""Audit layer, the `file` device: one hash chain per file, appended by every worker process.

Each write is a few synchronous syscalls (fast on a local file, so no thread hop): take
`flock(LOCK_EX)` on the file; if the path now names another file (rotated away or deleted),
read the old file's last line under its lock and reopen; if the size is not what this process
left, another worker wrote since, so re-read the last complete line and continue the chain from
its `seq` and hash; then append every line of the entry (and a due checkpoint) with one
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

`path == "stdout"` (or `stdout=True`) writes to file descriptor 1 with a per-process chain that
carries a `chain` id, since every worker shares the stream without a lock.
"""

from __future__ import annotations

import asyncio
import errno
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
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
_LOCK_TRIES = 200  # yields to the event loop before falling back to a blocking flock
_MAX_CHUNK = 1 << 20
_FLAGS = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC


class _Tail(msgspec.Struct):
    seq: int
    type: str = ""


_decode_tail = msgspec.json.Decoder(_Tail).decode


class FileSink:
    """Appends chained JSON lines to `path`. `mode` is applied with chmod unless 0 (Vault's
    "0000": leave the mode alone); `fsync=True` syncs each write to disk."""

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
    ) -> None:
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

    # write() never blocks on anything but the file: the broker awaits it directly, no task or
    # timer. It yields only while another worker holds the file's lock (see `_acquire`).
    blocking = True

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
        if self._fd is None:
            raise OSError(errno.EBADF, "audit device is closed")
        if self._stdout:
            self._emit(self._fd, 0, make, truncate=False)
            return
        now = self._clock()
        if now >= self._next_rotation_check:
            self._follow_rotation(self._fd)
            self._next_rotation_check = now + self._rotation_check
        fd = await self._acquire()
        try:
            opened = os.fstat(fd)
            if opened.st_nlink == 0:  # deleted: follow at once, or every line would be lost
                fcntl.flock(fd, fcntl.LOCK_UN)
                fd = self._follow_rotation(fd)
                fcntl.flock(fd, fcntl.LOCK_EX)
                opened = os.fstat(fd)
            size = opened.st_size
            head = self._resume(fd, size) if size != self._size else b""
            self._size = self._emit(fd, size, make, head=head)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    async def _acquire(self) -> int:
        """Lock the file for an append and return its descriptor.

        Another worker's append holds the lock for tens of microseconds. Waiting for it with a
        blocking flock would stall this worker's whole event loop; trying without blocking and
        yielding in between lets the loop serve other requests meanwhile. (Within one process
        there is no race: an append never yields while it holds the lock.)
        """
        for _ in range(_LOCK_TRIES):
            fd = self._fd  # re-read: another task of this worker may have followed a rotation
            if fd is None:
                raise OSError(errno.EBADF, "audit device is closed")
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                await asyncio.sleep(0)
            else:
                return fd
        fd = self._fd
        if fd is None:
            raise OSError(errno.EBADF, "audit device is closed")
        fcntl.flock(fd, fcntl.LOCK_EX)  # a holder this slow: just wait
        return fd

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
            if self._fsync:
                os.fsync(fd)
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

    @contextmanager
    def _locked(self, fd: int) -> Iterator[int]:
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield fd
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def _follow_rotation(self, old: int) -> int:
        """The descriptor to write to: `old`, or a new one when the path names another file;
        the chain first catches up with the old file's last line, which chain_start names."""
        try:
            current = self._path.stat()
        except FileNotFoundError:
            current = None
        if current is not None and (current.st_dev, current.st_ino) == self._inode:
            return old
        with self._locked(old):
            size = os.fstat(old).st_size
            if size != self._size:
                self._resume(old, size)
        fd = self._open()
        os.close(old)
        self._fd, self._size = fd, -1
        return fd

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
