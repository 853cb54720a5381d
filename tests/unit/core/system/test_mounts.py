"""sys/mounts, sys/auth, tune, remount and sys/internal/ui/mounts."""

from __future__ import annotations

from support.inproc import Server


async def test_enable_read_tune_disable_round_trip(server: Server) -> None:
    enable = {"type": "kv", "description": "d", "options": {"version": "2"}}
    assert (await server.call("POST", "sys/mounts/foo", enable)).status_code == 204
    mounts = (await server.call("GET", "sys/mounts")).json()["data"]
    assert mounts["foo/"]["type"] == "kv"
    assert mounts["foo/"]["options"] == {"version": "2"}
    assert mounts["foo/"]["accessor"].startswith("kv_")
    tune = (await server.call("GET", "sys/mounts/foo/tune")).json()["data"]
    assert tune["default_lease_ttl"] == 768 * 3600
    body = {"default_lease_ttl": "1h", "max_lease_ttl": "2h", "description": "x"}
    assert (await server.call("POST", "sys/mounts/foo/tune", body)).status_code == 204
    tune = (await server.call("GET", "sys/mounts/foo/tune")).json()["data"]
    assert (tune["default_lease_ttl"], tune["max_lease_ttl"], tune["description"]) == (
        3600,
        7200,
        "x",
    )
    assert (await server.call("DELETE", "sys/mounts/foo")).status_code == 204
    assert "foo/" not in (await server.call("GET", "sys/mounts")).json()["data"]


async def test_mount_conflicts_and_unknown_type(server: Server) -> None:
    await server.call("POST", "sys/mounts/foo", {"type": "kv"})
    again = await server.call("POST", "sys/mounts/foo", {"type": "kv"})
    assert again.status_code == 400
    assert again.json() == {"errors": ["path is already in use at foo/"]}
    nested = await server.call("POST", "sys/mounts/foo/bar", {"type": "kv"})
    assert nested.status_code == 400
    unknown = await server.call("POST", "sys/mounts/bar", {"type": "nonexistent"})
    assert unknown.status_code == 400
    assert (await server.call("POST", "sys/mounts/sys2", {"type": "system"})).status_code == 400
    assert (await server.call("POST", "sys/mounts/auth/x", {"type": "kv"})).status_code == 400


async def test_builtin_mounts_cannot_be_removed(server: Server) -> None:
    assert (await server.call("DELETE", "sys/mounts/sys")).status_code == 400
    assert (await server.call("DELETE", "sys/auth/token")).status_code == 400


async def test_tune_default_above_max_is_refused(server: Server) -> None:
    await server.call("POST", "sys/mounts/foo", {"type": "kv"})
    both = {"default_lease_ttl": "3h", "max_lease_ttl": "2h"}
    resp = await server.call("POST", "sys/mounts/foo/tune", both)
    assert resp.json() == {
        "errors": [
            "backend max lease TTL of 7200 would be less than backend default lease TTL of 10800"
        ]
    }
    only_max = await server.call("POST", "sys/mounts/foo/tune", {"max_lease_ttl": "2h"})
    assert only_max.status_code == 204


async def test_remount_moves_entry_and_reports_status(server: Server) -> None:
    await server.call("POST", "sys/mounts/foo", {"type": "kv"})
    uuid_before = (await server.call("GET", "sys/mounts")).json()["data"]["foo/"]["uuid"]
    resp = await server.call("POST", "sys/remount", {"from": "foo", "to": "baz"})
    migration = resp.json()["data"]["migration_id"]
    mounts = (await server.call("GET", "sys/mounts")).json()["data"]
    assert "foo/" not in mounts
    assert mounts["baz/"]["uuid"] == uuid_before
    status = (await server.call("GET", f"sys/remount/status/{migration}")).json()["data"]
    assert status["migration_info"]["status"] == "success"


async def test_auth_table(server: Server) -> None:
    auth = (await server.call("GET", "sys/auth")).json()["data"]
    assert auth["token/"]["type"] == "token"
    resp = await server.call("POST", "sys/auth/kvauth", {"type": "kv"})
    assert resp.status_code == 400


async def test_ui_mounts(server: Server) -> None:
    await server.call("POST", "sys/mounts/secret", {"type": "kv", "options": {"version": "2"}})
    body = (await server.call("GET", "sys/internal/ui/mounts")).json()["data"]
    assert "secret/" in body["secret"]
    assert "token/" in body["auth"]
    one = (await server.call("GET", "sys/internal/ui/mounts/secret/data/foo")).json()["data"]
    assert (one["type"], one["path"], one["options"]) == ("kv", "secret/", {"version": "2"})


async def test_mount_table_survives_reseal(server: Server) -> None:
    await server.call("POST", "sys/mounts/foo", {"type": "kv"})
    await server.call("PUT", "sys/seal")
    await server.unseal()
    assert "foo/" in (await server.call("GET", "sys/mounts")).json()["data"]


