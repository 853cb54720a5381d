"""Key rotation: new writes move to the new term, old blobs keep opening, workers converge."""

from __future__ import annotations

import asyncio
import struct

import pytest

from strongroom.barrier import KEYRING_PATH, Barrier, InvalidCiphertext
from strongroom.clock import ManualClock
from strongroom.errors import InternalError, StorageConflict
from strongroom.storage.inmem import InmemBackend
from strongroom.storage.interface import Op
from support.api import YieldingBackend


async def _term_on_disk(physical: InmemBackend, path: str) -> int:
    entry = await physical.get(path)
    assert entry is not None
    version, term = struct.unpack_from(">BI", entry.value)
    assert version == 1
    return int(term)


async def _worker(physical: InmemBackend | YieldingBackend, root_key: bytes) -> Barrier:
    worker = Barrier(physical, ManualClock())
    await worker.unseal(root_key)
    return worker


async def test_rotate_moves_new_writes_and_keeps_old_blobs_readable(
    barrier: Barrier, physical: InmemBackend, clock: ManualClock
) -> None:
    first = barrier.key_status()
    assert (first.number, first.installed, barrier.term_count) == (1, clock.now(), 1)
    await barrier.put("kv/old", b"written under term 1")
    clock.advance(3600)
    term = await barrier.rotate()
    assert (term.number, term.installed) == (2, clock.now())
    assert barrier.key_status() == term
    assert barrier.term_count == 2
    assert term.key != first.key
    await barrier.put("kv/new", b"written under term 2")
    assert await _term_on_disk(physical, "kv/old") == 1
    assert await _term_on_disk(physical, "kv/new") == 2
    assert await barrier.get("kv/old") == b"written under term 1"
    assert await barrier.get("kv/new") == b"written under term 2"


async def test_rotation_is_persisted(
    barrier: Barrier, physical: InmemBackend, root_key: bytes
) -> None:
    await barrier.rotate()
    await barrier.rotate()
    await barrier.put("kv/a", b"term 3")
    restarted = await _worker(physical, root_key)
    assert restarted.key_status().number == 3
    assert restarted.term_count == 3
    assert await restarted.get("kv/a") == b"term 3"


async def test_a_worker_that_missed_a_rotation_reloads_once(
    barrier: Barrier, physical: InmemBackend, root_key: bytes
) -> None:
    stale = await _worker(physical, root_key)
    await barrier.rotate()
    await barrier.put("kv/a", b"from the other worker")
    assert stale.key_status().number == 1
    assert await stale.get("kv/a") == b"from the other worker"
    assert stale.key_status().number == 2  # it picked up the new keyring on the way


async def test_an_unknown_future_term_fails_after_one_reload(
    barrier: Barrier, physical: InmemBackend
) -> None:
    await barrier.put("kv/a", b"v")
    entry = await physical.get("kv/a")
    assert entry is not None
    forged = entry.value[:1] + struct.pack(">I", 99) + entry.value[5:]
    await physical.put("kv/a", forged)
    reads = 0
    original_get = physical.get

    async def counting_get(path: str) -> object:
        nonlocal reads
        reads += path == KEYRING_PATH
        return await original_get(path)

    physical.get = counting_get  # type: ignore[method-assign,assignment]
    with pytest.raises(InvalidCiphertext):
        await barrier.get("kv/a")
    assert reads == 1
    await barrier.put("kv/b", b"known term")
    assert await barrier.get("kv/b") == b"known term"
    assert reads == 1  # a term the keyring knows never costs a keyring read


async def test_reload_picks_up_a_rotation_elsewhere(
    barrier: Barrier, physical: InmemBackend, root_key: bytes
) -> None:
    other = await _worker(physical, root_key)
    await other.rotate()
    assert barrier.key_status().number == 1
    await barrier.reload()
    assert barrier.key_status().number == 2
    await barrier.put("kv/a", b"v")
    assert await _term_on_disk(physical, "kv/a") == 2


async def test_concurrent_rotations_lose_no_term(
    physical: InmemBackend, clock: ManualClock, root_key: bytes
) -> None:
    shared = YieldingBackend(physical)
    await Barrier(shared, clock).initialize(root_key)
    workers = [await _worker(shared, root_key) for _ in range(4)]
    terms = await asyncio.gather(*(w.rotate() for w in workers))
    assert shared.conflicts > 0  # the workers really did race
    assert sorted(t.number for t in terms) == [2, 3, 4, 5]
    final = await _worker(physical, root_key)
    assert final.term_count == 5
    for worker, term in zip(workers, terms, strict=True):
        await worker.put(f"kv/{term.number}", b"x")
        assert await final.get(f"kv/{term.number}") == b"x"


async def test_a_slow_reload_never_rolls_the_keyring_back(
    barrier: Barrier, physical: InmemBackend
) -> None:
    stale_keyring = barrier._keyring
    await barrier.rotate()
    assert stale_keyring is not None
    barrier._install(stale_keyring)
    assert barrier.key_status().number == 2
    await barrier.put("kv/a", b"v")
    assert await _term_on_disk(physical, "kv/a") == 2


async def test_sealing_during_a_rotation_keeps_it_sealed(
    physical: InmemBackend, clock: ManualClock, root_key: bytes
) -> None:
    shared = YieldingBackend(physical)
    await Barrier(shared, clock).initialize(root_key)
    worker = await _worker(shared, root_key)
    rotation = asyncio.create_task(worker.rotate())
    await asyncio.sleep(0)  # the rotation is now waiting on storage
    worker.seal()
    await rotation
    assert worker.sealed
    assert worker._root_key is None


async def test_rotation_gives_up_when_it_never_wins(
    barrier: Barrier, physical: InmemBackend
) -> None:
    async def always_conflicting(ops: list[Op]) -> None:
        del ops
        raise StorageConflict

    physical.transact = always_conflicting  # type: ignore[method-assign,assignment]
    with pytest.raises(InternalError):
        await barrier.rotate()
    assert barrier.key_status().number == 1
