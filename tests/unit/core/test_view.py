"""`View.update`, the one read-modify-write: verdicts, extra ops, and no lost update when
writers race, on one node and on two nodes sharing a real SQLite file or PostgreSQL table."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from strongroom.barrier import Barrier
from strongroom.clock import ManualClock
from strongroom.core.view import DELETE, UNCHANGED, UPDATE_ATTEMPTS, Updated, View, Write
from strongroom.errors import BadRequest, InternalError
from strongroom.storage.factory import open_backend
from strongroom.storage.inmem import InmemBackend
from strongroom.storage.interface import Backend, Put
from unit.storage.conftest import fresh_options

ROOT_KEY = bytes(range(32))
WRITERS = 40


async def _unsealed(physical: Backend, *, first: bool) -> Barrier:
    barrier = Barrier(physical, ManualClock())
    if first:
        await barrier.initialize(ROOT_KEY)
    await barrier.unseal(ROOT_KEY)
    return barrier


@pytest.fixture
async def barrier() -> Barrier:
    return await _unsealed(InmemBackend(), first=True)


@pytest.fixture
def view(barrier: Barrier) -> View:
    return View(barrier, "mount/")


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.slow])]
)
async def two_nodes(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[list[View]]:
    """One mount's view on each of two nodes over one SQLite file or one PostgreSQL table."""
    kind: str = request.param
    async with fresh_options(kind, tmp_path) as options:
        physicals = [await open_backend(kind, options) for _ in range(2)]
        try:
            barriers = [await _unsealed(physicals[0], first=True)]
            barriers.append(await _unsealed(physicals[1], first=False))
            yield [View(barrier, "mount/") for barrier in barriers]
        finally:
            for physical in physicals:
                await physical.close()


def _count(raw: bytes) -> int:
    return int(raw)


def _text(count: int) -> bytes:
    return b"%d" % count


def _bump(count: int | None) -> int:
    return (count or 0) + 1


async def test_concurrent_increments_over_two_nodes_lose_none(two_nodes: list[View]) -> None:
    rounds = 0

    def counted_bump(count: int | None) -> int:
        nonlocal rounds
        rounds += 1
        return _bump(count)

    increments = [
        two_nodes[n % 2].update("counter", _count, counted_bump, encode=_text)
        for n in range(WRITERS)
    ]
    results = await asyncio.gather(*increments)
    assert rounds > WRITERS  # the writers did race: some lost and decided again
    assert await two_nodes[0].get("counter") == b"%d" % WRITERS
    # Every writer committed exactly once, each on top of a different count.
    assert sorted(result.before or 0 for result in results) == list(range(WRITERS))


async def test_a_new_record_is_created_from_none(view: View) -> None:
    result = await view.update("k", _count, _bump, encode=_text)
    assert result == Updated(None, 1, written=True)
    assert await view.get("k") == b"1"


async def test_unchanged_writes_nothing_and_returns_the_value_read(view: View) -> None:
    version = await view.put("k", b"7")
    result = await view.update("k", _count, lambda _: UNCHANGED)
    assert result == Updated(7, 7, written=False)
    assert await view.version("k") == version


async def test_delete_removes_the_record(view: View) -> None:
    await view.put("k", b"7")
    assert await view.update("k", _count, lambda _: DELETE) == Updated(7, None, written=True)
    assert await view.get("k") is None


async def test_values_are_stored_as_json_unless_bytes(view: View) -> None:
    await view.update("k", bytes, lambda _: {"a": 1})
    assert await view.get("k") == b'{"a":1}'
    await view.update("k", bytes, lambda _: b"raw")
    assert await view.get("k") == b"raw"


async def test_decode_answering_none_counts_as_absent_but_is_still_guarded(view: View) -> None:
    await view.put("k", b"stale")
    seen: list[object] = []

    def fresh(current: object) -> bytes:
        seen.append(current)
        return b"new"

    await view.update("k", lambda _raw: None, fresh)
    assert seen == [None]
    assert await view.get("k") == b"new"


async def test_a_write_commits_its_extra_ops_in_the_same_transaction(
    barrier: Barrier, view: View
) -> None:
    write: Write[bytes] = Write(b"v", also=[Put("index", b"i")], outside=[Put("epoch", b"e")])
    await view.update("k", bytes, lambda _: write)
    assert (await view.get("k"), await view.get("index")) == (b"v", b"i")
    assert await barrier.get("epoch") == b"e"


async def test_a_lost_race_runs_the_mutation_again_on_fresh_state(view: View) -> None:
    calls: list[int | None] = []

    async def once_stale(count: int | None) -> Write[int]:
        calls.append(count)
        if len(calls) == 1:  # a concurrent writer commits between our read and our write
            await view.put("k", b"5")
        return Write(_bump(count))

    await view.update("k", _count, once_stale, encode=_text)
    assert calls == [None, 5]
    assert await view.get("k") == b"6"


async def test_mutation_errors_propagate_and_write_nothing(view: View) -> None:
    def refuse(_count: int | None) -> int:
        raise BadRequest("no")

    with pytest.raises(BadRequest):
        await view.update("k", _count, refuse)
    assert await view.get("k") is None


async def test_a_record_that_never_settles_gives_a_fixed_internal_error(view: View) -> None:
    rounds = 0

    async def always_raced(count: int | None) -> int:
        nonlocal rounds
        rounds += 1
        await view.put("k", _text(_bump(count)))
        return 0

    with pytest.raises(InternalError) as caught:
        await view.update("k", _count, always_raced, encode=_text)
    assert rounds == UPDATE_ATTEMPTS
    assert caught.value.public == "internal error"
    assert "kept changing" in caught.value.detail
