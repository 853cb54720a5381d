"""DESIGN.md invariant 1, attacked: whatever is done to stored blobs, `get` fails closed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from strongroom.barrier import KEYRING_PATH, Barrier, InvalidCiphertext
from strongroom.clock import ManualClock
from strongroom.storage.inmem import InmemBackend
from strongroom.storage.interface import Put

Dump = Callable[[], Awaitable[dict[str, bytes]]]  # the `dump` fixture of conftest.py
CANARY = b"canary-plaintext-5d41402abc4b2a76"


async def _raw(physical: InmemBackend, path: str) -> bytes:
    entry = await physical.get(path)
    assert entry is not None
    return entry.value


async def test_swapping_blobs_between_paths_fails(barrier: Barrier, physical: InmemBackend) -> None:
    await barrier.put("kv/a", b"value a")
    await barrier.put("kv/b", b"value b")
    a, b = await _raw(physical, "kv/a"), await _raw(physical, "kv/b")
    await physical.put("kv/a", b)
    await physical.put("kv/b", a)
    for path in ("kv/a", "kv/b"):
        with pytest.raises(InvalidCiphertext):
            await barrier.get(path)


async def test_copying_a_blob_to_another_path_fails(
    barrier: Barrier, physical: InmemBackend
) -> None:
    await barrier.put("kv/a", b"value a")
    await physical.put("kv/copy", await _raw(physical, "kv/a"))
    with pytest.raises(InvalidCiphertext):
        await barrier.get("kv/copy")
    with pytest.raises(InvalidCiphertext):
        await barrier.get_entry("kv/copy")
    assert await barrier.get("kv/a") == b"value a"  # the original is untouched


async def test_every_truncation_fails(barrier: Barrier, physical: InmemBackend) -> None:
    await barrier.put("kv/a", b"value")
    blob = await _raw(physical, "kv/a")
    for length in range(len(blob)):
        await physical.put("kv/a", blob[:length])
        with pytest.raises(InvalidCiphertext):
            await barrier.get("kv/a")


async def test_appending_fails(barrier: Barrier, physical: InmemBackend) -> None:
    await barrier.put("kv/a", b"value")
    blob = await _raw(physical, "kv/a")
    for tail in (b"\x00", b"extra", blob):
        await physical.put("kv/a", blob + tail)
        with pytest.raises(InvalidCiphertext):
            await barrier.get("kv/a")


async def test_every_single_bit_flip_fails(barrier: Barrier, physical: InmemBackend) -> None:
    await barrier.put("kv/a", b"v")
    blob = await _raw(physical, "kv/a")
    assert len(blob) == 34  # version, term, nonce, 1 byte of ciphertext, tag
    for bit in range(len(blob) * 8):
        flipped = bytearray(blob)
        flipped[bit // 8] ^= 1 << (bit % 8)
        await physical.put("kv/a", bytes(flipped))
        with pytest.raises(InvalidCiphertext):
            await barrier.get("kv/a")
    await physical.put("kv/a", blob)
    assert await barrier.get("kv/a") == b"v"  # and the loop did not break the barrier


async def test_a_blob_under_another_key_fails(barrier: Barrier, physical: InmemBackend) -> None:
    elsewhere = InmemBackend()
    stranger = Barrier(elsewhere, ManualClock())
    await stranger.initialize(bytes(range(1, 33)))
    await stranger.unseal(bytes(range(1, 33)))
    await stranger.put("kv/a", b"elsewhere")
    await physical.put("kv/a", await _raw(elsewhere, "kv/a"))
    with pytest.raises(InvalidCiphertext):
        await barrier.get("kv/a")


async def test_the_keyring_blob_cannot_pose_as_data(
    barrier: Barrier, physical: InmemBackend
) -> None:
    await physical.put("kv/a", await _raw(physical, KEYRING_PATH))
    with pytest.raises(InvalidCiphertext):
        await barrier.get("kv/a")


async def test_a_tampered_keyring_does_not_unseal(
    physical: InmemBackend, clock: ManualClock, root_key: bytes, barrier: Barrier
) -> None:
    blob = await _raw(physical, KEYRING_PATH)
    for bad in (blob[:-1], blob[:1] + b"\x00\x00\x00\x01" + blob[5:], b"", blob + b"\x00"):
        await physical.put(KEYRING_PATH, bad)
        fresh = Barrier(physical, clock)
        with pytest.raises(InvalidCiphertext):
            await fresh.unseal(root_key)
        assert fresh.sealed
        with pytest.raises(InvalidCiphertext):
            await barrier.reload()
    assert not barrier.sealed  # a failed reload keeps the keyring it had


async def test_nothing_plaintext_reaches_storage(
    barrier: Barrier, dump: Dump, root_key: bytes
) -> None:
    await barrier.put("kv/one", CANARY)
    await barrier.put("kv/two", CANARY * 3)
    await barrier.transact([Put("kv/three", CANARY)])
    await barrier.rotate()
    await barrier.put("kv/four", CANARY)
    raw = await dump()
    assert set(raw) == {KEYRING_PATH, "kv/one", "kv/two", "kv/three", "kv/four"}
    keyring = barrier._keyring
    assert keyring is not None
    secrets = [CANARY, CANARY[:16], root_key] + [t.key.reveal() for t in keyring.terms]
    for value in raw.values():
        for secret in secrets:
            assert secret not in value
