"""ssh/creds/:role, verify and lookup: a one-time password is leased, spent exactly once (also
by two racing verifications), gone when its lease ends, and stored only as a hash."""

from __future__ import annotations

import asyncio

import pytest

from support.api import Api as MountApi
from support.api import YieldingBackend, running
from unit.engines.ssh.conftest import Api

OTP_ROLE = {"key_type": "otp", "default_user": "root", "cidr_list": "10.0.0.0/8,127.0.0.0/8"}


async def test_an_otp_is_leased_and_spent_once(api: Api) -> None:
    await api.role("o", **OTP_ROLE, exclude_cidr_list="10.9.0.0/16", port=2222)
    answer = await api.post("creds/o", {"ip": "10.1.2.3"})
    assert answer["lease_id"].startswith("ssh/creds/o/")
    assert (answer["renewable"], answer["lease_duration"]) == (False, 2764800)
    data = answer["data"]
    assert {k: v for k, v in data.items() if k != "key"} == {
        "key_type": "otp",
        "username": "root",
        "ip": "10.1.2.3",
        "port": 2222,
    }
    verified = await api.expect("POST", "verify", {"otp": data["key"]}, token="")
    assert verified["data"] == {"username": "root", "ip": "10.1.2.3", "role_name": "o"}
    assert await api.error("POST", "verify", {"otp": data["key"]}) == "OTP not found"


async def test_two_verifications_of_one_otp_cannot_both_succeed() -> None:
    async with running(YieldingBackend()) as server:
        api = Api(server)
        await api.enable("ssh")
        await api.role("o", **OTP_ROLE)
        otp = (await api.data("creds/o", {"ip": "127.0.0.1"}))["key"]
        answers = await asyncio.gather(
            *(api.call("POST", "verify", {"otp": otp}, token="") for _ in range(8))
        )
        assert sorted(r.status_code for r in answers) == [200] + [400] * 7


async def test_the_otp_is_stored_only_as_a_hash_and_dies_with_its_lease(api: Api) -> None:
    await api.role("o", **OTP_ROLE)
    answer = await api.post("creds/o", {"ip": "127.0.0.1"})
    otp = answer["data"]["key"]
    stored = await _every_key(api, "logical/")
    hashed = [key for key in stored if "/otp/" in key]
    assert len(hashed) == 1
    assert not any(otp in key for key in stored)
    sys = MountApi(api.server, "sys")
    await sys.expect("POST", "leases/revoke", {"lease_id": answer["lease_id"]}, 204)
    assert await api.error("POST", "verify", {"otp": otp}) == "OTP not found"


async def _every_key(api: Api, prefix: str) -> list[str]:
    found: list[str] = []
    for key in await api.server.core.barrier.list(prefix):
        found += await _every_key(api, prefix + key) if key.endswith("/") else [prefix + key]
    return found


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Missing ip"),
        ({"ip": "not-an-ip"}, "Invalid IP"),
        ({"ip": "192.168.1.1"}, "Error validating IP: IP does not belong to role"),
        ({"ip": "10.9.1.1"}, "Error validating IP: IP does not belong to role"),
        (
            {"ip": "10.1.1.1", "username": "eve"},
            "Username has to be either in allowed users list or has to be a default username",
        ),
    ],
)
async def test_creds_refusals(api: Api, body: dict[str, str], message: str) -> None:
    await api.role("o", **OTP_ROLE, exclude_cidr_list="10.9.0.0/16")
    assert await api.error("POST", "creds/o", body) == message


async def test_allowed_users_may_ask_for_their_own_name(api: Api) -> None:
    await api.role("o", **OTP_ROLE, allowed_users="alice,bob")
    data = await api.data("creds/o", {"ip": "127.0.0.1", "username": "bob"})
    assert data["username"] == "bob"


async def test_the_helper_echo_and_lookup(api: Api) -> None:
    echo = await api.expect("POST", "verify", {"otp": "verify-echo-request"}, token="")
    assert echo["data"] == {"message": "verify-echo-response"}
    await api.role("o", **OTP_ROLE)
    await api.role("p", key_type="otp", default_user="u", cidr_list="192.168.0.0/16")
    assert (await api.data("lookup", {"ip": "127.0.0.1"})) == {"roles": ["o"]}
    assert (await api.data("lookup", {"ip": "172.16.0.1"})) == {"roles": None}


async def test_a_zero_address_role_serves_any_ip(api: Api) -> None:
    await api.get("config/zeroaddress", status=404)
    await api.role("o", **OTP_ROLE)
    missing = await api.error("POST", "config/zeroaddress", {"roles": "o,nope"})
    assert missing == "a named role does not exist"
    assert await api.error("POST", "config/zeroaddress", {}) == "Missing roles"
    await api.expect("POST", "config/zeroaddress", {"roles": "o"}, 204)
    assert (await api.get("config/zeroaddress"))["data"] == {"roles": ["o"]}
    assert (await api.data("creds/o", {"ip": "192.168.7.7"}))["ip"] == "192.168.7.7"
    assert await api.data("lookup", {"ip": "192.168.7.7"}) == {"roles": ["o"]}
    await api.expect("DELETE", "config/zeroaddress", status=204)
    outside = await api.error("POST", "creds/o", {"ip": "192.168.7.7"})
    assert outside == "Error validating IP: IP does not belong to role"
