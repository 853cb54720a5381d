"""The userpass method over the in-process server: Vault's paths, bodies and status codes
(compared with OpenBao 2.7.2 `bao server -dev`), the scrypt-only storage of passwords, one
answer for an unknown user and a wrong password, and the shared lockout."""

from __future__ import annotations

import asyncio
import time

import pytest

from strongroom.auth.userpass.hashing import Hasher, ScryptCost
from support.inproc import Server

INVALID = {"errors": ["invalid username or password"]}
BASE = "auth/userpass/"
READ_KEYS = {
    "token_bound_cidrs",
    "token_explicit_max_ttl",
    "token_max_ttl",
    "token_no_default_policy",
    "token_num_uses",
    "token_period",
    "token_policies",
    "token_ttl",
    "token_type",
}


async def _mounted(server: Server, options: dict[str, str] | None = None) -> None:
    body: dict[str, object] = {"type": "userpass"}
    if options:
        body["options"] = options
    resp = await server.call("POST", "sys/auth/userpass", body)
    assert resp.status_code == 204, resp.text


async def _user(server: Server, name: str = "alice", **fields: object) -> None:
    resp = await server.call("POST", BASE + "users/" + name, {"password": "pw1", **fields})
    assert resp.status_code == 204, resp.text


async def _login(server: Server, name: str, password: str, **kw: object) -> tuple[int, dict]:  # type: ignore[type-arg]
    resp = await server.call("POST", BASE + "login/" + name, {"password": password}, None, **kw)
    return resp.status_code, resp.json()


async def test_write_read_list_delete_as_openbao(server: Server) -> None:
    await _mounted(server)
    await _user(server, "Alice", token_policies="a,b", token_ttl="1h")
    read = await server.call("GET", BASE + "users/ALICE")
    assert read.status_code == 200
    data = read.json()["data"]
    assert set(data) == READ_KEYS  # never anything of the password
    assert data["token_policies"] == ["a", "b"]
    assert data["token_ttl"] == 3600
    listed = await server.call("LIST", BASE + "users")
    assert listed.json()["data"] == {"keys": ["alice"]}
    assert (await server.call("GET", BASE + "users/nobody")).status_code == 404
    assert (await server.call("DELETE", BASE + "users/alice")).status_code == 204
    assert (await server.call("DELETE", BASE + "users/alice")).status_code == 204
    empty = await server.call("LIST", BASE + "users")
    assert (empty.status_code, empty.json()) == (404, {"errors": []})


async def test_a_new_user_needs_a_password(server: Server) -> None:
    await _mounted(server)
    for body in ({}, {"policies": "x"}):
        resp = await server.call("POST", BASE + "users/bob", body)
        assert resp.status_code == 400
        assert resp.json() == {"errors": ["must provide either password or password_hash"]}
    assert (await server.call("GET", BASE + "users/bob")).status_code == 404


async def test_legacy_policies_are_sanitised_and_shown(server: Server) -> None:
    await _mounted(server)
    await _user(server, "dan", policies="X, y", token_period="1h")
    data = (await server.call("GET", BASE + "users/dan")).json()["data"]
    assert data["policies"] == data["token_policies"] == ["x", "y"]
    assert data["token_period"] == 3600
    resp = await server.call("POST", BASE + "users/dan/policies", {"policies": "z"})
    assert resp.status_code == 204
    data = (await server.call("GET", BASE + "users/dan")).json()["data"]
    assert data["policies"] == data["token_policies"] == ["z"]
    await server.call("POST", BASE + "users/dan/policies", {"token_policies": "p2"})
    data = (await server.call("GET", BASE + "users/dan")).json()["data"]
    assert data["token_policies"] == ["p2"]
    assert "policies" not in data


async def test_password_and_policies_of_a_missing_user_are_400s(server: Server) -> None:
    """OpenBao answers these with a 500; the text is the same."""
    await _mounted(server)
    for path, body in (("password", {"password": "x"}), ("policies", {"token_policies": "p"})):
        resp = await server.call("POST", BASE + f"users/nobody/{path}", body)
        assert (resp.status_code, resp.json()) == (400, {"errors": ["username does not exist"]})


async def test_login_grants_the_users_token_fields(server: Server) -> None:
    await _mounted(server)
    await _user(server, "alice", token_policies="p2", token_ttl="1h")
    status, body = await _login(server, "ALICE", "pw1")
    assert status == 200, body
    auth = body["auth"]
    assert auth["policies"] == ["default", "p2"]
    assert auth["metadata"] == {"username": "alice"}
    assert auth["lease_duration"] == 3600
    assert auth["renewable"] is True
    looked = await server.call("GET", "auth/token/lookup-self", token=auth["client_token"])
    assert looked.json()["data"]["meta"] == {"username": "alice"}


async def test_password_change_takes_effect(server: Server) -> None:
    await _mounted(server)
    await _user(server)
    resp = await server.call("POST", BASE + "users/alice/password", {"password": "pw2"})
    assert resp.status_code == 204
    assert (await _login(server, "alice", "pw1")) == (400, INVALID)
    assert (await _login(server, "alice", "pw2"))[0] == 200
    missing = await server.call("POST", BASE + "users/alice/password", {})
    assert missing.json() == {"errors": ["must provide either password or password_hash"]}


