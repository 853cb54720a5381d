"""LDAP log-in against a real OpenLDAP slapd: bind by userdn, search-then-bind, groups from
groupOfNames and posixGroup mapped to policies, one answer for a wrong password and an
unknown user, hostile usernames, null binds, LDAPS and StartTLS with a test CA."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from strongroom.auth.ldap import LdapBackend
from strongroom.core.mounts import MountContext, new_entry
from strongroom.core.request import Operation, Request, Response
from strongroom.core.view import View
from support.inproc import Server
from support.slapd import GROUPS, PEOPLE, SEARCH_DN, SEARCH_PASSWORD, Directory

BASE = "auth/ldap/"
BIND_FAILED = {"errors": ["ldap operation failed: failed to bind as user"]}


async def _configured(server: Server, slapd: Directory, **config: Any) -> None:
    resp = await server.call("POST", "sys/auth/ldap", {"type": "ldap"})
    assert resp.status_code == 204, resp.text
    body = {"url": slapd.ldap_url, "userdn": PEOPLE, "userattr": "uid", "groupdn": GROUPS}
    resp = await server.call("POST", BASE + "config", {**body, **config})
    assert resp.status_code == 204, resp.text


async def _login(server: Server, name: str, password: str) -> tuple[int, dict[str, Any]]:
    resp = await server.call("POST", BASE + "login/" + name, {"password": password}, None)
    return resp.status_code, resp.json()


async def _map_groups(server: Server) -> None:
    for group, policy in (("devs", "dev-policy"), ("ops", "ops-policy"), ("admins", "admin")):
        resp = await server.call("POST", BASE + f"groups/{group}", {"policies": policy})
        assert resp.status_code == 204, resp.text


async def test_bind_by_userdn_maps_groupofnames_to_policies(
    server: Server, slapd: Directory
) -> None:
    await _configured(server, slapd, token_policies="base", token_ttl="1h")
    await _map_groups(server)
    status, body = await _login(server, "alice", "alice-pw")
    assert status == 200, body
    auth = body["auth"]
    assert auth["policies"] == ["admin", "base", "default", "dev-policy"]
    assert auth["token_policies"] == auth["policies"]
    assert auth["metadata"] == {"username": "alice"}
    assert auth["lease_duration"] == 3600
    assert body["warnings"] is None


async def test_posixgroup_membership_by_memberuid(server: Server, slapd: Directory) -> None:
    await _configured(server, slapd)
    await _map_groups(server)
    status, body = await _login(server, "bob", "bob-pw")
    assert status == 200, body
    assert body["auth"]["policies"] == ["admin", "default", "ops-policy"]


async def test_group_aliases_are_the_directory_groups(server: Server, slapd: Directory) -> None:
    """What the identity engine gets: the group names as the directory spells them, the
    username as the alias and its metadata."""
    mount = new_entry(path="ldap/", type_="ldap")
    backend = LdapBackend(MountContext(View(server.core.barrier, "auth/x/"), server.clock, mount))

    async def call(op: Operation, path: str, data: dict[str, Any]) -> Response:
        request = Request(id="r", operation=op, path=path, data=data, remote_addr="10.0.0.1")
        return await backend.handle(request, path)

    config = {"url": slapd.ldap_url, "userdn": PEOPLE, "userattr": "uid", "groupdn": GROUPS}
    await call(Operation.UPDATE, "config", config)
    answer = await call(Operation.UPDATE, "login/Alice", {"password": "alice-pw"})
    assert answer.login is not None
    assert sorted(answer.login.group_aliases) == ["Devs", "admins"]
    assert answer.login.alias_name == "Alice"
    assert answer.login.metadata == {"username": "Alice"}


async def test_search_then_bind_with_a_search_account(server: Server, slapd: Directory) -> None:
    await _configured(server, slapd, binddn=SEARCH_DN, bindpass=SEARCH_PASSWORD)
    await _map_groups(server)
    status, body = await _login(server, "alice", "alice-pw")
    assert status == 200, body
    assert "dev-policy" in body["auth"]["policies"]
    assert await _login(server, "alice", "wrong") == (400, BIND_FAILED)
    assert await _login(server, "nobody", "wrong") == (400, BIND_FAILED)


async def test_discoverdn_searches_anonymously(server: Server, slapd: Directory) -> None:
    await _configured(server, slapd, discoverdn=True)
    assert (await _login(server, "carol", "carol-pw"))[0] == 200


async def test_no_groups_warns_as_vault(server: Server, slapd: Directory) -> None:
    await _configured(server, slapd)
    status, body = await _login(server, "carol", "carol-pw")
    assert status == 200
    expected = f"no LDAP groups found in groupDN '{GROUPS}'; only policies from locally-defined"
    assert body["warnings"] == [expected + " groups available"]
    assert body["auth"]["policies"] == ["default"]


async def test_local_user_adds_groups_and_policies(server: Server, slapd: Directory) -> None:
    await _configured(server, slapd)
    await _map_groups(server)
    resp = await server.call("POST", BASE + "users/Carol", {"groups": "ops", "policies": "own"})
    assert resp.status_code == 204
    status, body = await _login(server, "carol", "carol-pw")
    assert status == 200
    assert body["auth"]["policies"] == ["default", "ops-policy", "own"]


@pytest.mark.parametrize(
    "config", [{}, {"binddn": SEARCH_DN, "bindpass": SEARCH_PASSWORD}], ids=["userdn", "search"]
)
async def test_wrong_password_and_unknown_user_answer_alike(
    server: Server, slapd: Directory, config: dict[str, str]
) -> None:
    await _configured(server, slapd, **config)
    assert await _login(server, "alice", "bob-pw") == (400, BIND_FAILED)
    assert await _login(server, "mallory", "alice-pw") == (400, BIND_FAILED)


@pytest.mark.parametrize("name", ["*", ")(uid=*", "alice)(uid=*", "*)(|(uid=*", "al*"])
@pytest.mark.parametrize(
    "config", [{}, {"binddn": SEARCH_DN, "bindpass": SEARCH_PASSWORD}], ids=["userdn", "search"]
)
async def test_hostile_usernames_never_match_another_user(
    server: Server, slapd: Directory, name: str, config: dict[str, str]
) -> None:
    """Escaped into the filter (RFC 4515) and the DN (RFC 4514): `*` is a literal star."""
    await _configured(server, slapd, **config)
    assert await _login(server, name, "alice-pw") == (400, BIND_FAILED)


async def test_nul_in_a_username_is_refused(server: Server, slapd: Directory) -> None:
    await _configured(server, slapd, binddn=SEARCH_DN, bindpass=SEARCH_PASSWORD)
    status, _ = await _login(server, "alice%00", "alice-pw")
    assert status == 400


async def test_empty_password_is_a_null_bind_refused(server: Server, slapd: Directory) -> None:
    await _configured(server, slapd)
    expected = {
        "errors": ["password cannot be of zero length when passwordless binds are being denied"]
    }
    assert await _login(server, "alice", "") == (400, expected)
    # With deny_null_bind off the directory is still never sent an unauthenticated bind.
    await server.call("POST", BASE + "config", {"deny_null_bind": False})
    assert await _login(server, "alice", "") == (400, BIND_FAILED)


async def test_ldaps_with_the_ca_and_several_urls(server: Server, slapd: Directory) -> None:
    dead = "ldap://127.0.0.1:1"
    await _configured(server, slapd, url=f"{dead},{slapd.ldaps_url}", certificate=slapd.ca_pem)
    assert (await _login(server, "alice", "alice-pw"))[0] == 200


async def test_starttls_with_the_ca(server: Server, slapd: Directory) -> None:
    await _configured(server, slapd, starttls=True, certificate=slapd.ca_pem)
    assert (await _login(server, "alice", "alice-pw"))[0] == 200


@pytest.mark.parametrize("starttls", [False, True], ids=["ldaps", "starttls"])
async def test_tls_verification_failure_is_a_clear_error(
    server: Server, slapd: Directory, starttls: bool
) -> None:
    url = slapd.ldap_url if starttls else slapd.ldaps_url
    await _configured(server, slapd, url=url, starttls=starttls)  # no CA: not trusted
    status, body = await _login(server, "alice", "alice-pw")
    assert status == 400
    assert body == {
        "errors": [f'error connecting to host "{url}": TLS certificate verification failed']
    }
    assert "alice-pw" not in str(body)


async def test_insecure_tls_skips_verification(server: Server, slapd: Directory) -> None:
    await _configured(server, slapd, url=slapd.ldaps_url, insecure_tls=True)
    assert (await _login(server, "alice", "alice-pw"))[0] == 200


async def test_unreachable_directory_is_a_clear_error(server: Server, slapd: Directory) -> None:
    await _configured(server, slapd, url="ldap://127.0.0.1:1", connection_timeout=2)
    status, body = await _login(server, "alice", "alice-pw")
    assert status == 400
    expected = 'error connecting to host "ldap://127.0.0.1:1": '
    assert body["errors"][0].startswith(expected)


async def test_concurrent_logins(server: Server, slapd: Directory) -> None:
    await _configured(server, slapd, binddn=SEARCH_DN, bindpass=SEARCH_PASSWORD)
    await _map_groups(server)
    names = ["alice", "bob", "carol"] * 4
    results = await asyncio.gather(*(_login(server, n, f"{n}-pw") for n in names))
    assert [status for status, _ in results] == [200] * len(names)


async def test_lockout_after_repeated_failures(server: Server, slapd: Directory) -> None:
    resp = await server.call(
        "POST", "sys/auth/ldap", {"type": "ldap", "options": {"lockout_threshold": "2"}}
    )
    assert resp.status_code == 204
    body = {"url": slapd.ldap_url, "userdn": PEOPLE, "userattr": "uid"}
    await server.call("POST", BASE + "config", body)
    # The directory matches " ALICE" as alice: so does the count.
    for name in ("alice", "%20ALICE"):
        assert await _login(server, name, "wrong") == (400, BIND_FAILED)
    assert await _login(server, "Alice", "alice-pw") == (400, BIND_FAILED)
    server.clock.advance(15 * 60 + 1)
    assert (await _login(server, "alice", "alice-pw"))[0] == 200
