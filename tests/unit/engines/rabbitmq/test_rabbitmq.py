"""The rabbitmq secrets engine against the real broker: config, roles, and leased users that
exist in RabbitMQ with the permissions asked for until their lease is revoked or expires."""

from __future__ import annotations

import json
import secrets

from strongroom.core import scheduler
from strongroom.engines.rabbitmq import RabbitMqBackend
from support.rabbitmq import seg
from unit.engines.rabbitmq.conftest import Api


def unique(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(4)}"


async def test_config_connection_verifies_and_never_echoes_the_password(api: Api) -> None:
    wrong = "not-the-password-" + secrets.token_hex(8)
    resp = await api.configure(password=wrong)
    assert resp.status_code == 400
    assert "failed to validate the connection" in resp.text
    assert wrong not in resp.text
    resp = await api.configure(connection_uri="http://127.0.0.1:1", password=wrong)
    assert resp.status_code == 400
    assert wrong not in resp.text
    for uri in ("not-a-url", "http://[bad"):
        resp = await api.configure(connection_uri=uri, password=wrong)
        assert resp.status_code == 400, resp.text
        assert wrong not in resp.text
    resp = await api.configure(password=wrong, verify_connection=False)
    assert resp.status_code == 204, resp.text
    for missing in ("connection_uri", "username", "password"):
        resp = await api.configure(**{missing: ""})
        assert resp.status_code == 400
        assert f"missing {missing}" in resp.text
    resp = await api.call("GET", "config/connection")
    assert resp.status_code == 405  # write-only, as in Vault: the admin password stays inside
    resp = await api.configure(username_template="{{ .Nope }}")
    assert resp.status_code == 400
    assert (await api.configure()).status_code == 204


async def test_config_lease(api: Api) -> None:
    assert (await api.call("GET", "config/lease")).status_code == 404
    await api.ok("POST", "config/lease", {"ttl": "1h", "max_ttl": 7200})
    body = await api.ok("GET", "config/lease")
    assert body["data"] == {"ttl": 3600, "max_ttl": 7200}


async def test_role_crud_and_list(api: Api) -> None:
    assert (await api.call("LIST", "roles")).status_code == 404
    vhosts = {"/": {"configure": ".*", "write": ".*", "read": ".*"}}
    topics = {"/": {"amq.topic": {"write": "^x", "read": ".*"}}}
    payload = {
        "tags": "management",
        "vhosts": json.dumps(vhosts),
        "vhost_topics": json.dumps(topics),
    }
    await api.ok("POST", "roles/full", payload)
    await api.ok("POST", "roles/tagsonly", {"tags": "monitoring"})
    body = await api.ok("GET", "roles/full")
    assert body["data"] == {"tags": "management", "vhosts": vhosts, "vhost_topics": topics}
    body = await api.ok("GET", "roles/tagsonly")
    assert body["data"] == {"tags": "monitoring", "vhosts": None, "vhost_topics": None}
    body = await api.ok("LIST", "roles")
    assert body["data"]["keys"] == ["full", "tagsonly"]
    resp = await api.call("POST", "roles/bad", {"tags": ""})
    assert resp.status_code == 400
    assert "both tags and vhosts not specified" in resp.text
    resp = await api.call("POST", "roles/bad", {"vhosts": "{not json"})
    assert resp.status_code == 400
    assert "failed to unmarshal vhosts" in resp.text
    await api.ok("DELETE", "roles/full")
    await api.ok("DELETE", "roles/full")  # idempotent
    assert (await api.call("GET", "roles/full")).status_code == 404
    resp = await api.call("GET", "creds/full")
    assert resp.status_code == 400
    assert "unknown role" in resp.text


async def test_creds_make_a_working_user_with_the_roles_permissions(api: Api) -> None:
    broker = api.broker
    vhost = broker.make_vhost()
    perms = {"configure": "^cfg", "write": "^w", "read": ".*"}
    topics = {vhost: {"amq.topic": {"write": "^t", "read": ".*"}}}
    await api.ok(
        "POST",
        "roles/app",
        {
            "tags": "management",
            "vhosts": json.dumps({vhost: perms}),
            "vhost_topics": json.dumps(topics),
        },
    )
    body = await api.creds("app")
    user, password = body["data"]["username"], body["data"]["password"]
    assert user.startswith("root-")
    assert body["lease_id"].startswith("rabbitmq/creds/app/")
    assert body["renewable"] is True
    info = broker.get(f"/api/users/{seg(user)}").json()
    assert info["tags"] in (["management"], "management")
    whoami = broker.get("/api/whoami", auth=(user, password))
    assert whoami.status_code == 200, whoami.text
    assert whoami.json()["name"] == user
    granted = broker.get(f"/api/users/{seg(user)}/permissions").json()
    assert [(p["vhost"], p["configure"], p["write"], p["read"]) for p in granted] == [
        (vhost, "^cfg", "^w", ".*")
    ]
    topic = broker.get(f"/api/users/{seg(user)}/topic-permissions").json()
    assert [(t["vhost"], t["exchange"], t["write"], t["read"]) for t in topic] == [
        (vhost, "amq.topic", "^t", ".*")
    ]
    assert broker.get("/api/whoami", auth=(user, password + "x")).status_code == 401


async def test_revoking_the_lease_deletes_the_user_idempotently(api: Api) -> None:
    await api.ok("POST", "roles/r", {"tags": "management"})
    body = await api.creds("r")
    user = body["data"]["username"]
    assert api.broker.user_exists(user)
    resp = await api.server.call("PUT", "sys/leases/revoke", {"lease_id": body["lease_id"]})
    assert resp.status_code == 204, resp.text
    assert not api.broker.user_exists(user)
    found = api.server.core.mounts.route("rabbitmq/")
    assert found is not None
    backend = found[0].backend
    assert isinstance(backend, RabbitMqBackend)
    await backend.revoke_lease({"username": user})  # gone already: still success
    await backend.renew_lease({"username": user}, 0.0)  # a no-op, as in Vault


async def test_lease_config_ttls_and_expiry_deletes_the_user(api: Api) -> None:
    await api.ok("POST", "config/lease", {"ttl": 60, "max_ttl": 120})
    await api.ok("POST", "roles/short", {"tags": "", "vhosts": '{"/": {"read": ".*"}}'})
    body = await api.creds("short")
    user = body["data"]["username"]
    assert body["lease_duration"] == 60
    resp = await api.server.call(
        "PUT", "sys/leases/renew", {"lease_id": body["lease_id"], "increment": 30}
    )
    assert resp.status_code == 200, resp.text
    assert api.broker.user_exists(user)
    api.server.clock.advance(121)
    await scheduler.tick(api.server.core)
    assert not api.broker.user_exists(user)


async def test_custom_username_template(api: Api) -> None:
    assert (
        await api.configure(username_template="sr-{{ .RoleName }}-{{ random 8 }}")
    ).status_code == 204
    await api.ok("POST", "roles/tmpl", {"tags": "management"})
    user = (await api.creds("tmpl"))["data"]["username"]
    assert user.startswith("sr-tmpl-")
    assert len(user) == len("sr-tmpl-") + 8
    assert api.broker.user_exists(user)
