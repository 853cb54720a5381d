"""SQLite specifics of layer 1 that the shared conformance suite cannot see: group commit off
the event loop, per-caller failure inside a group, seek-based listing, and the file lifecycle.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from typing import TYPE_CHECKING, Any

import pytest

from strongroom.errors import StorageConflict
from strongroom.storage import Check, Put, SqliteBackend
from strongroom.storage import sqlite as sqlite_module

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path


@pytest.fixture
async def backend(tmp_path: Path) -> AsyncIterator[SqliteBackend]:
    opened = SqliteBackend(str(tmp_path / "kv.db"))
    try:
        yield opened
    finally:
        await opened.close()


async def test_concurrent_puts_are_group_committed(backend: SqliteBackend) -> None:
    before = backend.commits
    versions = await asyncio.gather(*(backend.put(f"g/{i:02d}", b"v") for i in range(50)))
    assert len(set(versions)) == 50
    assert backend.commits - before < 25  # one transaction per put would be 50


async def test_commits_run_on_the_writer_thread(
    backend: SqliteBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[int] = []
    commit = backend._commit

    def spy(jobs: Any) -> None:
        threads.append(threading.get_ident())
        commit(jobs)

    monkeypatch.setattr(backend, "_commit", spy)
    await backend.put("k", b"v")
    assert threads
    assert threading.get_ident() not in threads  # the event loop's thread never fsyncs


async def test_a_failed_check_fails_only_its_caller(backend: SqliteBackend) -> None:
    taken = await backend.put("taken", b"x")

    async def attempt(i: int) -> None:
        guard = Check("taken", taken) if i % 2 else Check("taken", 0)
        await backend.transact([guard, Put(f"r/{i:02d}", b"%d" % i)])

    before = backend.commits
    results = await asyncio.gather(*(attempt(i) for i in range(30)), return_exceptions=True)
    assert backend.commits - before < 15  # the attempts really did share transactions
    for i, result in enumerate(results):
        entry = await backend.get(f"r/{i:02d}")
        if i % 2:
            assert result is None
            assert entry is not None
        else:
            assert isinstance(result, StorageConflict)
            assert entry is None


async def test_an_unexpected_error_fails_only_its_caller(
    backend: SqliteBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    apply = sqlite_module._apply

    def faulty(conn: sqlite3.Connection, ops: Any, version: int) -> tuple[int, int]:
        result = apply(conn, ops, version)  # write first, so the rollback has work to undo
        if ops[0].path == "bad":
            raise sqlite3.OperationalError("planted")
        return result

    monkeypatch.setattr(sqlite_module, "_apply", faulty)
    results = await asyncio.gather(
        backend.put("good1", b"1"),
        backend.put("bad", b"2"),
        backend.put("good2", b"3"),
        return_exceptions=True,
    )
    assert isinstance(results[1], sqlite3.OperationalError)
    assert await backend.get("bad") is None
    assert await backend.get("good1") is not None
    assert await backend.get("good2") is not None


async def test_a_failed_group_fails_every_caller_and_then_recovers(
    backend: SqliteBackend, tmp_path: Path
) -> None:
    backend._writer.execute("PRAGMA busy_timeout=50")  # the writer thread is idle here
    blocker = sqlite3.connect(tmp_path / "kv.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holding the write lock
    try:
        results = await asyncio.gather(
            backend.put("a", b"1"), backend.put("b", b"2"), return_exceptions=True
        )
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert all(isinstance(r, sqlite3.OperationalError) for r in results)
    assert await backend.get("a") is None
    await backend.put("a", b"1")
    assert await backend.get("a") is not None


async def test_list_seeks_past_a_large_folder(backend: SqliteBackend) -> None:
    await backend.transact([Put(f"p/big/{i:06d}", b"") for i in range(100_000)])
    await backend.transact([Put("p/after", b""), Put("p/before", b""), Put("p/big0", b"")])
    rows_read = 0
    read = backend._read

    def counting(query: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        nonlocal rows_read
        rows = read(query, params)
        rows_read += len(rows)
        return rows

    backend._read = counting  # type: ignore[method-assign]
    assert await backend.list("p/") == ["after", "before", "big/", "big0"]
    assert rows_read < 100  # a scan of the folder would read 100,000


async def test_data_and_versions_persist_across_reopen(tmp_path: Path) -> None:
    path = str(tmp_path / "kv.db")
    first = SqliteBackend(path)
    v1 = await first.put("k", b"v")
    await first.delete("k")
    await first.close()
    second = SqliteBackend(path)
    try:
        v2 = await second.put("k", b"again")
        assert v2 > v1  # the version sequence lives in the file, not in the process
        entry = await second.get("k")
        assert entry is not None
        assert entry.value == b"again"
    finally:
        await second.close()


async def test_writes_queued_before_close_are_committed(tmp_path: Path) -> None:
    path = str(tmp_path / "kv.db")
    backend = SqliteBackend(path)
    pending = [asyncio.ensure_future(backend.put(f"q/{i}", b"v")) for i in range(20)]
    await asyncio.sleep(0)  # let every put enqueue its job
    await backend.close()
    await asyncio.gather(*pending)
    await backend.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        await backend.put("late", b"v")
    reopened = SqliteBackend(path)
    try:
        assert len(await reopened.list("q/")) == 20
    finally:
        await reopened.close()


@pytest.mark.parametrize("path", ["", ":memory:", "file:kv.db?mode=memory"])
def test_a_path_that_is_not_a_file_is_refused(path: str) -> None:
    with pytest.raises(ValueError, match="'path'"):
        SqliteBackend(path)


async def test_the_file_is_in_wal_mode_with_full_sync(backend: SqliteBackend) -> None:
    assert backend._reader.execute("PRAGMA journal_mode").fetchall() == [("wal",)]
    assert backend._reader.execute("PRAGMA synchronous").fetchall() == [(2,)]  # FULL


async def test_a_write_waits_for_another_processes_lock_and_then_commits(
    backend: SqliteBackend, tmp_path: Path
) -> None:
    """Another process's write transaction (a second connection stands in for it): our writer
    polls for the lock instead of SQLite's 100 ms back-off, and commits once it is free."""
    other = sqlite3.connect(str(tmp_path / "kv.db"), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    writing = asyncio.create_task(backend.put("p/waiting", b"v"))
    for _ in range(20):
        await asyncio.sleep(0.001)
    assert not writing.done()  # it cannot commit while the lock is held
    other.execute("COMMIT")
    other.close()
    version = await asyncio.wait_for(writing, 5)
    entry = await backend.get("p/waiting")
    assert entry is not None
    assert entry.version == version
