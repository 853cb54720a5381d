"""sys/init, sys/unseal, sys/seal, sys/seal-status, sys/health over the ASGI app."""

from __future__ import annotations

import base64

from support.inproc import Server


async def test_uninitialised_health_and_init_status(fresh: Server) -> None:
    resp = await fresh.call("GET", "sys/health", token=None)
    assert resp.status_code == 501
    assert resp.json()["initialized"] is False
    assert (await fresh.call("GET", "sys/init", token=None)).json() == {"initialized": False}


async def test_init_returns_keys_and_leaves_sealed(fresh: Server) -> None:
    resp = await fresh.call("PUT", "sys/init", {"secret_shares": 5, "secret_threshold": 3}, None)
    body = resp.json()
    assert resp.status_code == 200
    assert set(body) == {"keys", "keys_base64", "root_token"}
    assert len(body["keys"]) == 5
    assert [base64.b64decode(k).hex() for k in body["keys_base64"]] == body["keys"]
    assert body["root_token"].startswith("hvs.")
    status = (await fresh.call("GET", "sys/seal-status", token=None)).json()
    assert status["sealed"] is True
    assert (status["t"], status["n"], status["progress"]) == (3, 5, 0)
    again = await fresh.call("PUT", "sys/init", {"secret_shares": 1, "secret_threshold": 1}, None)
    assert again.status_code == 400
    assert again.json() == {"errors": ["Vault is already initialized"]}


async def test_unseal_progress_reset_and_completion(fresh: Server) -> None:
    body = (
        await fresh.call("PUT", "sys/init", {"secret_shares": 5, "secret_threshold": 3}, None)
    ).json()
    keys = body["keys"]
    first = (await fresh.call("PUT", "sys/unseal", {"key": keys[0]}, None)).json()
    assert (first["sealed"], first["progress"]) == (True, 1)
    reset = (await fresh.call("PUT", "sys/unseal", {"reset": True}, None)).json()
    assert reset["progress"] == 0
    for i, key in enumerate(body["keys_base64"][1:4]):
        status = (await fresh.call("PUT", "sys/unseal", {"key": key}, None)).json()
        assert status["sealed"] is (i < 2)
    assert status["progress"] == 0
    assert status["cluster_id"]
    health = await fresh.call("GET", "sys/health", token=None)
    assert health.status_code == 200


async def test_wrong_shares_fail_and_stay_sealed(fresh: Server) -> None:
    await fresh.call("PUT", "sys/init", {"secret_shares": 3, "secret_threshold": 2}, None)
    bogus = [bytes([i]) * 33 for i in (1, 2)]
    await fresh.call("PUT", "sys/unseal", {"key": bogus[0].hex()}, None)
    resp = await fresh.call("PUT", "sys/unseal", {"key": bogus[1].hex()}, None)
    assert resp.status_code == 400
    status = (await fresh.call("GET", "sys/seal-status", token=None)).json()
    assert (status["sealed"], status["progress"]) == (True, 0)


async def test_unseal_rejects_undecodable_key(server: Server) -> None:
    await server.call("PUT", "sys/seal")
    resp = await server.call("PUT", "sys/unseal", {"key": "not hex or base64!"}, None)
    assert resp.status_code == 400
    assert "not hex or base64" not in resp.text


async def test_seal_then_everything_is_503(server: Server) -> None:
    assert (await server.call("PUT", "sys/seal")).status_code == 204
    resp = await server.call("GET", "sys/mounts")
    assert resp.status_code == 503
    assert resp.json() == {"errors": ["Vault is sealed"]}
    assert (await server.call("GET", "sys/health", token=None)).status_code == 503
    assert server.core.barrier.sealed


async def test_health_query_overrides(server: Server) -> None:
    resp = await server.call("GET", "sys/health?activecode=299", token=None)
    assert resp.status_code == 299
    await server.call("PUT", "sys/seal")
    assert (await server.call("GET", "sys/health?sealedcode=200", token=None)).status_code == 200
    head = await server.call("HEAD", "sys/health", token=None)
    assert (head.status_code, head.content) == (503, b"")


async def test_health_body_shape(server: Server) -> None:
    body = (await server.call("GET", "sys/health", token=None)).json()
    assert body["initialized"] is True
    assert body["sealed"] is False
    assert body["standby"] is False
    assert isinstance(body["server_time_utc"], int)
