"""The lockout holds under concurrency: each log-in reserves its attempt (with a checked write
in storage, or in the node's attempt table) before its secret ID is looked at, so however many
callers race, on one node or on two nodes sharing storage, no more than `lockout_threshold`
secret IDs are compared until the right one is (and no more than that at all when it is not
among them)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from strongroom.auth.approle import AppRoleBackend
from strongroom.clock import ManualClock
from strongroom.core.attempts import AttemptTable
from strongroom.core.core import Core
from strongroom.core.request import Operation, Request
from strongroom.core.view import Store
from strongroom.errors import StrongroomError
from strongroom.storage.factory import open_backend
from strongroom.storage.interface import Entry
from strongroom.storage.postgresql import PostgresBackend
from support.inproc import make_core
from unit.auth.approle.approle_harness import PREFIX, Harness, YieldingStore
from unit.storage.conftest import fresh_options

THRESHOLD = 5
BURST = 20


class ComparingStore(YieldingStore):
    """Notes, in order, every read of a secret-ID record: True for the one that exists (the
    right secret ID was being compared), False for a wrong guess."""

    def __init__(self, inner: Store, compared: list[bool]) -> None:
        super().__init__(inner)
        self.compared = compared

    async def get_entry(self, path: str) -> Entry | None:
        entry = await super().get_entry(path)
        if path.startswith(PREFIX + "secret_id/"):
            self.compared.append(entry is not None)
        return entry


async def _node(kind: str, options: dict[str, str], clock: ManualClock) -> Core:
    core = make_core(clock, physical=await open_backend(kind, options))
    await core.start()
    return core


async def _unseal(core: Core, key: bytes) -> None:
    await core.keeper.publish((await core.seal.open(key)).reveal())


@contextlib.asynccontextmanager
async def _two_nodes(kind: str, tmp_path: Path) -> AsyncIterator[list[Core]]:
    """Two Cores ("nodes", or worker processes) over one SQLite file or one PostgreSQL table."""
    clock = ManualClock()
    async with fresh_options(kind, tmp_path) as options:
        cores = [await _node(kind, options, clock)]
        keys, _root = await cores[0].initialize(1, 1)
        cores.append(await _node(kind, options, clock))
        for core in cores:
            await _unseal(core, keys[0])
        try:
            yield cores
        finally:
            for core in cores:
                await core.physical.close()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.slow])]
)
async def nodes(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[list[Core]]:
    async with _two_nodes(request.param, tmp_path) as cores:
        yield cores


async def _logged_in(backend: AppRoleBackend, role_id: str, secret_id: str, addr: str) -> bool:
    request = Request(
        id="r",
        operation=Operation.UPDATE,
        path="login",
        data={"role_id": role_id, "secret_id": secret_id},
        remote_addr=addr,
    )
    try:
        await backend.handle(request, "login")
    except StrongroomError:
        return False
    return True


async def _bursts(cores: list[Core], tables: list[AttemptTable | None]) -> None:
    """The right secret ID at every position of a burst of BURST log-ins, spread over two
    nodes (whose log-ins take their places in `tables`, or in storage): at most THRESHOLD
    guesses are compared before it is found (none after a lock)."""
    compared: list[bool] = []
    stores = [ComparingStore(core.barrier, compared) for core in cores]
    assert isinstance(cores[0].clock, ManualClock)
    approle = Harness.over(cores[0], cores[0].clock, stores[0], tables[0])
    backends = [approle.backend, approle.worker(stores[1], tables[1])]
    await approle.write_role("web")
    role_id = await approle.role_id("web")
    good = (await approle.new_secret("web"))["secret_id"]
    for position in range(BURST):
        compared.clear()
        addr = f"10.1.{position}.1"  # a fresh (role ID, address) pair: a fresh counter
        guesses = [good if n == position else f"wrong-{n}" for n in range(BURST)]
        logins = [_logged_in(backends[n % 2], role_id, s, addr) for n, s in enumerate(guesses)]
        results = await asyncio.gather(*logins)
        found = compared.index(True) + 1 if True in compared else len(compared)
        assert found <= THRESHOLD, (position, compared)
        assert results == [n == position and True in compared for n in range(BURST)]


async def test_a_burst_compares_no_more_secrets_than_the_threshold(nodes: list[Core]) -> None:
    """Places reserved with checked writes in the storage both nodes share."""
    await _bursts(nodes, [None, None])


async def test_bursts_over_the_node_table_compare_no_more_secrets_than_the_threshold(
    tmp_path: Path,
) -> None:
    """Two Cores over one SQLite file (two worker processes) each map the attempt table
    beside it: the places they take there bound the guesses compared just as well."""
    async with _two_nodes("sqlite", tmp_path) as cores:
        tables = [core.attempts for core in cores]
        assert None not in tables
        await _bursts(cores, tables)


async def test_nodes_sharing_postgresql_keep_their_places_in_storage(nodes: list[Core]) -> None:
    """Another node's table cannot be seen: over PostgreSQL no node has one."""
    expected = isinstance(nodes[0].physical, PostgresBackend)
    assert [core.attempts is None for core in nodes] == [expected, expected]
