"""Layer 1 SQLite backend: the embedded default store of a single node.

Several server worker processes open the same file, so every write transaction starts with
`BEGIN IMMEDIATE` (the cross-process write lock) and allocates versions from the `meta` row
inside it. Durability is WAL with `synchronous=FULL`: a write is acknowledged only after the
commit that contains it has been fsynced.

An fsync takes milliseconds, far too long to hold the event loop. So writes never run on the
loop: they are queued to ONE writer thread that takes everything pending at that moment and
commits it as one transaction (group commit: one fsync for many concurrent callers), then
settles each caller's future with `call_soon_threadsafe`. Each caller's ops run inside their
own SAVEPOINT, so a failed Check rolls back and fails only that caller.

Reads use a second connection straight from the event-loop thread: a WAL read is a page-cache
lookup of microseconds, and each statement starts a fresh read transaction (autocommit, every
cursor fully drained), so a read issued after a write's await returns sees that write.

Lifecycle: `SqliteBackend(path)` opens the file, creates the schema and starts the thread
(blocking; call it via `asyncio.to_thread` from async code, as `open_backend` does);
`await close()` drains queued writes and stops the thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from strongroom.errors import StorageConflict
from strongroom.storage._listing import list_segments
from strongroom.storage._paths import check_ops, check_path, check_value
from strongroom.storage.interface import Check, Delete, Entry, Put

if TYPE_CHECKING:
    from collections.abc import Sequence

    from strongroom.storage.interface import Op

_SCHEMA = (
    (
        "CREATE TABLE IF NOT EXISTS kv (path TEXT PRIMARY KEY, value BLOB NOT NULL,"
        " version INTEGER NOT NULL) WITHOUT ROWID"
    ),
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
    "INSERT OR IGNORE INTO meta (name, value) VALUES ('version', 0)",
)
_UPSERT = (
    "INSERT INTO kv (path, value, version) VALUES (?, ?, ?)"
    " ON CONFLICT (path) DO UPDATE SET value = excluded.value, version = excluded.version"
)
_AFTER_INCLUSIVE = "SELECT path FROM kv WHERE path >= ? ORDER BY path LIMIT ?"
_AFTER_EXCLUSIVE = "SELECT path FROM kv WHERE path > ? ORDER BY path LIMIT ?"
# Other worker processes hold the write lock for one group commit at a time (an fsync or two);
# this only bounds how long a pathological holder can make us wait.
_BUSY_TIMEOUT_S = 15.0
# SQLite's own busy handler backs off to 100 ms sleeps, so a writer that finds the lock taken
# often waits far longer than the holder needs (that was most of the writes' p99). The writer
# polls instead, starting at 0.2 ms and never sleeping more than 2 ms at a time.
_FIRST_POLL_S = 0.0002
_MAX_POLL_S = 0.002


def _connect(path: str) -> sqlite3.Connection:
    # isolation_level=None: no implicit BEGIN, we issue our own. The connection is created here
    # but used by exactly one thread afterwards (the writer, or the event loop for reads).
    conn = sqlite3.connect(
        path, timeout=_BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    conn.execute("PRAGMA synchronous=FULL")
    return conn


def _polling(conn: sqlite3.Connection, statement: str) -> list[tuple[object, ...]]:
    """Run `statement`, polling while another process holds the lock it needs; raises
    sqlite3.OperationalError after _BUSY_TIMEOUT_S. For the statements whose lock SQLite's own
    busy wait does not cover fairly or at all (BEGIN IMMEDIATE; switching the file to WAL)."""
    deadline = time.monotonic() + _BUSY_TIMEOUT_S
    pause = _FIRST_POLL_S
    # Only this statement polls: the rest of the transaction (a COMMIT meeting another
    # process's checkpoint) keeps SQLite's own busy wait.
    conn.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                return conn.execute(statement).fetchall()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, _MAX_POLL_S)
    finally:
        conn.execute(f"PRAGMA busy_timeout={int(_BUSY_TIMEOUT_S * 1000)}")


def _begin_immediate(conn: sqlite3.Connection) -> None:
    """Take the cross-process write lock (BEGIN IMMEDIATE), polling while another holds it."""
    _polling(conn, "BEGIN IMMEDIATE")


def _init_file(conn: sqlite3.Connection) -> None:
    # WAL is a property of the file, so the first process to open it sets it for all; a
    # process opening it at the same moment may find it locked (SQLITE_BUSY, no busy wait).
    mode = _polling(conn, "PRAGMA journal_mode=WAL")[0][0]
    if mode != "wal":
        raise ValueError("sqlite storage file does not support WAL mode")
    _begin_immediate(conn)  # worker processes may race to create the schema
    for statement in _SCHEMA:
        conn.execute(statement)
    conn.execute("COMMIT")


@dataclass(slots=True)
class _Job:
    ops: tuple[Op, ...]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[int]


def _settle(future: asyncio.Future[int], outcome: int | Exception) -> None:
    if future.done():  # the caller was cancelled; the write stands regardless
        return
    if isinstance(outcome, Exception):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)


def _apply(conn: sqlite3.Connection, ops: tuple[Op, ...], version: int) -> tuple[int, int]:
    """Run one caller's ops; returns (last version allocated, version of its last Put or 0)."""
    for op in ops:
        if isinstance(op, Check):
            rows = conn.execute("SELECT version FROM kv WHERE path = ?", (op.path,)).fetchall()
            if (rows[0][0] if rows else 0) != op.version:
                raise StorageConflict(detail="storage check failed")
    last = 0
    for op in ops:
        if isinstance(op, Put):
            version += 1
            conn.execute(_UPSERT, (op.path, op.value, version))
            last = version
        elif isinstance(op, Delete):
            conn.execute("DELETE FROM kv WHERE path = ?", (op.path,))
    return version, last


