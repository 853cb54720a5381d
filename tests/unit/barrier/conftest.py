"""Fixtures for the layer-2 barrier tests: an unsealed barrier over in-memory storage."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from strongroom.barrier import Barrier
from strongroom.clock import ManualClock
from strongroom.storage.inmem import InmemBackend
from strongroom.storage.interface import Backend

Dump = Callable[[], Awaitable[dict[str, bytes]]]


async def dump_all(physical: Backend, prefix: str = "") -> dict[str, bytes]:
    """Every raw value in `physical`, by path: what an attacker with the disk would see."""
    found: dict[str, bytes] = {}
    for name in await physical.list(prefix):
        if name.endswith("/"):
            found |= await dump_all(physical, prefix + name)
            continue
        entry = await physical.get(prefix + name)
        assert entry is not None
        found[prefix + name] = entry.value
    return found


@pytest.fixture
def root_key() -> bytes:
    return bytes(range(32))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def physical() -> InmemBackend:
    return InmemBackend()


@pytest.fixture
async def barrier(physical: InmemBackend, clock: ManualClock, root_key: bytes) -> Barrier:
    """An initialised and unsealed barrier (term 1)."""
    created = Barrier(physical, clock)
    await created.initialize(root_key)
    await created.unseal(root_key)
    return created


@pytest.fixture
def dump(physical: InmemBackend) -> Dump:
    return lambda: dump_all(physical)
