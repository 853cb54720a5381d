"""Failed log-in lockout per (role ID, client address), shared by every worker."""

from __future__ import annotations

from strongroom.auth.approle.lockout import LockoutPolicy, Lockouts
from strongroom.auth.approle.store import Store
from strongroom.core.request import Operation
from support.inproc import Server
from unit.auth.approle.approle_harness import Harness

LOCKED = "approle: locked out after repeated failed log-ins"


async def _fail(approle: Harness, role_id: str, times: int, **kw: str) -> None:
    for _ in range(times):
        assert await approle.login_refused(role_id, "wrong", **kw) != LOCKED


async def _mounted(server: Server, options: dict[str, str]) -> tuple[Harness, str, str]:
    """A mount with these options, its role "web", that role's ID and a good secret ID."""
    approle = Harness.over(server.core, server.clock, server.core.barrier, options=options)
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
    server: Server,
) -> None:
    """Vault measures the counter reset from the last failed attempt, not the first."""
    options = {"lockout_counter_reset": "1m"}
    approle, role_id, good = await _mounted(server, options)
    await _fail(approle, role_id, 4)
    approle.clock.advance(59)
    await _fail(approle, role_id, 1)  # the fifth within a minute of the one before
    assert await approle.login_refused(role_id, good) == LOCKED
    await _fail(approle, role_id, 4, addr="10.0.0.2")
    approle.clock.advance(60)
    await _fail(approle, role_id, 4, addr="10.0.0.2")
    await approle.login(role_id, good, addr="10.0.0.2")


async def test_a_lock_shorter_than_the_counter_reset_relocks_on_the_next_failure(
    server: Server,
) -> None:
    """Vault: once the lock is over the count is still at the threshold, so one more failure
    locks the pair again, until `lockout_counter_reset` passes without attempts."""
    options = {"lockout_threshold": "2", "lockout_duration": "1m", "lockout_counter_reset": "5m"}
    approle, role_id, good = await _mounted(server, options)
    await _fail(approle, role_id, 2)
    approle.clock.advance(60)
    await _fail(approle, role_id, 1)
    assert await approle.login_refused(role_id, good) == LOCKED
    approle.clock.advance(60)
    await approle.login(role_id, good)


async def test_a_success_clears_the_attempts_before_it_not_those_after(
    approle: Harness,
) -> None:
    """An attempt counts from the moment it is reserved, before its secret ID is checked; a
    success clears its own and earlier ones, while later ones (still being checked) count."""
    lockouts = Lockouts(Store(approle.view, approle.clock), LockoutPolicy(threshold=3))
    key = await lockouts.key("role", "10.0.0.1")
    first, second = await lockouts.reserve(key), await lockouts.reserve(key)
    assert first is not None
    assert second is not None
    await lockouts.succeeded(first)
    third, fourth = await lockouts.reserve(key), await lockouts.reserve(key)
    assert third is not None
    assert fourth is not None
    assert await lockouts.reserve(key) is None  # second, third and fourth are pending
    await lockouts.succeeded(fourth)
    assert await approle.stored_keys("lockout/") == []
    await lockouts.succeeded(second)  # cleared already: nothing to do
    assert await approle.stored_keys("lockout/") == []


async def test_an_attempt_never_answered_stays_counted(approle: Harness) -> None:
    """A worker that dies while checking a secret ID leaves its attempt counted: fail closed."""
    await approle.write_role("web")
    role_id = await approle.role_id("web")
    good = (await approle.new_secret("web"))["secret_id"]
    lockouts = Lockouts(Store(approle.view, approle.clock), LockoutPolicy())
    key = await lockouts.key(role_id, "10.0.0.1")
    for _ in range(5):
        assert await lockouts.reserve(key) is not None
    assert await approle.login_refused(role_id, good) == LOCKED
    approle.clock.advance(15 * 60)
    await approle.login(role_id, good)


async def test_settings_come_from_the_mount_options(server: Server) -> None:
    options = {"lockout_threshold": "2", "lockout_duration": "1m"}
    approle, role_id, good = await _mounted(server, options)
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