async def test_ui_mounts_without_token_shows_only_unauth_listed(server: Server) -> None:
    await server.call("POST", "sys/mounts/open", {"type": "kv"})
    await server.call("POST", "sys/mounts/hidden", {"type": "kv"})
    tune = {"listing_visibility": "unauth"}
    assert (await server.call("POST", "sys/mounts/open/tune", tune)).status_code == 204
    body = (await server.call("GET", "sys/internal/ui/mounts", token=None)).json()["data"]
    assert list(body["secret"]) == ["open/"]
    assert body["auth"] == {}


async def test_read_missing_mount_and_remount_status(server: Server) -> None:
    resp = await server.call("GET", "sys/mounts/doesnotexist")
    assert resp.json() == {"errors": ["No secret engine mount at doesnotexist/"]}
    assert (await server.call("GET", "sys/remount/status/nope")).status_code == 404
    assert (await server.call("DELETE", "sys/mounts/doesnotexist")).status_code == 204


async def test_disable_purges_the_mounts_storage(server: Server) -> None:
    await server.call("POST", "sys/mounts/foo", {"type": "kv"})
    entry = server.core.mounts.find("mounts", "foo")
    assert entry is not None
    prefix = entry.storage_prefix("mounts")
    for i in range(2500):
        await server.core.barrier.put(f"{prefix}{'d/' if i % 2 else ''}k{i}", b"v")
    assert (await server.call("DELETE", "sys/mounts/foo")).status_code == 204
    assert await server.core.barrier.list(prefix) == []


async def test_kv_v2_alias(server: Server) -> None:
    assert (await server.call("POST", "sys/mounts/kv2", {"type": "kv-v2"})).status_code == 204
    entry = (await server.call("GET", "sys/mounts")).json()["data"]["kv2/"]
    assert (entry["type"], entry["options"]) == ("kv", {"version": "2"})


async def test_kv_version_tune_rules(server: Server) -> None:
    await server.call("POST", "sys/mounts/v1kv", {"type": "kv"})
    up = await server.call("POST", "sys/mounts/v1kv/tune", {"options": {"version": 2}})
    assert up.status_code == 200  # Vault warns that the mount upgrades
    warning = (
        "Upgrading mount from version 1 to version 2. This mount will be unavailable for a "
        "brief period and will resume service shortly."
    )
    assert up.json()["warnings"] == [warning]
    again = await server.call("POST", "sys/mounts/v1kv/tune", {"options": {"version": "2"}})
    assert again.status_code == 204
    down = await server.call("POST", "sys/mounts/v1kv/tune", {"options": {"version": "1"}})
    assert down.json() == {"errors": ["cannot downgrade mount from version 2"]}
    odd = await server.call("POST", "sys/mounts/v1kv/tune", {"options": {"version": "3"}})
    assert odd.json() == {"errors": ["invalid version provided"]}


async def _scoped_token(server: Server, policy: str) -> str:
    await server.call("POST", "sys/mounts/secret", {"type": "kv", "options": {"version": 2}})
    await server.call("PUT", "sys/policies/acl/scoped", {"policy": policy})
    resp = await server.call("POST", "auth/token/create", {"policies": ["scoped"]})
    return str(resp.json()["auth"]["client_token"])


async def test_ui_mount_answers_a_token_with_access_below_the_mount(server: Server) -> None:
    token = await _scoped_token(server, 'path "secret/data/app/*" { capabilities = ["read"] }')
    one = await server.call("GET", "sys/internal/ui/mounts/secret/app/x", token=token)
    assert one.status_code == 200, one.text
    assert one.json()["data"]["path"] == "secret/"
    await server.call("POST", "sys/mounts/other", {"type": "kv"})
    refused = await server.call("GET", "sys/internal/ui/mounts/other", token=token)
    assert refused.status_code == 403
    listing = (await server.call("GET", "sys/internal/ui/mounts", token=token)).json()["data"]
    assert sorted(listing["secret"]) == ["cubbyhole/", "secret/", "sys/"]  # default policy


async def test_ui_mount_refuses_unknown_and_forbidden_alike(server: Server) -> None:
    token = await _scoped_token(server, 'path "secret/*" { capabilities = ["deny"] }')
    answers = [
        await server.call("GET", f"sys/internal/ui/mounts/{path}", token=token)
        for path in ("secret", "nowhere")
    ]
    assert [a.status_code for a in answers] == [403, 403]
    preflight = (
        "preflight capability check returned 403, please ensure client's policies grant "
        'access to path "nowhere/"'
    )
    assert answers[1].json() == {"errors": [preflight]}


async def test_ui_mount_takes_a_namespace_path_prefix(server: Server) -> None:
    await server.call("POST", "sys/namespaces/team-a")
    mounted = await server.call(
        "POST", "sys/mounts/kv", {"type": "kv-v2"}, headers={"X-Vault-Namespace": "team-a"}
    )
    assert mounted.status_code == 204
    found = await server.call("GET", "sys/internal/ui/mounts/team-a/kv/x")
    assert found.status_code == 200, found.text
    assert found.json()["data"]["path"] == "team-a/kv/"
    assert found.json()["data"]["options"] == {"version": "2"}
