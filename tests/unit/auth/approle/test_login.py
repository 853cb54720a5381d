"""AppRole log-in: the Login handed to the core, use counts, expiry, CIDR binding, races."""

from __future__ import annotations

import asyncio
import re

from strongroom.core.login import Login
from strongroom.core.request import Operation
from support.inproc import Server
from unit.auth.approle.approle_harness import UUID, Harness, RecordingStore


async def test_login_hands_the_core_a_login_built_from_the_role(approle: Harness) -> None:
    await approle.write_role(
        "web",
        token_policies="b,a",
        token_ttl="1h",
        token_max_ttl="2h",
        token_explicit_max_ttl="3h",
        token_num_uses=7,
        token_type="service",
        token_bound_cidrs="10.0.0.0/8",
        token_no_default_policy=True,
    )
    role_id = await approle.role_id("web")
    issued = await approle.new_secret("web", metadata='{"team": "pay", "role_name": "spoof"}')
    assert await approle.login(role_id, issued["secret_id"]) == Login(
        policies=("b", "a"),
        display_name="approle",
        metadata={"team": "pay", "role_name": "web"},  # the real role name always wins
        ttl=3600,
        max_ttl=7200,
        explicit_max_ttl=10800,
        num_uses=7,
        token_type="service",
        bound_cidrs=("10.0.0.0/8",),
        renewable=True,
        no_default_policy=True,
        alias_name=role_id,
        alias_metadata={"team": "pay", "role_name": "web"},  # the entity alias's, as Vault's
        internal={"role_name": "web"},
    )


async def test_periodic_role_and_secret_id_token_cidrs_override(approle: Harness) -> None:
    await approle.write_role("web", token_period="10m", token_bound_cidrs="10.0.0.0/8")
    issued = await approle.new_secret("web", token_bound_cidrs="10.0.0.1/32")
    granted = await approle.login(await approle.role_id("web"), issued["secret_id"])
    assert (granted.period, granted.bound_cidrs) == (600, ("10.0.0.1/32",))


async def test_num_uses_are_spent_and_the_last_use_deletes_the_secret_id(
    approle: Harness,
) -> None:
    await approle.write_role("web", secret_id_num_uses=2, secret_id_ttl="1h")
    role_id = await approle.role_id("web")
    issued = await approle.new_secret("web")
    await approle.login(role_id, issued["secret_id"])
    looked = (await approle.lookup("web", issued["secret_id"])).data
    assert looked is not None
    assert looked["secret_id_num_uses"] == 1
    await approle.login(role_id, issued["secret_id"])
    assert await approle.login_refused(role_id, issued["secret_id"]) == (
        "approle: no such secret ID for the role"
    )
    for folder in ("secret_id/", "accessor/", "expiry/"):
        assert await approle.stored_keys(folder) == [], folder


async def test_unlimited_secret_ids_are_not_rewritten(approle: Harness) -> None:
    await approle.write_role("web")
    role_id = await approle.role_id("web")
    issued = await approle.new_secret("web")
    folder = (await approle.stored_keys("secret_id/"))[0]
    path = "secret_id/" + folder + (await approle.stored_keys("secret_id/" + folder))[0]
    before = await approle.view.get_entry(path)
    for _ in range(3):
        await approle.login(role_id, issued["secret_id"])
    assert await approle.view.get_entry(path) == before


async def test_ttl_expiry_follows_the_injected_clock(approle: Harness) -> None:
    await approle.write_role("web", secret_id_ttl="10m")
    role_id = await approle.role_id("web")
    issued = await approle.new_secret("web")
    approle.clock.advance(599)
    await approle.login(role_id, issued["secret_id"])
    approle.clock.advance(1)
    assert await approle.login_refused(role_id, issued["secret_id"]) == "approle: secret ID expired"


async def test_role_cidrs_refuse_other_addresses(approle: Harness) -> None:
    await approle.write_role("web", secret_id_bound_cidrs="10.0.0.0/24,2001:db8::/32")
    role_id = await approle.role_id("web")
    issued = await approle.new_secret("web", num_uses=0)
    for addr in ("10.0.0.7", "::ffff:10.0.0.8", "2001:db8::1"):
        await approle.login(role_id, issued["secret_id"], addr=addr)
    for addr in ("10.0.1.7", "", "not-an-address", "2001:db9::1"):
        detail = await approle.login_refused(role_id, issued["secret_id"], addr=addr)
        assert detail == "approle: client address outside the role's secret_id_bound_cidrs"


async def test_secret_id_cidrs_refuse_without_spending_a_use(approle: Harness) -> None:
    await approle.write_role("web", secret_id_num_uses=1, secret_id_bound_cidrs="10.0.0.0/8")
    role_id = await approle.role_id("web")
    issued = await approle.new_secret("web", cidr_list="10.0.0.0/30")
    detail = await approle.login_refused(role_id, issued["secret_id"], addr="10.9.9.9")
    assert detail == "approle: client address outside the secret ID's cidr_list"
    await approle.login(role_id, issued["secret_id"], addr="10.0.0.2")  # the use was not spent


