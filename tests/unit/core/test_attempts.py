"""The node-wide table of log-in attempts being checked (core/attempts.py)."""

from __future__ import annotations

from pathlib import Path

from strongroom.core.attempts import SUFFIX, AttemptTable, node_attempts
from strongroom.storage.inmem import InmemBackend
from strongroom.storage.sqlite import SqliteBackend

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))


def test_places_are_taken_up_to_the_limit_and_given_back() -> None:
    table = AttemptTable()
    taken = [table.hold(KEY, 3, 0.0, 60.0) for _ in range(4)]
    assert taken == [(1, 1), (2, 1), (3, 1), None]
    assert table.hold(OTHER, 3, 0.0, 60.0) == (1, 1)  # another key has its own places
    table.release(KEY, 1)
    assert table.hold(KEY, 3, 0.0, 60.0) == (3, 1)


def test_a_lapsed_bucket_starts_again_and_forgets_its_old_places() -> None:
    """A place never given back (its worker died) lapses; giving it back later changes
    nothing in the new generation, so the places taken since are still counted."""
    table = AttemptTable()
    assert table.hold(KEY, 2, 0.0, 60.0) == (1, 1)
    assert table.hold(KEY, 2, 30.0, 60.0) == (2, 1)
    assert table.hold(KEY, 2, 89.0, 60.0) is None  # lapses 60 s after the last place taken
    assert table.hold(KEY, 2, 90.0, 60.0) == (1, 2)
    table.release(KEY, 1)
    assert table.hold(KEY, 2, 90.0, 60.0) == (2, 2)
    assert table.hold(KEY, 2, 90.0, 60.0) is None


def test_tables_over_one_file_share_their_counts(tmp_path: Path) -> None:
    """Two mappings of one file, as two worker processes have."""
    first, second = (AttemptTable(str(tmp_path / "db-attempts")) for _ in range(2))
    try:
        assert first.hold(KEY, 2, 0.0, 60.0) == (1, 1)
        assert second.hold(KEY, 2, 0.0, 60.0) == (2, 1)
        assert first.hold(KEY, 2, 0.0, 60.0) is None
        second.release(KEY, 1)
        assert first.hold(KEY, 2, 0.0, 60.0) == (2, 1)
    finally:
        first.close()
        second.close()


async def test_a_sqlite_node_keeps_its_table_beside_the_database(tmp_path: Path) -> None:
    sqlite = SqliteBackend(str(tmp_path / "sr.db"))
    try:
        table = node_attempts(sqlite)
        assert table is not None
        assert (tmp_path / ("sr.db" + SUFFIX)).stat().st_mode & 0o777 == 0o600
        table.close()
    finally:
        await sqlite.close()
    assert node_attempts(InmemBackend()) is not None
