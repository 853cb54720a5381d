"""LDAP `config`, `groups/` and `users/`: Vault's defaults and shapes (api-docs/auth/ldap;
OpenBao 2.7.2 ships no LDAP method, so these follow Vault's ldaputil and path_*.go), and
`bindpass` never read back."""

from __future__ import annotations

from support.inproc import Server

BASE = "auth/ldap/"
DEFAULTS = {
    "url": "ldap://127.0.0.1",
    "userdn": "",
    "userattr": "cn",
    "userfilter": "({{.UserAttr}}={{.Username}})",
    "upndomain": "",
    "binddn": "",
    "discoverdn": False,
    "deny_null_bind": True,
    "groupdn": "",
    "groupfilter": "(|(memberUid={{.Username}})(member={{.UserDN}})(uniqueMember={{.UserDN}}))",
    "groupattr": "cn",
    "anonymous_group_search": False,
    "certificate": "",
    "insecure_tls": False,
    "starttls": False,
    "tls_min_version": "tls12",
    "tls_max_version": "tls12",
    "case_sensitive_names": False,
    "username_as_alias": False,
    "request_timeout": 90,
    "connection_timeout": 30,
    "token_bound_cidrs": [],
    "token_explicit_max_ttl": 0,
    "token_max_ttl": 0,
    "token_no_default_policy": False,
    "token_num_uses": 0,
    "token_period": 0,
    "token_policies": [],
    "token_ttl": 0,
    "token_type": "default",
}


async def _mounted(server: Server) -> None:
    resp = await server.call("POST", "sys/auth/ldap", {"type": "ldap"})
    assert resp.status_code == 204, resp.text


async def test_unwritten_config_reads_as_vaults_defaults(server: Server) -> None:
    await _mounted(server)
    resp = await server.call("GET", BASE + "config")
    assert resp.status_code == 200
    assert resp.json()["data"] == DEFAULTS


async def test_write_changes_only_the_fields_sent_and_hides_bindpass(server: Server) -> None:
    await _mounted(server)
    body = {
        "url": "LDAPS://A.example,ldaps://b.example",
        "userattr": "UID",
        "binddn": "cn=s",
        "bindpass": "bind-canary-93",
        "token_ttl": "1h",
    }
    assert (await server.call("POST", BASE + "config", body)).status_code == 204
    assert (await server.call("POST", BASE + "config", {"starttls": "true"})).status_code == 204
    resp = await server.call("GET", BASE + "config")
    data = resp.json()["data"]
    assert "bindpass" not in data
    assert "bind-canary-93" not in resp.text
    assert data["url"] == "ldaps://a.example,ldaps://b.example"  # lower-cased, as Vault
    assert data["userattr"] == "uid"
    assert data["starttls"] is True
    assert data["token_ttl"] == 3600
    assert data["binddn"] == "cn=s"


async def test_bad_settings_are_400s_without_the_value(server: Server) -> None:
    await _mounted(server)
    cases = [
        ({"tls_min_version": "ssl3"}, "invalid 'tls_min_version'"),
        (
            {"tls_min_version": "tls13"},
            "'tls_max_version' must be greater than or equal to 'tls_min_version'",
        ),
        (
            {"certificate": "not a pem"},
            "failed to parse server tls cert: failed to decode PEM block in the certificate",
        ),
        (
            {"userfilter": "({{.Secret}})"},
            "invalid userfilter: only {{.UserAttr}}, {{.Username}} may be used in the template",
        ),
    ]
    for body, message in cases:
        resp = await server.call("POST", BASE + "config", body)
        assert (resp.status_code, resp.json()) == (400, {"errors": [message]}), body


async def test_groups_and_users_as_vault(server: Server) -> None:
    await _mounted(server)
    resp = await server.call("POST", BASE + "groups/Devs", {"policies": "B, a"})
    assert resp.status_code == 204
    read = await server.call("GET", BASE + "groups/DEVS")
    assert read.json()["data"] == {"policies": ["a", "b"]}
    listed = await server.call("LIST", BASE + "groups")
    assert listed.json()["data"] == {"keys": ["devs"]}
    resp = await server.call(
        "POST", BASE + "users/Al", {"groups": "Ops, devs,ops", "policies": "p"}
    )
    assert resp.status_code == 204
    user = await server.call("GET", BASE + "users/al")
    assert user.json()["data"] == {"groups": "devs,ops", "policies": ["p"]}
    assert (await server.call("LIST", BASE + "users")).json()["data"] == {"keys": ["al"]}
    for path in ("groups/devs", "users/al"):
        assert (await server.call("DELETE", BASE + path)).status_code == 204
        assert (await server.call("GET", BASE + path)).status_code == 404
    empty = await server.call("LIST", BASE + "groups")
    assert (empty.status_code, empty.json()) == (404, {"errors": []})


async def test_case_sensitive_names_keep_case(server: Server) -> None:
    await _mounted(server)
    await server.call("POST", BASE + "config", {"case_sensitive_names": True})
    await server.call("POST", BASE + "groups/Devs", {"policies": "a"})
    assert (await server.call("GET", BASE + "groups/devs")).status_code == 404
    assert (await server.call("GET", BASE + "groups/Devs")).status_code == 200


async def test_login_of_an_unconfigured_mount_is_a_clear_400(server: Server) -> None:
    await _mounted(server)
    await server.call("POST", BASE + "config", {"url": "ldap://127.0.0.1:1", "userdn": "o=x"})
    resp = await server.call("POST", BASE + "login/a", {"password": "p"}, None)
    assert resp.status_code == 400
    assert resp.json()["errors"][0].startswith('error connecting to host "ldap://127.0.0.1:1"')
