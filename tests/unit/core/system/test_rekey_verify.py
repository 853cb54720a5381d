"""sys/init and sys/rekey with PGP-encrypted shares, rekey verification and backups, and
sys/generate-root with a PGP-encrypted token; wire shapes as OpenBao 2.7.2 answers them."""

from __future__ import annotations

from base64 import b64decode
from typing import Any

from support.inproc import Server
from support.pgp_keys import Operator, operators


async def _put(server: Server, path: str, body: dict[str, Any], status: int = 200) -> Any:
    resp = await server.call("PUT", path, body, token=None)
    assert resp.status_code == status, resp.text
    return resp.json()


async def _unseals_with(server: Server, keys: list[str]) -> bool:
    await server.call("PUT", "sys/seal")
    for key in keys:
        await _put(server, "sys/unseal", {"key": key})
    return not server.core.sealed


async def _seal_shape(server: Server) -> tuple[int, int]:
    status = (await server.call("GET", "sys/seal-status", token=None)).json()
    return status["n"], status["t"]


async def test_init_encrypts_each_share_and_the_root_token(fresh: Server) -> None:
    ops = operators(3)
    body = {
        "secret_shares": 3,
        "secret_threshold": 2,
        "pgp_keys": [op.public for op in ops],
        "root_token_pgp_key": ops[0].public,
    }
    init = await _put(fresh, "sys/init", body)
    assert sorted(init) == ["keys", "keys_base64", "root_token"]
    shares = [op.decrypt(key) for op, key in zip(ops, init["keys_base64"], strict=True)]
    assert [bytes.fromhex(k) for k in init["keys"]] == [b64decode(k) for k in init["keys_base64"]]
    fresh.root_token = ops[0].decrypt(init["root_token"])
    assert fresh.root_token.startswith("hvs.")
    for share in shares[:2]:
        await _put(fresh, "sys/unseal", {"key": share})
    assert not fresh.core.sealed
    assert (await fresh.call("GET", "auth/token/lookup-self")).status_code == 200


async def test_init_refuses_bad_pgp_input_before_creating_the_seal(fresh: Server) -> None:
    (op,) = operators(1)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"pgp_keys": [op.public]}, "count mismatch between number of provided PGP keys"),
        ({"pgp_keys": ["!!", "x"]}, "error decoding given PGP key"),
        ({"pgp_keys": ["aGVsbG8=", "aGVsbG8="]}, "error parsing given PGP key"),
        ({"root_token_pgp_key": "aGVsbG8="}, "error parsing given PGP key"),
    ]
    for extra, message in cases:
        body = {"secret_shares": 2, "secret_threshold": 2, **extra}
        errors = (await _put(fresh, "sys/init", body, 400))["errors"]
        assert message in errors[0]
        assert "aGVsbG8" not in errors[0]
    assert (await fresh.call("GET", "sys/init", token=None)).json() == {"initialized": False}


async def _rekey_to(server: Server, ops: list[Operator], **flags: bool) -> dict[str, Any]:
    body = {"secret_shares": len(ops), "secret_threshold": 2, **flags}
    started = await _put(server, "sys/rekey/init", {**body, "pgp_keys": [o.public for o in ops]})
    for key in server.keys[:3]:
        done = await _put(server, "sys/rekey/update", {"key": key, "nonce": started["nonce"]})
    assert done["complete"] is True
    return dict(done)


