"""One-call provisioning: sys/tenants applies a blueprint idempotently and shows drift;
sys/tenants/:name/services/:service onboards a service end to end with a wrapped secret ID."""

from __future__ import annotations

import base64
from typing import Any

from support.inproc import Server


def ns(path: str) -> dict[str, str]:
    return {"X-Vault-Namespace": path}


async def provision(server: Server, tenant: str, **body: Any) -> dict[str, Any]:
    resp = await server.call("POST", f"sys/tenants/{tenant}", body)
    assert resp.status_code == 200, resp.text
    answer: dict[str, Any] = resp.json()
    return answer


async def test_provisioning_is_one_call_and_idempotent(server: Server) -> None:
    first = await provision(server, "acme", custom_metadata={"owner": "ops"})
    data = first["data"]
    assert (data["created"], data["changed"], data["blueprint"]) == (True, True, "default")
    assert data["namespace"]["path"] == "acme/"
    assert data["namespace"]["custom_metadata"]["owner"] == "ops"
    kinds = [a["action"] for a in data["actions"]]
    assert kinds.count("enable_mount") == 3
    assert "create_key" in kinds
    assert "write_policy" in kinds
    mounts = (await server.call("GET", "sys/mounts", headers=ns("acme"))).json()["data"]
    assert {"secret/", "transit/"} <= set(mounts)
    key = await server.call("GET", "transit/keys/tenant", headers=ns("acme"))
    assert key.json()["data"]["auto_rotate_period"] == 30 * 24 * 3600

    again = await provision(server, "acme")
    assert again["data"]["changed"] is False
    assert again["data"]["actions"] == []
    assert again["warnings"] == ["nothing to change: the tenant already matches its blueprint"]
    shown = (await server.call("GET", "sys/tenants/acme")).json()["data"]
    assert shown["converged"] is True
    assert "tenant-admin" in shown["policies"]


async def test_drift_is_shown_and_repaired(server: Server) -> None:
    await provision(server, "acme")
    await server.call(
        "PUT",
        "sys/policies/acl/tenant-admin",
        {"policy": 'path "secret/*" { capabilities = ["read"] }'},
        headers=ns("acme"),
    )
    await server.call(
        "POST", "transit/keys/tenant/config", {"auto_rotate_period": "1h"}, headers=ns("acme")
    )
    shown = (await server.call("GET", "sys/tenants/acme")).json()["data"]
    assert shown["converged"] is False
    drifted = {(d["kind"], d["field"]) for d in shown["drift"]}
    assert ("policy", "text") in drifted or any(k == "policy" for k, _ in drifted)
    assert any(kind == "transit_key" for kind, _ in drifted)
    repaired = await provision(server, "acme")
    assert repaired["data"]["changed"] is True
    assert (await server.call("GET", "sys/tenants/acme")).json()["data"]["converged"] is True


async def test_unknown_tenant_blueprint_and_bad_names(server: Server) -> None:
    assert (await server.call("GET", "sys/tenants/nobody")).status_code == 404
    bad = await server.call("POST", "sys/tenants/acme", {"blueprint": "no-such"})
    assert bad.status_code == 400
    for name in ("Acme", "a_b", "-x"):
        resp = await server.call("POST", f"sys/tenants/{name}", {})
        assert resp.status_code == 400, name


async def test_a_service_is_onboarded_end_to_end(server: Server) -> None:
    await provision(server, "acme")
    await provision(server, "other")
    resp = await server.call("POST", "sys/tenants/acme/services/billing", {"wrap_ttl": "2m"})
    assert resp.status_code == 200, resp.text
    onboarded = resp.json()["data"]
    assert onboarded["role_name"] == "billing"
    wrap = onboarded["secret_id_wrap_info"]
    assert wrap["ttl"] == 120

    unwrapped = await server.call("POST", "sys/wrapping/unwrap", token=wrap["token"])
    secret_id = unwrapped.json()["data"]["secret_id"]
    assert secret_id not in resp.text  # only the wrapping token travelled
    again = await server.call("POST", "sys/wrapping/unwrap", token=wrap["token"])
    assert again.status_code in (400, 403)  # single use

    login = await server.call(
        "POST",
        "auth/approle/login",
        {"role_id": onboarded["role_id"], "secret_id": secret_id},
        token=None,
        headers=ns("acme"),
    )
    assert login.status_code == 200, login.text
    token = login.json()["auth"]["client_token"]

    await server.call("POST", "secret/data/billing", {"data": {"db": "pw"}}, headers=ns("acme"))
    await server.call("POST", "secret/data/payroll", {"data": {"db": "x"}}, headers=ns("acme"))
    mine = await server.call("GET", "secret/data/billing", token=token, headers=ns("acme"))
    assert mine.json()["data"]["data"] == {"db": "pw"}
    plaintext = base64.b64encode(b"4111 1111").decode()
    sealed = await server.call(
        "POST",
        "transit/encrypt/service-billing",
        {"plaintext": plaintext},
        token=token,
        headers=ns("acme"),
    )
    assert sealed.status_code == 200, sealed.text
    ciphertext = sealed.json()["data"]["ciphertext"]
    opened = await server.call(
        "POST",
        "transit/decrypt/service-billing",
        {"ciphertext": ciphertext},
        token=token,
        headers=ns("acme"),
    )
    assert opened.json()["data"]["plaintext"] == plaintext

    for method, path, where in (
        ("GET", "secret/data/payroll", "acme"),
        ("POST", "transit/encrypt/tenant", "acme"),
        ("GET", "secret/data/billing", "other"),
    ):
        refused = await server.call(
            method, path, {"plaintext": plaintext}, token=token, headers=ns(where)
        )
        assert refused.status_code == 403, (path, where)


async def test_a_noisy_tenant_does_not_starve_another(server: Server) -> None:
    await provision(server, "noisy")
    await provision(server, "quiet")
    quota = await server.call("POST", "sys/quotas/rate-limit/noisy", {"path": "noisy/", "rate": 5})
    assert quota.status_code == 204, quota.text
    flood = [
        (await server.call("GET", "sys/mounts", headers=ns("noisy"))).status_code for _ in range(50)
    ]
    assert flood.count(200) == 5
    assert flood.count(429) == 45
    quiet = [
        (await server.call("GET", "sys/mounts", headers=ns("quiet"))).status_code for _ in range(20)
    ]
    assert set(quiet) == {200}


async def test_a_tenant_may_not_take_a_reserved_name(server: Server) -> None:
    for name in ("sys", "auth", "root", "identity", "cubbyhole"):
        refused = await server.call("POST", f"sys/tenants/{name}", {})
        assert refused.status_code == 400, name
    assert (await server.call("GET", "sys/mounts")).status_code == 200  # root sys/ still ours
