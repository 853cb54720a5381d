"""Failed log-in lockout per (role ID, client address), shared by every worker."""

from __future__ import annotations

from strongroom.core.request import Operation
from support.inproc import Server
from unit.auth.approle.approle_harness import Harness

LOCKED = "approle: locked out after repeated failed log-ins"


async def _fail(approle: Harness, role_id: str, times: int, **kw: str) -> None:
    for _ in range(times):
        assert await approle.login_refused(role_id, "wrong", **kw) != LOCKED


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


async def test_settings_come_from_the_mount_options(server: Server) -> None:
    options = {"lockout_threshold": "2", "lockout_duration": "1m"}
    approle = Harness.over(server.core, server.clock, server.core.barrier, options=options)
    await approle.write_role("web")
    role_id = await approle.role_id("web")
    good = (await approle.new_secret("web"))["secret_id"]
    await _fail(approle, role_id, 2)
    assert await approle.login_refused(role_id, good) == LOCKED
    approle.clock.advance(60)
    await approle.login(role_id, good)


async def test_malformed_options_fail_closed(server: Server) -> None:
    for options in ({"lockout_threshold": "0"}, {"lockout_duration": "soon"}):
        approle = Harness.over(server.core, server.clock, server.core.barrier, options=options)
        error = await approle.refusal(Operation.UPDATE, "login", {"role_id": "x"})
        assert (error.status, error.public) == (
            400,
            "invalid lockout settings in the mount options",
        )