async def test_rekey_with_verification_keeps_the_old_shares_until_verified(server: Server) -> None:
    ops = operators(2)
    done = await _rekey_to(server, ops, require_verification=True)
    assert sorted(done) == [
        "backup",
        "complete",
        "keys",
        "keys_base64",
        "nonce",
        "pgp_fingerprints",
        "verification_nonce",
        "verification_required",
    ]
    assert done["pgp_fingerprints"] == [op.fingerprint for op in ops]
    new = [op.decrypt(key) for op, key in zip(ops, done["keys_base64"], strict=True)]
    status = (await server.call("GET", "sys/rekey/init", token=None)).json()
    assert status["verification_nonce"] == done["verification_nonce"]
    assert (status["started"], status["progress"], status["nonce"]) == (True, 0, done["nonce"])
    again = await _put(server, "sys/rekey/update", {"key": server.keys[0], "nonce": "x"}, 400)
    assert "verification must be performed" in again["errors"][0]

    verify = (await server.call("GET", "sys/rekey/verify", token=None)).json()
    assert verify == {
        "nonce": done["verification_nonce"],
        "started": True,
        "t": 2,
        "n": 2,
        "progress": 0,
    }
    assert await _seal_shape(server) == (5, 3)  # not yet rekeyed

    nonce = verify["nonce"]
    await _put(server, "sys/rekey/verify", {"key": new[0], "nonce": nonce})
    fin = await _put(server, "sys/rekey/verify", {"key": new[1], "nonce": nonce})
    assert fin == {"nonce": nonce, "complete": True}
    assert (await server.call("GET", "sys/rekey/init", token=None)).json()["started"] is False
    assert await _unseals_with(server, new)


async def test_wrong_verification_shares_rotate_the_nonce(server: Server) -> None:
    done = await _rekey_to(server, operators(2), require_verification=True)
    nonce = done["verification_nonce"]
    await _put(server, "sys/rekey/verify", {"key": server.keys[0], "nonce": nonce})
    failed = await _put(server, "sys/rekey/verify", {"key": server.keys[1], "nonce": nonce}, 400)
    assert failed["errors"] == ["rekey verification failed; incorrect key shares supplied"]
    status = (await server.call("GET", "sys/rekey/verify", token=None)).json()
    assert status["nonce"] != nonce
    assert status["progress"] == 0
    restarted = (await server.call("DELETE", "sys/rekey/verify", token=None)).json()
    assert restarted["nonce"] != status["nonce"]
    assert restarted["started"] is True
    assert (await server.call("DELETE", "sys/rekey/init", token=None)).status_code == 204
    assert await _seal_shape(server) == (5, 3)  # canceled: the old shares still rule
    missing = await server.call("GET", "sys/rekey/verify", token=None)
    assert missing.json() == {"errors": ["no rekey configuration found"]}


async def test_rekey_backup_holds_the_encrypted_shares_until_deleted(server: Server) -> None:
    ops = operators(3)
    done = await _rekey_to(server, ops, backup=True)
    backup = (await server.call("GET", "sys/rekey/backup")).json()
    assert backup["data"]["nonce"] == done["nonce"]
    assert backup["data"]["keys"] == {
        op.fingerprint: [key] for op, key in zip(ops, done["keys"], strict=True)
    }
    decrypted = [op.decrypt(backup["data"]["keys_base64"][op.fingerprint][0]) for op in ops]
    assert await _unseals_with(server, decrypted[:2])
    assert (await server.call("DELETE", "sys/rekey/backup")).status_code == 204
    gone = await server.call("GET", "sys/rekey/backup")
    assert (gone.status_code, gone.json()) == (400, {"errors": ["no backed-up keys found"]})


async def test_rekey_backup_needs_pgp_keys_and_a_policy(server: Server) -> None:
    body = {"secret_shares": 2, "secret_threshold": 2, "backup": True}
    refused = await _put(server, "sys/rekey/init", body, 400)
    assert "without providing PGP keys" in refused["errors"][0]
    wrong = await _put(server, "sys/rekey/init", {**body, "pgp_keys": ["aGVsbG8="]}, 400)
    assert wrong["errors"] == ["incorrect number of PGP keys for rekey"]
    policy = {"policy": 'path "sys/rekey/backup" { capabilities = ["read"] }'}
    await server.call("PUT", "sys/policies/acl/backup-reader", policy)
    for policies, status in ((["default"], 403), (["backup-reader"], 400)):  # 400: none yet
        made = await server.call("POST", "auth/token/create", {"policies": policies})
        token = made.json()["auth"]["client_token"]
        assert (await server.call("GET", "sys/rekey/backup", token=token)).status_code == status