async def test_a_narrowed_role_cidr_list_refuses_older_secret_ids(approle: Harness) -> None:
    await approle.write_role("web", secret_id_bound_cidrs="10.0.0.0/8")
    role_id = await approle.role_id("web")
    issued = await approle.new_secret("web", cidr_list="10.1.0.0/16")
    await approle.write_role("web", secret_id_bound_cidrs="10.2.0.0/16,10.1.0.0/24")
    detail = await approle.login_refused(role_id, issued["secret_id"], addr="10.1.0.1")
    assert detail == "approle: secret ID's cidr_list is no longer within the role's"


async def test_bind_secret_id_false_logs_in_with_the_role_id_alone(approle: Harness) -> None:
    await approle.write_role("open", bind_secret_id=False, secret_id_bound_cidrs="10.0.0.0/24")
    role_id = await approle.role_id("open")
    granted = await approle.login(role_id)
    assert (granted.alias_name, granted.metadata) == (role_id, {"role_name": "open"})
    await approle.login(role_id, "ignored-when-not-bound")
    await approle.login_refused(role_id, addr="10.0.1.1")


async def test_every_refusal_is_the_same_answer(approle: Harness) -> None:
    await approle.write_role("web")
    role_id = await approle.role_id("web")
    issued = await approle.new_secret("web")
    details = {
        await approle.login_refused("no-such-role", issued["secret_id"]),
        await approle.login_refused(role_id, "wrong"),
        await approle.login_refused(role_id),  # Vault says "missing secret_id": an oracle
        await approle.login_refused(role_id.upper(), issued["secret_id"]),
    }
    assert len(details) == 3  # the reasons differ only in the operator-log detail
    missing = await approle.refusal(Operation.UPDATE, "login", {"secret_id": "x"})
    assert (missing.status, missing.public) == (400, "missing role_id")


async def test_concurrent_logins_never_outspend_num_uses(racy: Harness) -> None:
    await racy.write_role("web", secret_id_num_uses=3)
    role_id = await racy.role_id("web")
    issued = await racy.new_secret("web")
    workers = [racy.worker() for _ in range(8)]
    body = {"role_id": role_id, "secret_id": issued["secret_id"]}
    results = await asyncio.gather(
        *(racy.call(Operation.UPDATE, "login", body, backend=w) for w in workers),
        return_exceptions=True,
    )
    granted = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(granted) == 3
    assert len(refused) == 5
    assert await racy.stored_keys("secret_id/") == []


def _shape(calls: list[tuple[str, str, bool]]) -> list[tuple[str, str, bool]]:
    """The storage calls with salted HMACs, role keys and the role record read made generic,
    and without the one thing that must differ: whether the role-ID index entry exists."""
    shaped = []
    for method, path, found in calls:
        generic = UUID.sub("<key>", re.sub("[0-9a-f]{64}", "<hmac>", path))
        generic = re.sub("^auth/test/(role/web|decoy)$", "<role record>", generic)
        shaped.append((method, generic, True if "/role_id/" in generic else found))
    return shaped


async def test_an_unknown_role_id_is_refused_after_the_same_storage_work(server: Server) -> None:
    """Against timing: an unknown role ID is checked against a decoy role in the same reads and
    hashing (one HMAC per path below) as a known one with a wrong secret ID, or a known one
    from outside its secret_id_bound_cidrs."""
    recorder = RecordingStore(server.core.barrier)
    approle = Harness.over(server.core, server.clock, recorder)
    await approle.write_role("web", secret_id_bound_cidrs="10.0.0.0/24")
    role_id = await approle.role_id("web")
    await approle.new_secret("web")
    await approle.login_refused("no-such-role", "wrong", addr="10.0.0.9")  # creates the decoy
    shapes = []
    for n, (tried, addr) in enumerate(
        [(role_id, "10.0.0.1"), (role_id, "10.9.9.9"), ("no-such-role", "10.0.0.1")]
    ):
        recorder.calls.clear()
        await approle.login_refused(tried, f"wrong-{n}", addr=addr)
        index = [found for _method, path, found in recorder.calls if "/role_id/" in path]
        assert index == [tried == role_id]
        shapes.append(_shape(recorder.calls))
    assert shapes[0] == shapes[1] == shapes[2]
    assert [method for method, _path, _found in shapes[2]] == [
        "get_entry",  # the lockout counter
        "Check",
        "Put",  # its attempt reserved
        "get",  # the role-ID index
        "get",  # the role, or the decoy
        "get_entry",  # the secret ID under the role's key
        "get_entry",
        "Check",
        "Put",  # the attempt settled as a failure
    ]
