"""Failed log-in lockout per (role ID, client address), shared by every worker."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from strongroom.auth.approle.store import Store
from strongroom.core.attempts import AttemptTable
from strongroom.core.request import Operation
from strongroom.core.view import Store as BarrierStore
from strongroom.logical.lockout import LOCKOUT, LockoutPolicy, Lockouts
from strongroom.logical.refused import Refused
from strongroom.storage.interface import Entry, Op
from support.inproc import Server
from unit.auth.approle.approle_harness import PREFIX, Harness, YieldingStore

LOCKED = "approle: locked out after repeated failed log-ins"


@pytest.fixture(params=["stored", "node table"])
def places(request: pytest.FixtureRequest) -> AttemptTable | None:
    """Where log-ins take their places: the stored counter (storage other nodes may share,
    PostgreSQL) or the node's attempt table (SQLite, memory). Every test here runs on both."""
    return None if request.param == "stored" else AttemptTable()


@pytest.fixture
def approle(server: Server, places: AttemptTable | None) -> Harness:
    return Harness.over(server.core, server.clock, server.core.barrier, places)


@pytest.fixture
def racy(server: Server, places: AttemptTable | None) -> Harness:
    return Harness.over(server.core, server.clock, YieldingStore(server.core.barrier), places)


async def _fail(approle: Harness, role_id: str, times: int, **kw: str) -> None:
    for _ in range(times):
        assert await approle.login_refused(role_id, "wrong", **kw) != LOCKED


async def _mounted(
    server: Server, places: AttemptTable | None, options: dict[str, str]
) -> tuple[Harness, str, str]:
    """A mount with these options, its role "web", that role's ID and a good secret ID."""
    approle = Harness.over(server.core, server.clock, server.core.barrier, places, options=options)
    await approle.write_role("web")
    role_id = await approle.role_id("web")
    return approle, role_id, (await approle.new_secret("web"))["secret_id"]


async def test_five_failures_lock_the_pair_even_for_the_right_secret(approle: Harness) -> None:
    await approle.write_role("web")
    role_id = await approle.role_id("web")
    good = (await approle.new_secret("web"))["secret_id"]
    await _fail(approle, role_id, 4)
    await approle.login(role_id, good)  # a success clears the count
    await _fail(approle, role_id, 5)
    assert await approle.login_refused(role_id, good) == LOCKED
    assert await approle.login_refused(role_id, good, backend=approle.worker()) == LOCKED
    # Another client address is not locked out by this one's failures.
    await approle.login(role_id, good, addr="10.0.0.2")


async def test_unknown_role_ids_lock_out_alike(approle: Harness) -> None:
    """Same answers, same lockout, whether or not the role exists: no existence oracle."""
    await approle.write_role("web")
    real = await approle.role_id("web")
    for role_id in (real, "no-such-role"):
        details = [await approle.login_refused(role_id, "wrong") for _ in range(6)]
        assert details[:5] != [LOCKED] * 5
        assert LOCKED not in details[:5]
        assert details[5] == LOCKED


async def test_the_lock_lifts_after_the_window(approle: Harness) -> None:
    await approle.write_role("web")
    role_id = await approle.role_id("web")
    good = (await approle.new_secret("web"))["secret_id"]
    await _fail(approle, role_id, 5)
    approle.clock.advance(15 * 60 - 1)
    assert await approle.login_refused(role_id, good) == LOCKED
    approle.clock.advance(1)
    await approle.login(role_id, good)
    assert await approle.stored_keys("lockout/") == []  # the success cleared the counter


async def test_failures_outside_the_window_do_not_add_up(approle: Harness) -> None:
    await approle.write_role("web")
    role_id = await approle.role_id("web")
    good = (await approle.new_secret("web"))["secret_id"]
    await _fail(approle, role_id, 4)
    approle.clock.advance(15 * 60)
    await _fail(approle, role_id, 4)
    await approle.login(role_id, good)