async def test_generate_root_encrypts_the_token_to_a_pgp_key(server: Server) -> None:
    (op,) = operators(1)
    start = await _put(server, "sys/generate-root/attempt", {"pgp_key": op.public})
    assert (start["pgp_fingerprint"], start["otp"]) == (op.fingerprint, "")
    for key in server.keys[:3]:
        step = await _put(server, "sys/generate-root/update", {"key": key, "nonce": start["nonce"]})
    token = op.decrypt(step["encoded_token"])
    assert (await server.call("GET", "sys/mounts", token=token)).status_code == 200


async def test_generate_root_token_is_the_authenticated_twin(server: Server) -> None:
    assert (
        await server.call("GET", "sys/generate-root-token/attempt", token=None)
    ).status_code == 403
    idle = (await server.call("GET", "sys/generate-root-token/attempt")).json()["data"]
    assert idle == {
        "started": False,
        "complete": False,
        "progress": 0,
        "required": 3,
        "otp": "",
        "otp_length": 28,
    }
    start = (await server.call("PUT", "sys/generate-root-token/attempt", {})).json()["data"]
    assert sorted(start) == sorted([*idle, "nonce", "pgp_fingerprint"])
    assert start["otp"]
    for key in server.keys[:3]:
        step = await server.call(
            "PUT", "sys/generate-root-token/update", {"key": key, "nonce": start["nonce"]}
        )
    data = step.json()["data"]
    assert sorted(data) == [
        "complete",
        "encoded_token",
        "nonce",
        "pgp_fingerprint",
        "progress",
        "required",
        "started",
    ]
    decoded = await server.call(
        "PUT", "sys/decode-token", {"encoded_token": data["encoded_token"], "otp": start["otp"]}
    )
    token = decoded.json()["data"]["token"]
    assert (await server.call("GET", "sys/mounts", token=token)).status_code == 200


async def test_rotate_root_is_the_authenticated_twin_of_rekey(server: Server) -> None:
    idle = await server.call("GET", "sys/rotate/root/init")
    assert idle.json()["data"] == {"n": 0, "required": 3, "started": False, "t": 0}
    assert (await server.call("GET", "sys/rotate/root/init", token=None)).status_code == 403
    body = {"secret_shares": 1, "secret_threshold": 1, "require_verification": True}
    started = (await server.call("PUT", "sys/rotate/root/init", body)).json()["data"]
    assert (started["verification_nonce"], started["progress"]) == ("", 0)
    for key in server.keys[:3]:
        step = await server.call(
            "PUT", "sys/rotate/root/update", {"key": key, "nonce": started["nonce"]}
        )
    done = step.json()["data"]
    assert done["complete"] is True
    assert len(done["keys"]) == 1
    verify = (await server.call("GET", "sys/rotate/root/verify")).json()["data"]
    assert verify["nonce"] == done["verification_nonce"]
    body = {"key": done["keys"][0], "nonce": verify["nonce"]}
    fin = (await server.call("PUT", "sys/rotate/root/verify", body)).json()["data"]
    assert fin == {"nonce": verify["nonce"], "complete": True}
    assert await _seal_shape(server) == (1, 1)


async def test_a_sealed_node_neither_rekeys_nor_generates_roots(server: Server) -> None:
    await server.call("PUT", "sys/seal")
    body = {"secret_shares": 1, "secret_threshold": 1}
    for method, path in (
        ("GET", "sys/rekey/init"),
        ("PUT", "sys/rekey/init"),
        ("GET", "sys/rekey/verify"),
        ("PUT", "sys/generate-root/attempt"),
    ):
        resp = await server.call(method, path, body, token=None)
        assert (resp.status_code, resp.json()) == (503, {"errors": ["Vault is sealed"]})
