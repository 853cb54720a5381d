"""Scheduled rotation (`tick`) and the AES-GCM nonce budget: rotation on time with a moved
clock, exactly once when workers race, and counter-driven rotation that never undercounts,
also across simulated crashes (a worker's memory dropped mid-run)."""

from __future__ import annotations

import asyncio

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from strongroom.core import scheduler
from strongroom.engines.transit import TransitBackend
from strongroom.engines.transit.budget import DEFAULT_THRESHOLD, NonceBudget
from strongroom.engines.transit.keyring import Keyring
from strongroom.engines.transit.models import KeyPolicy
from strongroom.engines.transit.store import Change, Mutation
from support.api import YieldingBackend, running
from unit.engines.transit.transit_api import Api, another_worker, mounted

HOUR = 3600


async def latest(api: Api, name: str) -> int:
    version: int = (await api.get(f"keys/{name}"))["data"]["latest_version"]
    return version


async def test_auto_rotation_follows_the_clock(api: Api) -> None:
    await api.create("k", auto_rotate_period="1h")
    await api.create("still")  # no period: never rotates
    backend = mounted(api.server)
    await backend.tick()
    api.server.clock.advance(HOUR - 1)
    await backend.tick()
    assert await latest(api, "k") == 1
    api.server.clock.advance(1)
    await backend.tick()
    await backend.tick()  # idempotent: the new version is brand new
    assert await latest(api, "k") == 2
    api.server.clock.advance(HOUR)
    await scheduler.tick(api.server.core)  # what the lead's scheduler calls
    assert await latest(api, "k") == 3
    assert await latest(api, "still") == 1
    old = await api.encrypt("k", b"x", key_version=1)
    assert await api.decrypt("k", old) == b"x"  # zero-downtime rollover


async def test_configured_period_and_disabling_it(api: Api) -> None:
    await api.create("k")
    await api.post("keys/k/config", {"auto_rotate_period": 2 * HOUR})
    api.server.clock.advance(2 * HOUR)
    await mounted(api.server).tick()
    assert await latest(api, "k") == 2
    await api.post("keys/k/config", {"auto_rotate_period": 0})
    api.server.clock.advance(10 * HOUR)
    await mounted(api.server).tick()
    assert await latest(api, "k") == 2


async def test_racing_workers_rotate_once() -> None:
    async with running(YieldingBackend()) as server:
        api = Api(server)
        await api.mount_engine()
        for name in ("a", "b", "c"):
            await api.create(name, auto_rotate_period="1h")
        server.clock.advance(HOUR)
        workers = [mounted(server), another_worker(server), another_worker(server)]
        configure = api.post("keys/b/config", {"deletion_allowed": True})
        await asyncio.gather(*(worker.tick() for worker in workers), configure)
        assert [await latest(api, n) for n in ("a", "b", "c")] == [2, 2, 2]
        # A change made meanwhile by a request is not lost to the scheduler, nor the reverse.
        assert (await api.get("keys/b"))["data"]["deletion_allowed"] is True


async def test_concurrent_updates_never_lose_a_change(api: Api) -> None:
    """Two workers read the same policy, then both write: the storage Check makes the second
    one re-read and re-apply, so both changes survive (and a rotation is never doubled)."""
    await api.create("k")
    stores = [mounted(api.server).transit.store, another_worker(api.server).transit.store]
    both_read = asyncio.Event()
    calls = 0

    def setting(field: str) -> Mutation:
        async def mutate(policy: KeyPolicy | None) -> Change:
            nonlocal calls
            calls += 1
            if calls == 2:
                both_read.set()
            await asyncio.wait_for(both_read.wait(), 5)
            assert policy is not None
            return Change(msgspec.structs.replace(policy, **{field: True}))

        return mutate

    await asyncio.gather(
        stores[0].update("k", setting("exportable")),
        stores[1].update("k", setting("deletion_allowed")),
    )
    read = (await api.get("keys/k"))["data"]
    assert (read["exportable"], read["deletion_allowed"], calls) == (True, True, 3)


async def test_budget_crossing_rotates_before_the_next_encryption(small_budget: Api) -> None:
    api = small_budget
    await api.create("k")
    await api.create("c", type="chacha20-poly1305")  # not budgeted
    first = [await api.encrypt("k", bytes([i])) for i in range(10)]
    assert all(c.startswith("vault:v1:") for c in first)
    assert await mounted(api.server).transit.budget.reserved("k", 1) == 10
    assert (await api.encrypt("k", b"11th")).startswith("vault:v2:")
    assert await latest(api, "k") == 2
    assert [await api.decrypt("k", c) for c in first] == [bytes([i]) for i in range(10)]
    error = await api.error("POST", "encrypt/k", {"plaintext": "", "key_version": 1})
    assert error == "key version 1 has reached its encryption limit"
    batch = [{"plaintext": ""} for _ in range(25)]
    results = (await api.data("encrypt/k", {"batch_input": batch}))["batch_results"]
    versions = [r["key_version"] for r in results]
    assert versions == [2] * 9 + [3] * 10 + [4] * 6
    datakey = await api.data("datakey/wrapped/k")
    assert datakey["key_version"] == 4
    for _ in range(15):
        await api.encrypt("c", b"x")
    assert await latest(api, "c") == 1


async def test_racing_encryptions_cross_once_per_threshold() -> None:
    async with running(YieldingBackend()) as server:
        api = Api(server)
        await api.mount_engine({"nonce_rotation_threshold": "10"})
        await api.create("k")
        workers = [mounted(server), another_worker(server)]
        from strongroom.engines.transit.ciphers import Encryptor  # noqa: PLC0415

        async def encrypt(worker: TransitBackend) -> int:
            ring = await worker.transit.ring("k")
            _ciphertext, version = await Encryptor(worker.transit, ring).encrypt(b"x", b"", b"")
            return version

        versions = await asyncio.gather(*(encrypt(workers[i % 2]) for i in range(25)))
        assert sorted(versions) == [1] * 10 + [2] * 10 + [3] * 5
        assert await latest(api, "k") == 3


def _ring(name: str = "k") -> Keyring:
    return Keyring(KeyPolicy(id="id", name=name, type="aes256-gcm96", latest_version=1), 1)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 40),
    st.integers(1, 8),
    st.lists(st.tuples(st.booleans(), st.integers(1, 3)), min_size=1, max_size=60),
)
def test_budget_never_undercounts_across_crashes(
    threshold: int, block: int, steps: list[tuple[bool, int]]
) -> None:
    """Each step either crashes the worker (its in-memory block is lost) or takes 1-3 counts.
    Whatever happens, storage has reserved at least every count handed out, and no more than
    the threshold is ever handed out."""

    async def main() -> None:
        async with running() as server:
            api = Api(server)
            await api.mount_engine()
            view = mounted(server).transit.store.view
            budget = NonceBudget(view, threshold=threshold, block_size=block)
            used = 0
            for crash, count in steps:
                if crash:
                    budget = NonceBudget(view, threshold=threshold, block_size=block)
                    continue
                if await budget.take(_ring(), 1, count):
                    used += count
                reserved = await budget.reserved("k", 1)
                assert used <= reserved <= threshold

    asyncio.run(main())


async def test_threshold_option(api: Api) -> None:
    assert mounted(api.server).transit.budget.threshold == DEFAULT_THRESHOLD == int(2**32 * 0.9)
    assert mounted(api.server).transit.budget.block == 4096
    bad = Api(api.server, "bad")
    await bad.mount_engine({"nonce_rotation_threshold": "lots"})
    error = await bad.error("POST", "keys/k")
    assert error == "invalid nonce_rotation_threshold in the mount options"