async def test_the_count_resets_after_lockout_counter_reset_without_attempts(
    server: Server, places: AttemptTable | None
) -> None:
    """Vault measures the counter reset from the last failed attempt, not the first."""
    options = {"lockout_counter_reset": "1m"}
    approle, role_id, good = await _mounted(server, places, options)
    await _fail(approle, role_id, 4)
    approle.clock.advance(59)
    await _fail(approle, role_id, 1)  # the fifth within a minute of the one before
    assert await approle.login_refused(role_id, good) == LOCKED
    await _fail(approle, role_id, 4, addr="10.0.0.2")
    approle.clock.advance(60)
    await _fail(approle, role_id, 4, addr="10.0.0.2")
    await approle.login(role_id, good, addr="10.0.0.2")


async def test_a_lock_shorter_than_the_counter_reset_relocks_on_the_next_failure(
    server: Server, places: AttemptTable | None
) -> None:
    """Vault: once the lock is over the count is still at the threshold, so one more failure
    locks the pair again, until `lockout_counter_reset` passes without attempts."""
    options = {"lockout_threshold": "2", "lockout_duration": "1m", "lockout_counter_reset": "5m"}
    approle, role_id, good = await _mounted(server, places, options)
    await _fail(approle, role_id, 2)
    approle.clock.advance(60)
    await _fail(approle, role_id, 1)
    assert await approle.login_refused(role_id, good) == LOCKED
    approle.clock.advance(60)
    await approle.login(role_id, good)


def _counter(approle: Harness, threshold: int = 5) -> Lockouts:
    """The mount's counters, looking once (no waiting) when every place is taken."""
    store = Store(approle.view, approle.clock)
    return Lockouts(store, LockoutPolicy(threshold), pauses=(0,), attempts=approle.attempts)


async def test_a_success_resets_the_failures_and_attempts_in_check_keep_their_places(
    approle: Harness,
) -> None:
    """An attempt takes its place in the count before its secret ID is checked."""
    lockouts = _counter(approle, threshold=3)
    key = await lockouts.key("role", "10.0.0.1")
    first, second = await lockouts.reserve(key), await lockouts.reserve(key)
    await lockouts.settle(first, failed=True)
    third = await lockouts.reserve(key)  # one failure and two in check: full
    with pytest.raises(Refused, match="too many log-ins being checked at once"):
        await lockouts.reserve(key)
    await lockouts.settle(second, failed=False)  # the failure is forgiven, `third` still counts
    fourth, fifth = await lockouts.reserve(key), await lockouts.reserve(key)
    with pytest.raises(Refused):
        await lockouts.reserve(key)
    for slot in (third, fourth, fifth):
        await lockouts.settle(slot, failed=False)
    assert await approle.stored_keys("lockout/") == []


async def test_an_attempt_never_settled_keeps_its_place_until_the_count_resets(
    approle: Harness,
) -> None:
    """A worker that dies while checking a secret ID leaves its place taken: fail closed."""
    await approle.write_role("web")
    role_id = await approle.role_id("web")
    good = (await approle.new_secret("web"))["secret_id"]
    lockouts = _counter(approle)
    key = await lockouts.key(role_id, "10.0.0.1")
    for _ in range(5):
        await lockouts.reserve(key)
    with pytest.raises(Refused):
        await lockouts.reserve(key)
    approle.clock.advance(15 * 60)
    await approle.login(role_id, good)


async def test_a_failure_settled_after_its_count_was_reset_counts_in_the_new_one(
    approle: Harness,
) -> None:
    lockouts = _counter(approle, threshold=2)
    key = await lockouts.key("role", "10.0.0.1")
    old = await lockouts.reserve(key)
    approle.clock.advance(15 * 60)
    new = await lockouts.reserve(key)  # the count resets: `old` is not in it
    await lockouts.settle(old, failed=True)
    with pytest.raises(Refused):  # one failure and one in check: both places taken
        await lockouts.reserve(key)
    await lockouts.settle(new, failed=False)
    await lockouts.settle(old, failed=False)  # nothing of it is left to clear
    assert await approle.stored_keys("lockout/") == []


