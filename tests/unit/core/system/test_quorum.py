"""sys/rekey, sys/generate-root, sys/rotate and sys/key-status."""

from __future__ import annotations

import base64

from support.inproc import Server


def decode_root(encoded: str, otp: str) -> str:
    raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4))
    return bytes(a ^ b for a, b in zip(raw, otp.encode(), strict=True)).decode()


async def test_rekey_issues_new_shares_and_old_ones_stop_working(server: Server) -> None:
    init = await server.call(
        "PUT", "sys/rekey/init", {"secret_shares": 3, "secret_threshold": 2}, None
    )
    status = init.json()
    assert (status["started"], status["n"], status["t"], status["required"]) == (True, 3, 2, 3)
    nonce = status["nonce"]
    for key in server.keys[:2]:
        step = (
            await server.call("PUT", "sys/rekey/update", {"key": key, "nonce": nonce}, None)
        ).json()
        assert step.get("complete") is not True
    done = (
        await server.call("PUT", "sys/rekey/update", {"key": server.keys[2], "nonce": nonce}, None)
    ).json()
    assert done["complete"] is True
    assert len(done["keys"]) == 3
    await server.call("PUT", "sys/seal")
    server.keys = done["keys"]
    for key in server.keys[:2]:
        await server.call("PUT", "sys/unseal", {"key": key}, None)
    assert not server.core.sealed


async def test_rekey_nonce_mismatch_and_cancel(server: Server) -> None:
    await server.call("PUT", "sys/rekey/init", {"secret_shares": 3, "secret_threshold": 2}, None)
    resp = await server.call(
        "PUT", "sys/rekey/update", {"key": server.keys[0], "nonce": "wrong"}, None
    )
    assert resp.status_code == 400
    again = await server.call(
        "PUT", "sys/rekey/init", {"secret_shares": 3, "secret_threshold": 2}, None
    )
    assert again.status_code == 400
    assert (await server.call("DELETE", "sys/rekey/init", token=None)).status_code == 204
    assert (await server.call("GET", "sys/rekey/init", token=None)).json()["started"] is False


async def test_rekey_invalid_parameters(server: Server) -> None:
    resp = await server.call(
        "PUT", "sys/rekey/init", {"secret_shares": 1, "secret_threshold": 3}, None
    )
    assert resp.status_code == 400


async def test_generate_root_otp_flow(server: Server) -> None:
    start = (await server.call("PUT", "sys/generate-root/attempt", {}, None)).json()
    otp, nonce = start["otp"], start["nonce"]
    assert len(otp) == start["otp_length"] == 28
    for key in server.keys[:3]:
        step = (
            await server.call("PUT", "sys/generate-root/update", {"key": key, "nonce": nonce}, None)
        ).json()
    assert step["complete"] is True
    token = decode_root(step["encoded_token"], otp)
    assert token.startswith("hvs.")
    assert (await server.call("GET", "sys/mounts", token=token)).status_code == 200
    after = (await server.call("GET", "sys/generate-root/attempt", token=None)).json()
    assert after["started"] is False


async def test_generate_root_with_wrong_shares_gives_no_token(server: Server) -> None:
    start = (await server.call("PUT", "sys/generate-root/attempt", {}, None)).json()
    for i in range(3):
        resp = await server.call(
            "PUT",
            "sys/generate-root/update",
            {"key": (bytes([i + 1]) * 33).hex(), "nonce": start["nonce"]},
            None,
        )
    assert resp.status_code == 400
    assert "encoded_token" not in resp.text


async def test_rotate_adds_a_term(server: Server) -> None:
    first = (await server.call("GET", "sys/key-status")).json()["data"]
    assert first["term"] == 1
    assert (await server.call("PUT", "sys/rotate")).status_code == 204
    second = (await server.call("GET", "sys/key-status")).json()["data"]
    assert second["term"] == 2
    # data written under term 1 still opens after the rotation
    assert (await server.call("GET", "sys/mounts")).status_code == 200


async def test_metrics_prometheus_and_json(server: Server) -> None:
    await server.call("GET", "sys/mounts")
    prom = await server.call("GET", "sys/metrics?format=prometheus")
    assert prom.status_code == 200
    assert prom.headers["content-type"].startswith("text/plain")
    assert "strongroom_core_unsealed 1" in prom.text
    assert 'code="200",mount="sys/"' in prom.text
    body = (await server.call("GET", "sys/metrics")).json()
    assert body["Gauges"][0]["Name"] == "strongroom.core.unsealed"
