"""Who may create what through auth/token/create*: Vault's root-or-sudo rules, from tokens
without sudo and with it. Every expected answer here is what OpenBao 2.7.2 (`bao server -dev`)
gave to the same request, status and message alike."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from strongroom.clock import ManualClock
from strongroom.http.app import App
from support.inproc import Server, make_core

MINTER = """
path "auth/token/create" { capabilities = ["update"] }
path "auth/token/create/*" { capabilities = ["update"] }
path "auth/token/create-orphan" { capabilities = ["update"] }
"""
SUDOER = MINTER.replace('["update"]', '["update", "sudo"]')
ROLES: dict[str, dict[str, Any]] = {
    "allowed": {"allowed_policies": ["a", "b"]},
    "disallowed": {"disallowed_policies": ["b"]},
    "orphan": {"orphan": True},
    "period": {"token_period": "1h"},
    "alias": {"allowed_entity_aliases": ["x"]},
    "max": {"token_explicit_max_ttl": "1h", "token_num_uses": 5},
}
# Who asks: the policies of the asking token, and its other settings.
CALLERS: dict[str, dict[str, Any]] = {
    "minter": {"policies": ["minter"]},
    "sudoer": {"policies": ["sudoer", "a"]},
    "limited": {"policies": ["minter"], "num_uses": 5},
    "nodefault": {"policies": ["minter"], "no_default_policy": True},
}
SUDO = "root or sudo privileges required to "
SUDO_PERIOD = [SUDO + "create periodic token"]
SUDO_ID = [SUDO + "specify token id"]
SUDO_ORPHAN = [SUDO + "create orphan token"]
SUBSET = ["child policies must be subset of parent"]
ALIAS_WITHOUT_ROLE = ["'entity_alias' is only allowed in combination with token role"]
NOT_IN_ROLE = [
    (
        'token policies (["default" "minter"]) must be subset of the role\'s allowed policies '
        '(["a" "b" "default"]) or glob policies ([])'
    )
]
RESTRICTED = ["restricted use token cannot generate child tokens"]
ROOT_FROM_NON_ROOT = ["root tokens may not be created without parent token being root"]
DISALLOWED = 'token policy "b" is disallowed by this role'
WRAPPING = 'cannot assign policy "response-wrapping"'
BATCH = 'batch tokens cannot have "{}" set'


@pytest.fixture
async def store(server: Server) -> Server:
    for name, text in (("minter", MINTER), ("sudoer", SUDOER), ("a", ""), ("b", "")):
        body = {"policy": text or 'path "x" { capabilities = ["read"] }'}
        assert (await server.call("PUT", f"sys/policies/acl/{name}", body)).status_code == 204
    for name, role in ROLES.items():
        resp = await server.call("POST", f"auth/token/roles/{name}", role)
        assert resp.status_code == 204
    return server


async def _caller(server: Server, who: str) -> str:
    resp = await server.call("POST", "auth/token/create", {"ttl": "2h", **CALLERS[who]})
    token: str = resp.json()["auth"]["client_token"]
    return token


async def _ask(server: Server, who: str, path: str, body: dict[str, Any]) -> httpx.Response:
    caller = await _caller(server, who)
    return await server.call("POST", f"auth/token/{path}", body, token=caller)


REFUSED = [
    ("minter", "create", {"policies": ["minter"], "period": "1h"}, SUDO_PERIOD),
    ("minter", "create", {"period": "1h"}, SUDO_PERIOD),
    ("minter", "create-orphan", {"period": "1h"}, SUDO_PERIOD),
    ("minter", "create/period", {"period": "30m"}, SUDO_PERIOD),
    ("minter", "create", {"id": "chosen"}, SUDO_ID),
    ("minter", "create-orphan", {"id": "c2"}, SUDO_ID),
    ("minter", "create", {"no_parent": True}, SUDO_ORPHAN),
    ("minter", "create", {"policies": ["a"]}, SUBSET),
    ("minter", "create", {"policies": ["minter", "a"]}, SUBSET),
    ("nodefault", "create", {"policies": ["minter", "default"]}, SUBSET),
    ("nodefault", "create", {"policies": ["default"]}, SUBSET),
    ("minter", "create", {"entity_alias": "x"}, ALIAS_WITHOUT_ROLE),
    ("minter", "create/alias", {"entity_alias": "y"}, ["invalid 'entity_alias' value"]),
    ("minter", "create", {"type": "batch", "period": "1h"}, [BATCH.format("period")]),
    ("minter", "create", {"type": "batch", "num_uses": 2}, [BATCH.format("num_uses")]),
    ("minter", "create", {"type": "batch", "explicit_max_ttl": "1h"},
     [BATCH.format("explicit_max_ttl")]),
    ("minter", "create", {"type": "bogus"}, ["invalid 'token_type' value"]),
    ("minter", "create/allowed", {"policies": ["minter"]}, NOT_IN_ROLE),
    ("minter", "create/disallowed", {"policies": ["b"]}, [DISALLOWED]),
    ("minter", "create/nosuch", {}, ["unknown role"]),  # OpenBao adds the name; we echo none
    ("sudoer", "create", {"policies": ["root"]}, ROOT_FROM_NON_ROOT),
    ("sudoer", "create", {"policies": ["response-wrapping"]}, [WRAPPING]),
    ("limited", "create", {"period": "1h"}, RESTRICTED),
    ("limited", "create", {"policies": ["minter"]}, RESTRICTED),
]  # fmt: skip


@pytest.mark.parametrize(("who", "path", "body", "errors"), REFUSED)
async def test_refused_as_openbao_refuses(
    store: Server, who: str, path: str, body: dict[str, Any], errors: list[str]
) -> None:
    resp = await _ask(store, who, path, body)
    assert (resp.status_code, resp.json()) == (400, {"errors": errors})


GRANTED: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    ("minter", "create", {"period": "0"}, {"policies": ["default", "minter"]}),
    ("minter", "create", {"no_default_policy": True}, {"policies": ["minter"]}),
    ("minter", "create", {"policies": ["default"]}, {"policies": ["default"]}),
    ("minter", "create", {"explicit_max_ttl": "1h"}, {"lease_duration": 3600}),
    ("minter", "create", {"type": "batch", "renewable": True}, {"renewable": False}),
    ("minter", "create-orphan", {}, {"orphan": True, "policies": ["default", "minter"]}),
    ("minter", "create/allowed", {"policies": ["a"]}, {"policies": ["a", "default"]}),
    ("minter", "create/allowed", {}, {"policies": ["a", "b", "default"]}),
    ("minter", "create/allowed", {"no_parent": True}, {"orphan": False}),
    ("minter", "create/disallowed", {"policies": ["a"]}, {"policies": ["a", "default"]}),
    ("minter", "create/disallowed", {}, {"policies": ["default", "minter"]}),
    ("minter", "create/orphan", {}, {"orphan": True}),
    ("minter", "create/period", {}, {"lease_duration": 3600}),
    ("minter", "create/max", {"explicit_max_ttl": "30m", "num_uses": 2},
     {"lease_duration": 1800, "num_uses": 2}),
    ("nodefault", "create", {}, {"policies": ["minter"]}),
    ("nodefault", "create", {"num_uses": 3}, {"policies": ["minter"], "num_uses": 3}),
    ("sudoer", "create", {"policies": ["minter"], "period": "1h"},
     {"policies": ["default", "minter"], "lease_duration": 3600}),
    ("sudoer", "create", {"policies": ["minter", "a"]}, {"policies": ["a", "default", "minter"]}),
    ("sudoer", "create", {"no_parent": True}, {"orphan": True}),
    ("sudoer", "create", {"no_default_policy": True}, {"policies": ["a", "sudoer"]}),
    ("sudoer", "create-orphan", {"period": "1h"}, {"orphan": True, "lease_duration": 3600}),
    ("sudoer", "create/period", {"period": "30m"}, {"lease_duration": 1800}),
]  # fmt: skip


@pytest.mark.parametrize(("who", "path", "body", "expected"), GRANTED)
async def test_granted_as_openbao_grants(
    store: Server, who: str, path: str, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    resp = await _ask(store, who, path, body)
    assert resp.status_code == 200, resp.text
    auth = resp.json()["auth"]
    assert {key: auth[key] for key in expected} == expected


async def test_warnings_as_openbao_warns(store: Server) -> None:
    chosen = await _ask(store, "sudoer", "create", {"id": "chosen-by-sudo"})
    assert chosen.json()["warnings"] == [
        (
            "Supplying a custom ID for the token uses the weaker SHA1 hashing instead of the "
            "more secure SHA2-256 HMAC for token obfuscation. SHA1 hashed tokens on the wire "
            "leads to less secure lookups."
        )
    ]
    assert chosen.json()["auth"]["client_token"] == "chosen-by-sudo"
    again = await _ask(store, "sudoer", "create", {"id": "chosen-by-sudo"})
    assert (again.status_code, again.json()) == (
        400,
        {"errors": ["cannot create a token with a duplicate ID"]},
    )
    lesser = await _ask(store, "sudoer", "create/period", {"period": "30m"})
    period_warning = "Period specified both during creation call and in role; using the lesser"
    assert lesser.json()["warnings"] == [period_warning + " value of 1800 seconds"]


def _capped(what: str, asked: str, cap: str) -> str:
    return (
        f'{what} of "{asked}" exceeded the effective max_ttl of "{cap}"; {what} value is capped '
        "accordingly"
    )


CAPPED: list[tuple[str, str, dict[str, Any], int, list[str] | None]] = [
    ("sudoer", "create", {"period": "1000h"}, 2764800, [_capped("period", "1000h", "768h")]),
    ("sudoer", "create", {"period": "2h", "explicit_max_ttl": "1h"}, 3600,
     [_capped("period", "2h", "1h")]),
    ("sudoer", "create", {"ttl": "3h", "explicit_max_ttl": "3601s"}, 3601,
     [_capped("TTL", "3h", "1h1s")]),
    ("minter", "create", {"ttl": "1000h"}, 2764800, [_capped("TTL", "1000h", "768h")]),
    ("minter", "create", {"explicit_max_ttl": "90s"}, 90, [_capped("TTL", "768h", "1m30s")]),
    ("minter", "create", {"ttl": "10m", "explicit_max_ttl": "1h"}, 600, None),
    ("minter", "create/max", {"explicit_max_ttl": "30m"}, 1800,
     [("Explicit max TTL specified both during creation call and in role; using the lesser "
      "value of 1800 seconds"), _capped("TTL", "768h", "30m")]),
]  # fmt: skip


@pytest.mark.parametrize(("who", "path", "body", "ttl", "warnings"), CAPPED)
async def test_caps_warn_as_openbao_warns(
    store: Server, who: str, path: str, body: dict[str, Any], ttl: int, warnings: list[str] | None
) -> None:
    resp = await _ask(store, who, path, body)
    assert resp.status_code == 200, resp.text
    assert (resp.json()["auth"]["lease_duration"], resp.json()["warnings"]) == (ttl, warnings)


async def test_a_child_inherits_its_parents_bound_cidrs(store: Server) -> None:
    role = {"token_bound_cidrs": ["127.0.0.1/32"]}
    assert (await store.call("POST", "auth/token/roles/fenced", role)).status_code == 204
    fenced = await store.call("POST", "auth/token/create/fenced", {"policies": ["minter"]})
    parent = fenced.json()["auth"]["client_token"]
    child = await store.call("POST", "auth/token/create", {}, token=parent)
    token = child.json()["auth"]["client_token"]
    entry = await store.core.tokens.resolve(token)
    assert entry is not None
    assert entry.bound_cidrs == ("127.0.0.1/32",)


BATCH_ROLE = "'token_type' cannot be 'batch' when role is set to generate "
NOT_RENEWABLE_BATCH = {"token_type": "batch", "orphan": True, "renewable": False}


@pytest.mark.parametrize(
    ("role", "problem"),
    [
        ({"token_type": "batch"}, "non-orphan tokens"),
        ({"token_type": "batch", "orphan": True, "token_period": "1h"}, "periodic tokens"),
        ({"token_type": "batch", "orphan": True}, "renewable tokens"),
        (
            {**NOT_RENEWABLE_BATCH, "token_explicit_max_ttl": 9},
            "tokens with an explicit max TTL",
        ),
    ],
)
async def test_a_batch_role_promises_nothing_batch_tokens_cannot_be(
    store: Server, role: dict[str, Any], problem: str
) -> None:
    resp = await store.call("POST", "auth/token/roles/b", role)
    assert (resp.status_code, resp.json()) == (400, {"errors": [BATCH_ROLE + problem]})
    fine = await store.call("POST", "auth/token/roles/b", NOT_RENEWABLE_BATCH)
    assert fine.status_code == 204


class CreepingClock(ManualClock):
    """A clock that moves on by a quarter second at every reading, as a real one does while
    a request is served."""

    def now(self) -> float:
        reading = super().now()
        self.advance(0.25)
        return reading


@pytest.fixture
async def creeping() -> AsyncIterator[Server]:
    clock = CreepingClock()
    core = make_core(clock)
    transport = httpx.ASGITransport(app=App(core))
    async with httpx.AsyncClient(transport=transport, base_url="http://sr") as client:
        server = Server(core, client, clock, [], "")
        body = {"secret_shares": 1, "secret_threshold": 1}
        init = (await server.call("PUT", "sys/init", body, None)).json()
        server.keys, server.root_token = init["keys"], init["root_token"]
        await server.call("PUT", "sys/unseal", {"key": server.keys[0]}, token=None)
        yield server


async def test_a_30m_token_reports_1800_seconds_however_the_clock_moves(creeping: Server) -> None:
    created = await creeping.call("POST", "auth/token/create", {"policies": ["p"], "ttl": "30m"})
    auth = created.json()["auth"]
    assert auth["lease_duration"] == 1800
    token = auth["client_token"]
    renewed = await creeping.call(
        "POST", "auth/token/renew-self", {"increment": "30m"}, token=token
    )
    assert renewed.json()["auth"]["lease_duration"] == 1800


async def test_a_renewal_capped_by_its_maximum_counts_whole_seconds(store: Server) -> None:
    store.clock.advance(0.5)  # token times are truncated to the second, as Vault's
    created = await store.call(
        "POST", "auth/token/create", {"policies": ["a"], "ttl": "1h", "explicit_max_ttl": "90m"}
    )
    token = created.json()["auth"]["client_token"]
    store.clock.advance(0.3)
    renewed = await store.call("POST", "auth/token/renew-self", {"increment": "5h"}, token=token)
    assert renewed.json()["auth"]["lease_duration"] == 5400
    assert renewed.json()["warnings"] == [_capped("TTL", "5h", "1h30m")]