class GatedStore(YieldingStore):
    """Holds every read of a secret-ID record until `gate` is set; `reached` tells that one
    is being held."""

    def __init__(self, inner: BarrierStore) -> None:
        super().__init__(inner)
        self.gate = asyncio.Event()
        self.reached = asyncio.Event()

    async def get_entry(self, path: str) -> Entry | None:
        if path.startswith(PREFIX + "secret_id/") and not self.gate.is_set():
            self.reached.set()
            await self.gate.wait()
        return await super().get_entry(path)


async def test_a_log_in_cancelled_while_its_secret_id_is_checked_counts_as_a_failure(
    server: Server, places: AttemptTable | None
) -> None:
    gated = GatedStore(server.core.barrier)
    approle = Harness.over(server.core, server.clock, gated, places)
    gated.gate.set()
    await approle.write_role("web")
    role_id = await approle.role_id("web")
    good = (await approle.new_secret("web"))["secret_id"]
    gated.gate.clear()
    login = asyncio.ensure_future(approle.login(role_id, good))
    await gated.reached.wait()  # its place taken, its secret ID being read
    login.cancel()
    with pytest.raises(asyncio.CancelledError):
        await login
    (name,) = await approle.stored_keys("lockout/")
    raw = await approle.view.get("lockout/" + name)
    assert raw is not None
    counted = LOCKOUT.decode(raw)
    assert (counted.failures, counted.pending) == (1, 0)


async def test_a_burst_of_good_log_ins_from_one_address_all_get_in(racy: Harness) -> None:
    """More good log-ins at once than the threshold: the later ones wait for a place."""
    await racy.write_role("web")
    role_id = await racy.role_id("web")
    good = (await racy.new_secret("web"))["secret_id"]
    workers = [racy.worker() for _ in range(4)]
    logins = [racy.login(role_id, good, backend=workers[n % 4]) for n in range(16)]
    assert len(await asyncio.gather(*logins)) == 16
    assert await racy.stored_keys("lockout/") == []


class CountingStore(YieldingStore):
    """A yielding store that counts the transactions it commits."""

    def __init__(self, inner: BarrierStore) -> None:
        super().__init__(inner)
        self.commits = 0

    async def transact(self, ops: Sequence[Op]) -> None:
        await super().transact(ops)
        self.commits += 1


async def test_a_burst_of_good_log_ins_writes_a_bounded_number_of_times(
    server: Server, places: AttemptTable | None
) -> None:
    """The cost that made the reservation slow, pinned: on the node's table a good log-in
    writes nothing unless there are failures to reset; in storage, two writes each."""
    counting = CountingStore(server.core.barrier)
    approle = Harness.over(server.core, server.clock, counting, places)
    await approle.write_role("web")
    role_id = await approle.role_id("web")
    good = (await approle.new_secret("web"))["secret_id"]
    workers = [approle.worker() for _ in range(4)]

    async def burst() -> int:
        before = counting.commits
        logins = [approle.login(role_id, good, backend=workers[n % 4]) for n in range(16)]
        await asyncio.gather(*logins)
        return counting.commits - before

    assert await burst() == (0 if places else 32)
    await _fail(approle, role_id, 1)
    assert await burst() == (1 if places else 32)  # the failure reset once
    assert await approle.stored_keys("lockout/") == []


async def test_settings_come_from_the_mount_options(
    server: Server, places: AttemptTable | None
) -> None:
    options = {"lockout_threshold": "2", "lockout_duration": "1m"}
    approle, role_id, good = await _mounted(server, places, options)
    await _fail(approle, role_id, 2)
    assert await approle.login_refused(role_id, good) == LOCKED
    approle.clock.advance(60)
    await approle.login(role_id, good)


async def test_malformed_options_fail_closed(server: Server) -> None:
    malformed = (
        {"lockout_threshold": "0"},
        {"lockout_duration": "soon"},
        {"lockout_counter_reset": "0s"},
    )
    for options in malformed:
        approle = Harness.over(server.core, server.clock, server.core.barrier, options=options)
        error = await approle.refusal(Operation.UPDATE, "login", {"role_id": "x"})
        assert (error.status, error.public) == (
            400,
            "invalid lockout settings in the mount options",
        )
