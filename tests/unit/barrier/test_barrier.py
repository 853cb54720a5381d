"""The barrier's life cycle and data operations: init, unseal, seal, CRUD, reserved paths."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strongroom.barrier import (
    KEYRING_PATH,
    ROOT_KEY_PATH,
    SEAL_CONFIG_PATH,
    Barrier,
    InvalidCiphertext,
    Keyring,
    Term,
)
from strongroom.barrier.reserved import is_reserved
from strongroom.clock import ManualClock
from strongroom.errors import BadRequest, NotInitialized, Sealed, StorageConflict
from strongroom.secret import SecretBytes
from strongroom.storage.inmem import InmemBackend
from strongroom.storage.interface import Check, Delete, Put

RESERVED = [KEYRING_PATH, SEAL_CONFIG_PATH, ROOT_KEY_PATH, KEYRING_PATH + "/x", "core/root-key/a/b"]


# -- life cycle ------------------------------------------------------------------------------------


async def test_initialize_leaves_it_sealed_and_writes_only_the_keyring(
    physical: InmemBackend, clock: ManualClock, root_key: bytes
) -> None:
    barrier = Barrier(physical, clock)
    assert barrier.sealed
    await barrier.initialize(root_key)
    assert barrier.sealed
    assert await physical.list("") == ["core/"]
    assert await physical.list("core/") == ["keyring"]


async def test_initialize_refuses_when_a_keyring_exists(barrier: Barrier, root_key: bytes) -> None:
    with pytest.raises(BadRequest, match="already initialized"):
        await barrier.initialize(root_key)


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
async def test_initialize_needs_a_32_byte_root_key(
    physical: InmemBackend, clock: ManualClock, size: int
) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        await Barrier(physical, clock).initialize(bytes(size))
    assert await physical.get(KEYRING_PATH) is None


async def test_unseal_before_initialize(physical: InmemBackend, clock: ManualClock) -> None:
    with pytest.raises(NotInitialized):
        await Barrier(physical, clock).unseal(bytes(32))


async def test_unseal_with_the_wrong_root_key_fails_and_stays_sealed(
    physical: InmemBackend, clock: ManualClock, root_key: bytes
) -> None:
    await Barrier(physical, clock).initialize(root_key)
    other = Barrier(physical, clock)
    wrong = bytes([root_key[0] ^ 1]) + root_key[1:]
    for key in (wrong, bytes(32), root_key[:16], root_key + b"\x00", b""):
        with pytest.raises(InvalidCiphertext):
            await other.unseal(key)
        assert other.sealed
        assert other._root_key is None
    await other.unseal(root_key)
    assert not other.sealed


async def test_seal_drops_every_key(barrier: Barrier) -> None:
    await barrier.put("kv/a", b"value")
    assert barrier._keyring is not None
    assert barrier._root_key is not None
    barrier.seal()
    assert barrier.sealed
    state = vars(barrier)  # (read through vars: mypy has narrowed the attributes to non-None)
    assert state["_keyring"] is None
    assert state["_root_key"] is None
    assert state["_ciphers"] == {}  # the cached key schedules go too
    assert not any(isinstance(v, SecretBytes | Keyring | Term | bytes) for v in state.values())


async def test_a_second_instance_reads_the_same_keyring(
    barrier: Barrier, physical: InmemBackend, clock: ManualClock, root_key: bytes
) -> None:
    await barrier.put("kv/a", b"value")
    other = Barrier(physical, clock)
    await other.unseal(root_key)
    assert await other.get("kv/a") == b"value"


def _sealed_ops(b: Barrier) -> list[Callable[[], Awaitable[object]]]:
    return [
        lambda: b.get("kv/a"),
        lambda: b.get_entry("kv/a"),
        lambda: b.put("kv/a", b"v"),
        lambda: b.delete("kv/a"),
        lambda: b.list(""),
        lambda: b.transact([Put("kv/a", b"v")]),
        lambda: b.transact([]),
        b.rotate,
        b.reload,
    ]


@pytest.mark.parametrize("index", range(9))
async def test_sealed_barrier_refuses_every_operation(
    barrier: Barrier, physical: InmemBackend, index: int
) -> None:
    await barrier.put("kv/a", b"before")
    barrier.seal()
    with pytest.raises(Sealed):
        await _sealed_ops(barrier)[index]()
    assert (await physical.list("kv/")) == ["a"]  # nothing was deleted or overwritten


async def test_sealed_barrier_refuses_key_status(barrier: Barrier) -> None:
    barrier.seal()
    with pytest.raises(Sealed):
        barrier.key_status()
    with pytest.raises(Sealed):
        _ = barrier.term_count


async def test_never_unsealed_barrier_refuses(physical: InmemBackend, clock: ManualClock) -> None:
    with pytest.raises(Sealed):
        await Barrier(physical, clock).get("kv/a")


# -- data operations -------------------------------------------------------------------------------


async def test_put_get_delete(barrier: Barrier) -> None:
    assert await barrier.get("kv/a") is None
    assert await barrier.get_entry("kv/a") is None
    version = await barrier.put("kv/a", b"one")
    entry = await barrier.get_entry("kv/a")
    assert entry is not None
    assert (entry.value, entry.version) == (b"one", version)
    assert await barrier.put("kv/a", b"two") > version
    assert await barrier.get("kv/a") == b"two"
    await barrier.delete("kv/a")
    assert await barrier.get("kv/a") is None


async def test_empty_value_round_trips(barrier: Barrier) -> None:
    await barrier.put("kv/empty", b"")
    assert await barrier.get("kv/empty") == b""


async def test_list_passes_through(barrier: Barrier) -> None:
    for path in ("kv/a", "kv/b/c", "kv/d"):
        await barrier.put(path, b"x")
    assert await barrier.list("kv/") == ["a", "b/", "d"]
    assert await barrier.list("kv/", after="a", limit=1) == ["b/"]


async def test_transact_seals_puts_and_passes_deletes_and_checks(
    barrier: Barrier, physical: InmemBackend
) -> None:
    version = await barrier.put("kv/old", b"old")
    await barrier.transact([Check("kv/old", version), Delete("kv/old"), Put("kv/new", b"new")])
    assert await barrier.get("kv/old") is None
    assert await barrier.get("kv/new") == b"new"
    raw = await physical.get("kv/new")
    assert raw is not None
    assert b"new" not in raw.value
    with pytest.raises(StorageConflict):
        await barrier.transact([Check("kv/new", 0), Put("kv/other", b"x")])
    assert await barrier.get("kv/other") is None


async def test_values_must_be_bytes(barrier: Barrier) -> None:
    with pytest.raises(TypeError):
        await barrier.put("kv/a", "text")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        await barrier.transact(["kv/a"])  # type: ignore[list-item]


async def test_same_value_twice_gives_different_blobs(
    barrier: Barrier, physical: InmemBackend
) -> None:
    await barrier.put("kv/a", b"same")
    first = await physical.get("kv/a")
    await barrier.put("kv/a", b"same")
    second = await physical.get("kv/a")
    assert first is not None
    assert second is not None
    assert first.value != second.value  # a fresh random nonce per write


async def test_nonces_come_from_the_injected_source(
    physical: InmemBackend, clock: ManualClock, root_key: bytes
) -> None:
    calls: list[int] = []

    def counting(n: int) -> bytes:
        calls.append(n)
        return bytes([len(calls)]) * n

    barrier = Barrier(physical, clock, counting)
    await barrier.initialize(root_key)
    await barrier.unseal(root_key)
    await barrier.put("kv/a", b"v")
    blob = await physical.get("kv/a")
    assert blob is not None
    assert calls[-1] == 12
    assert blob.value[5:17] == bytes([len(calls)]) * 12


@settings(max_examples=50, deadline=None)
@given(
    # Any valid storage path (no NUL, no lone surrogate, no leading "/") that is not reserved.
    path=st.text(st.characters(exclude_characters="\x00", exclude_categories=["Cs"]), min_size=1)
    .filter(lambda p: not p.startswith("/"))
    .filter(lambda p: not is_reserved(p)),
    value=st.binary(max_size=2048),
)
async def test_put_get_round_trip(path: str, value: bytes) -> None:
    physical = InmemBackend()
    barrier = Barrier(physical, ManualClock())
    await barrier.initialize(bytes(32))
    await barrier.unseal(bytes(32))
    await barrier.put(path, value)
    assert await barrier.get(path) == value
    raw = await physical.get(path)
    assert raw is not None
    assert len(raw.value) == len(value) + 33


# -- reserved paths --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", RESERVED)
async def test_reserved_paths_are_out_of_reach(barrier: Barrier, path: str) -> None:
    attempts: list[Callable[[], Awaitable[object]]] = [
        lambda: barrier.put(path, b"x"),
        lambda: barrier.get(path),
        lambda: barrier.get_entry(path),
        lambda: barrier.delete(path),
        lambda: barrier.transact([Put(path, b"x")]),
        lambda: barrier.transact([Delete(path)]),
        lambda: barrier.transact([Check(path, 0)]),
    ]
    for attempt in attempts:
        with pytest.raises(ValueError, match="reserved"):
            await attempt()
    assert not barrier.sealed
    await barrier.reload()  # the keyring is intact


async def test_a_rejected_transaction_writes_nothing(barrier: Barrier) -> None:
    with pytest.raises(ValueError, match="reserved"):
        await barrier.transact([Put("kv/a", b"x"), Delete(KEYRING_PATH)])
    assert await barrier.get("kv/a") is None


async def test_neighbours_of_reserved_paths_are_ordinary(barrier: Barrier) -> None:
    for path in ("core/keyrings", "core/keyring-old", "core/mounts", "core/root-keys/x"):
        await barrier.put(path, b"fine")
        assert await barrier.get(path) == b"fine"


async def test_list_hides_the_reserved_records(barrier: Barrier, physical: InmemBackend) -> None:
    await physical.put(SEAL_CONFIG_PATH, b"{}")
    await physical.put(ROOT_KEY_PATH, b"wrapped")
    await physical.put(KEYRING_PATH + "/stray", b"x")
    await barrier.put("core/mounts", b"m")
    await barrier.put("core/zz", b"z")
    assert await barrier.list("core/") == ["mounts", "zz"]
    assert await barrier.list("core/", limit=1) == ["mounts"]
    assert await barrier.list("core/", after="mounts", limit=5) == ["zz"]
    assert await barrier.list("core/", limit=0) == []
    assert await barrier.list("core/keyring/") == []
    with pytest.raises(ValueError, match="limit"):
        await barrier.list("core/", limit=-1)


async def test_concurrent_writers_on_one_barrier(barrier: Barrier) -> None:
    paths = [f"kv/{i}" for i in range(50)]
    await asyncio.gather(*(barrier.put(p, p.encode()) for p in paths))
    assert await asyncio.gather(*(barrier.get(p) for p in paths)) == [p.encode() for p in paths]