async def test_unknown_user_and_wrong_password_answer_alike(server: Server) -> None:
    await _mounted(server)
    await _user(server)
    assert await _login(server, "alice", "bad") == (400, INVALID)
    assert await _login(server, "nobody", "bad") == (400, INVALID)


async def test_unknown_user_costs_the_same_hash_work() -> None:
    """The decoy check derives a key with the same parameters: timing the two is the proof."""
    hasher = Hasher(ScryptCost(n=2**14, r=8, p=1))
    stored = await hasher.hash("right")

    async def timed(target: object) -> float:
        start = time.perf_counter()
        assert not await hasher.verify("wrong", target)  # type: ignore[arg-type]
        return time.perf_counter() - start

    known = min([await timed(stored) for _ in range(5)])
    unknown = min([await timed(None) for _ in range(5)])
    assert 0.5 < unknown / known < 2.0
    assert await hasher.verify("right", stored)


async def test_missing_password_is_a_400(server: Server) -> None:
    """OpenBao answers "missing password" with a 500; here it is the same text as a 400."""
    await _mounted(server)
    await _user(server)
    for body in ({}, {"password": ""}, None):
        resp = await server.call("POST", BASE + "login/alice", body, None)
        assert (resp.status_code, resp.json()) == (400, {"errors": ["missing password"]})


async def test_storage_holds_only_a_salted_scrypt_hash(server: Server) -> None:
    await _mounted(server)
    await _user(server, "alice", password="canary-password-77")
    await _user(server, "bob", password="canary-password-77")
    mount = next(
        m
        for m in (await server.call("GET", "sys/auth")).json()["data"].values()
        if m["type"] == "userpass"
    )
    view = server.core.barrier
    stored = [await view.get(f"auth/{mount['uuid']}/user/{n}") for n in ("alice", "bob")]
    assert all(s is not None and b"canary-password-77" not in s for s in stored)
    assert stored[0] != stored[1]  # salted: the same password hashes differently
    assert b'"n":32768,"r":8,"p":3' in stored[0]  # type: ignore[operator]


async def test_token_bound_cidrs_refuse_other_clients_after_the_password(server: Server) -> None:
    await _mounted(server)
    await _user(server, "alice", token_bound_cidrs="10.0.0.0/8")
    status, body = await _login(server, "alice", "pw1")
    assert (status, body) == (403, {"errors": ["permission denied"]})
    assert await _login(server, "alice", "bad") == (400, INVALID)


async def test_lockout_locks_the_pair_with_the_same_answer(server: Server) -> None:
    await _mounted(server, {"lockout_threshold": "2", "lockout_duration": "10m"})
    await _user(server)
    for _ in range(2):
        assert await _login(server, "alice", "bad") == (400, INVALID)
    assert await _login(server, "alice", "pw1") == (400, INVALID)  # locked: even the right one
    assert await _login(server, "nobody", "x") == (400, INVALID)
    server.clock.advance(601)
    assert (await _login(server, "alice", "pw1"))[0] == 200


async def test_concurrent_logins_all_succeed(server: Server) -> None:
    await _mounted(server)
    await _user(server)
    results = await asyncio.gather(*(_login(server, "alice", "pw1") for _ in range(8)))
    assert [status for status, _ in results] == [200] * 8
    tokens = {body["auth"]["client_token"] for _, body in results}
    assert len(tokens) == 8


async def test_concurrent_guesses_are_capped_by_the_lockout(server: Server) -> None:
    """However many guesses race, no more than the threshold are checked (logical/lockout.py):
    the right password sent in the same burst after them is refused."""
    await _mounted(server, {"lockout_threshold": "3"})
    await _user(server)
    guesses = [_login(server, "alice", f"guess{i}") for i in range(10)]
    results = await asyncio.gather(*guesses)
    assert all(r == (400, INVALID) for r in results)
    assert await _login(server, "alice", "pw1") == (400, INVALID)


@pytest.mark.parametrize("name", ["a b", "a@b", ".a", "a/b"])
async def test_names_outside_vaults_pattern_are_unsupported(server: Server, name: str) -> None:
    await _mounted(server)
    resp = await server.call("POST", BASE + "users/" + name, {"password": "x"})
    assert resp.status_code in (404, 405), resp.text


async def test_bad_token_fields_are_400s_naming_the_field(server: Server) -> None:
    await _mounted(server)
    resp = await server.call("POST", BASE + "users/a", {"password": "x", "token_ttl": "soon"})
    assert resp.status_code == 400
    assert "token_ttl" in resp.json()["errors"][0]
    resp = await server.call(
        "POST", BASE + "users/a", {"password": "x", "token_type": "batch", "token_period": 60}
    )
    assert resp.json() == {
        "errors": ["'token_type' cannot be 'batch' when set to generate periodic tokens"]
    }