class SqliteBackend:
    """Storage in one SQLite file, shared safely by several processes."""

    def __init__(self, path: str) -> None:
        if not path or path == ":memory:" or path.startswith("file:"):
            # Reader and writer are two connections; they must meet in one real file.
            raise ValueError("sqlite storage option 'path' must name a file")
        self.path = path  # the node's attempt table lives beside it (core/attempts.py)
        self.commits = 0  # committed group transactions; tests assert batching with it
        self._closed = False
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        writer = _connect(path)
        try:
            _init_file(writer)
            self._reader = _connect(path)
            self._reader.execute("PRAGMA query_only=1")
        except BaseException:
            writer.close()
            raise
        self._writer = writer
        self._thread = threading.Thread(
            target=self._run, name="strongroom-sqlite-writer", daemon=True
        )
        self._thread.start()

    # -- writer thread -------------------------------------------------------------------------

    def _run(self) -> None:
        stop = False
        while not stop:
            jobs: list[_Job] = []
            item = self._queue.get()
            while True:  # take everything already queued: that is the group of this commit
                if item is None:
                    stop = True
                else:
                    jobs.append(item)
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if jobs:
                self._commit(jobs)
        self._writer.close()

    def _commit(self, jobs: list[_Job]) -> None:
        conn = self._writer
        outcomes: list[int | Exception] = []
        try:
            _begin_immediate(conn)
            try:
                ((version,),) = conn.execute(
                    "SELECT value FROM meta WHERE name = 'version'"
                ).fetchall()
                for job in jobs:
                    conn.execute("SAVEPOINT job")
                    try:
                        version, last = _apply(conn, job.ops, version)
                    except Exception as exc:  # noqa: BLE001  handed to that caller alone
                        conn.execute("ROLLBACK TO job")
                        outcomes.append(exc)
                    else:
                        outcomes.append(last)
                    conn.execute("RELEASE job")
                conn.execute("UPDATE meta SET value = ? WHERE name = 'version'", (version,))
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            self.commits += 1
        except Exception as exc:  # noqa: BLE001  nothing of the group was written: all fail
            outcomes = [exc] * len(jobs)
        for job, outcome in zip(jobs, outcomes, strict=True):
            # RuntimeError: that caller's loop is closed and there is no one left to tell.
            with contextlib.suppress(RuntimeError):
                job.loop.call_soon_threadsafe(_settle, job.future, outcome)

    async def _submit(self, ops: tuple[Op, ...]) -> int:
        if self._closed:
            raise RuntimeError("storage backend is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[int] = loop.create_future()
        self._queue.put(_Job(ops, loop, future))
        return await future

    # -- Backend -------------------------------------------------------------------------------

    def _read(self, query: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        # fetchall() runs the statement to completion, ending its read transaction; a
        # half-consumed cursor would pin an old snapshot and hide later commits.
        return self._reader.execute(query, params).fetchall()

    async def get(self, path: str) -> Entry | None:
        rows = self._read("SELECT value, version FROM kv WHERE path = ?", (check_path(path),))
        if not rows:
            return None
        value, version = rows[0]
        return Entry(value, version)

    async def put(self, path: str, value: bytes) -> int:
        return await self._submit((Put(check_path(path), check_value(value)),))

    async def delete(self, path: str) -> None:
        await self._submit((Delete(check_path(path)),))

    async def list(
        self, prefix: str, after: str | None = None, limit: int | None = None
    ) -> list[str]:
        async def fetch(start: str, inclusive: bool, n: int) -> list[str]:
            query = _AFTER_INCLUSIVE if inclusive else _AFTER_EXCLUSIVE
            rows = self._read(query, (start, n))
            return [str(row[0]) for row in rows]

        return await list_segments(fetch, prefix, after, limit)

    async def transact(self, ops: Sequence[Op]) -> None:
        checked = check_ops(ops)
        if checked:
            await self._submit(checked)

    async def close(self) -> None:
        """Commit whatever is queued, stop the writer thread, close both connections."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(None)
        await asyncio.to_thread(self._thread.join)
        self._reader.close()
