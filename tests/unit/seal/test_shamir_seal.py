"""ShamirSeal: initialise, open and rekey round trips, and every way to hold the wrong key."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence

import pytest

from strongroom.barrier import ROOT_KEY_PATH, SEAL_CONFIG_PATH, Barrier, InvalidCiphertext
from strongroom.clock import ManualClock
from strongroom.errors import BadRequest, NotInitialized
from strongroom.seal import PendingRekey, SealConfig, ShamirSeal, shamir
from strongroom.secret import SecretBytes
from strongroom.storage.inmem import InmemBackend
from strongroom.storage.interface import Entry, Op


def _unseal_key(shares: Sequence[bytes]) -> bytes:
    return shares[0] if len(shares) == 1 else shamir.combine(list(shares))


async def test_uninitialised(seal: ShamirSeal) -> None:
    assert await seal.config() is None
    with pytest.raises(NotInitialized):
        await seal.open(bytes(32))
    with pytest.raises(NotInitialized):
        await seal.rekey(SecretBytes(bytes(32)), 1, 1)


async def test_initialize_then_open_with_any_quorum(seal: ShamirSeal) -> None:
    shares, root_key = await seal.initialize(5, 3)
    assert await seal.config() == SealConfig(secret_shares=5, secret_threshold=3)
    assert len(shares) == 5
    assert {len(s) for s in shares} == {33}
    assert len(root_key) == 32
    for quorum in itertools.combinations(shares, 3):
        assert await seal.open(_unseal_key(quorum)) == root_key


async def test_a_single_share_is_the_unseal_key(seal: ShamirSeal) -> None:
    shares, root_key = await seal.initialize(1, 1)
    assert [len(s) for s in shares] == [32]
    assert await seal.open(shares[0]) == root_key


async def test_initialize_twice_is_refused(seal: ShamirSeal, physical: InmemBackend) -> None:
    shares, _ = await seal.initialize(3, 2)
    before = await physical.get(ROOT_KEY_PATH)
    with pytest.raises(BadRequest, match="already initialized"):
        await seal.initialize(5, 3)
    assert await physical.get(ROOT_KEY_PATH) == before
    assert await seal.config() == SealConfig(secret_shares=3, secret_threshold=2)
    await seal.open(_unseal_key(shares[:2]))


@pytest.mark.parametrize(("shares", "threshold"), [(2, 1), (3, 4), (256, 3), (0, 0)])
async def test_initialize_validates(
    seal: ShamirSeal, physical: InmemBackend, shares: int, threshold: int
) -> None:
    with pytest.raises(BadRequest, match=r"^invalid seal configuration: "):
        await seal.initialize(shares, threshold)
    assert await physical.list("") == []


async def test_wrong_unseal_keys_fail(seal: ShamirSeal) -> None:
    shares, _ = await seal.initialize(5, 3)
    right = _unseal_key(shares[:3])
    too_few = _unseal_key(shares[:2])
    flipped = bytes([right[0] ^ 1]) + right[1:]
    for wrong in (too_few, flipped, bytes(32), right[:31], right + b"\x00", b"", shares[0]):
        with pytest.raises(InvalidCiphertext):
            await seal.open(wrong)


async def test_a_tampered_wrapped_root_key_fails(seal: ShamirSeal, physical: InmemBackend) -> None:
    shares, _ = await seal.initialize(3, 2)
    key = _unseal_key(shares[:2])
    entry = await physical.get(ROOT_KEY_PATH)
    assert entry is not None
    blob = entry.value
    for bit in range(len(blob) * 8):
        flipped = bytearray(blob)
        flipped[bit // 8] ^= 1 << (bit % 8)
        await physical.put(ROOT_KEY_PATH, bytes(flipped))
        with pytest.raises(InvalidCiphertext):
            await seal.open(key)
    for length in range(len(blob)):
        await physical.put(ROOT_KEY_PATH, blob[:length])
        with pytest.raises(InvalidCiphertext):
            await seal.open(key)


async def test_no_key_material_in_storage(seal: ShamirSeal, physical: InmemBackend) -> None:
    shares, root_key = await seal.initialize(3, 2)
    unseal_key = _unseal_key(shares[:2])
    raw = [await physical.get(p) for p in (SEAL_CONFIG_PATH, ROOT_KEY_PATH)]
    assert await physical.list("core/") == ["root-key", "seal-config"]
    for entry in raw:
        assert entry is not None
        for secret in (root_key.reveal(), unseal_key, *shares):
            assert secret not in entry.value
            assert secret[:8] not in entry.value


async def test_rekey_round_trip(seal: ShamirSeal) -> None:
    old_shares, root_key = await seal.initialize(5, 3)
    new_shares = await seal.rekey(root_key, 7, 4)
    assert await seal.config() == SealConfig(secret_shares=7, secret_threshold=4)
    assert len(new_shares) == 7
    assert await seal.open(_unseal_key(new_shares[2:6])) == root_key
    with pytest.raises(InvalidCiphertext):
        await seal.open(_unseal_key(old_shares[:3]))


async def test_rekey_to_and_from_a_single_share(seal: ShamirSeal) -> None:
    _, root_key = await seal.initialize(3, 2)
    (single,) = await seal.rekey(root_key, 1, 1)
    assert await seal.open(single) == root_key
    shares = await seal.rekey(root_key, 2, 2)
    assert await seal.open(_unseal_key(shares)) == root_key
    with pytest.raises(InvalidCiphertext):
        await seal.open(single)


async def test_rekey_validates_and_changes_nothing(
    seal: ShamirSeal, physical: InmemBackend
) -> None:
    shares, root_key = await seal.initialize(3, 2)
    before = await physical.get(ROOT_KEY_PATH)
    with pytest.raises(BadRequest, match="threshold must be greater than one"):
        await seal.rekey(root_key, 4, 1)
    with pytest.raises(ValueError, match="32 bytes"):
        await seal.rekey(SecretBytes(b"short"), 3, 2)
    assert await physical.get(ROOT_KEY_PATH) == before
    assert await seal.open(_unseal_key(shares[:2])) == root_key


class _SlowBackend(InmemBackend):
    """Yields to the loop on every read, so two rekeys can read the same versions."""

    async def get(self, path: str) -> Entry | None:
        await asyncio.sleep(0)
        return await super().get(path)

    async def transact(self, ops: Sequence[Op]) -> None:
        await asyncio.sleep(0)
        await super().transact(ops)


async def test_concurrent_rekeys_leave_exactly_one_winner() -> None:
    seal = ShamirSeal(_SlowBackend())
    _, root_key = await seal.initialize(3, 2)
    outcomes = await asyncio.gather(
        seal.rekey(root_key, 4, 2), seal.rekey(root_key, 5, 3), return_exceptions=True
    )
    winners = [o for o in outcomes if isinstance(o, list)]
    losers = [o for o in outcomes if isinstance(o, BadRequest)]
    assert (len(winners), len(losers)) == (1, 1)
    assert "concurrently" in losers[0].public
    config = await seal.config()
    assert config is not None
    assert config.secret_shares == len(winners[0])  # config and root key moved together
    assert await seal.open(_unseal_key(winners[0][: config.secret_threshold])) == root_key


async def test_the_root_key_opens_the_barrier(physical: InmemBackend) -> None:
    seal = ShamirSeal(physical)
    shares, root_key = await seal.initialize(5, 3)
    barrier = Barrier(physical, ManualClock())
    await barrier.initialize(root_key.reveal())
    await barrier.unseal((await seal.open(_unseal_key(shares[1:4]))).reveal())
    await barrier.put("kv/a", b"v")
    new = await seal.rekey(root_key, 3, 2)
    barrier.seal()
    await barrier.unseal((await seal.open(_unseal_key(new[:2]))).reveal())
    assert await barrier.get("kv/a") == b"v"


async def test_injected_randomness_is_used(physical: InmemBackend) -> None:
    counter = itertools.count(1)

    def token_bytes(n: int) -> bytes:
        return bytes([next(counter) % 256]) * n

    _, root_key = await ShamirSeal(physical, token_bytes).initialize(3, 2)
    assert root_key == SecretBytes(bytes([2]) * 32)  # the unseal key drew first


async def test_a_prepared_rekey_changes_nothing_until_committed(seal: ShamirSeal) -> None:
    old_shares, root_key = await seal.initialize(5, 3)
    new_shares, pending = await seal.prepare_rekey(root_key, 3, 2)
    assert PendingRekey.decode(pending.encode()) == pending  # as the keeper carries it
    assert await seal.open(_unseal_key(old_shares[:3])) == root_key
    seal.verify_pending(_unseal_key(new_shares[:2]), pending)
    with pytest.raises(InvalidCiphertext):
        seal.verify_pending(_unseal_key(old_shares[:3]), pending)
    await seal.commit_rekey(pending)
    assert await seal.open(_unseal_key(new_shares[1:])) == root_key
    with pytest.raises(BadRequest, match="rekeyed concurrently"):
        await seal.commit_rekey(pending)  # the seal it replaced is gone
