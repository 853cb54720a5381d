"""The transit issue's done-when, with hvac against the real server on SQLite: every
`secrets.transit.*` method unchanged, and counter-driven rotation that happens exactly once per
crossing even when the server is SIGKILLed mid-run."""

from __future__ import annotations

import base64
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import hvac
import hvac.exceptions
import pytest

from support.procs import SQLITE_CONFIG, RunningServer, start_server, stop

pytestmark = pytest.mark.slow
CANARY = b"transit-functional-canary-93b2"


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def unseal(server: RunningServer, keys: list[str], token: str) -> hvac.Client:
    client = hvac.Client(url=server.address)
    for key in keys:
        client.sys.submit_unseal_key(key)
    client.token = token
    return client


@pytest.fixture
def client(sqlite_server: RunningServer) -> Iterator[hvac.Client]:
    client = hvac.Client(url=sqlite_server.address)
    result = client.sys.initialize(1, 1)
    client.sys.submit_unseal_key(result["keys"][0])
    client.token = result["root_token"]
    client.sys.enable_secrets_engine("transit")
    yield client
    client.adapter.close()


def test_key_management_with_hvac(client: hvac.Client) -> None:
    transit = client.secrets.transit
    transit.create_key("app", exportable=True, allow_plaintext_backup=True)
    transit.create_key("signer", key_type="ecdsa-p256")
    assert transit.read_key("app")["data"]["type"] == "aes256-gcm96"
    assert transit.list_keys()["data"]["keys"] == ["app", "signer"]
    transit.rotate_key("app")
    transit.update_key_configuration("app", min_decryption_version=1, min_encryption_version=2)
    assert transit.read_key("app")["data"]["latest_version"] == 2
    exported = transit.export_key("app", key_type="encryption-key", version="latest")
    assert list(exported["data"]["keys"]) == ["2"]
    with pytest.raises(hvac.exceptions.InvalidRequest, match="not exportable"):
        transit.export_key("signer", key_type="signing-key")
    backup = transit.backup_key("app")["data"]["backup"]
    transit.restore_key(backup, name="app-copy")
    assert transit.read_key("app-copy")["data"]["latest_version"] == 2
    transit.update_key_configuration("app", min_decryption_version=2)
    trimmed = transit.trim_key("app", min_version=2)
    assert trimmed["data"]["min_available_version"] == 2
    with pytest.raises(hvac.exceptions.InvalidRequest, match="deletion is not allowed"):
        transit.delete_key("app-copy")
    transit.update_key_configuration("app-copy", deletion_allowed=True)
    transit.delete_key("app-copy")
    with pytest.raises(hvac.exceptions.InvalidPath):
        transit.read_key("app-copy")


def test_data_operations_with_hvac(client: hvac.Client, tmp_path: Path) -> None:
    transit = client.secrets.transit
    transit.create_key("app")
    ciphertext = transit.encrypt_data("app", b64(CANARY))["data"]["ciphertext"]
    assert base64.b64decode(transit.decrypt_data("app", ciphertext)["data"]["plaintext"]) == CANARY
    transit.rotate_key("app")
    rewrapped = transit.rewrap_data("app", ciphertext)["data"]["ciphertext"]
    assert rewrapped.startswith("vault:v2:")
    batch = [{"plaintext": b64(b"one")}, {"plaintext": b64(b"two")}]
    sealed = transit.encrypt_data("app", plaintext=None, batch_input=batch)["data"]["batch_results"]
    opened = transit.decrypt_data("app", ciphertext=None, batch_input=sealed)["data"][
        "batch_results"
    ]
    assert [base64.b64decode(r["plaintext"]) for r in opened] == [b"one", b"two"]
    with pytest.raises(hvac.exceptions.InvalidRequest, match="invalid ciphertext"):
        transit.decrypt_data("app", ciphertext[:-4] + "AAAA")
    datakey = transit.generate_data_key("app", key_type="plaintext", bits=256)["data"]
    assert len(base64.b64decode(datakey["plaintext"])) == 32
    assert len(transit.generate_random_bytes(n_bytes=16)["data"]["random_bytes"]) == 24
    summed = transit.hash_data(b64(b"x"), algorithm="sha2-256", output_format="hex")["data"]["sum"]
    assert len(summed) == 64
    mac = transit.generate_hmac("app", b64(b"msg"))["data"]["hmac"]
    assert transit.verify_signed_data("app", b64(b"msg"), hmac=mac)["data"]["valid"] is True
    for key_type in ("ed25519", "ecdsa-p384", "rsa-2048"):
        transit.create_key(key_type, key_type=key_type)
        signature = transit.sign_data(key_type, b64(b"msg"))["data"]["signature"]
        check = transit.verify_signed_data(key_type, b64(b"msg"), signature=signature)
        assert check["data"]["valid"] is True
    jws = transit.sign_data("ecdsa-p384", b64(b"m"), marshaling_algorithm="jws")["data"][
        "signature"
    ]
    check = transit.verify_signed_data(
        "ecdsa-p384", b64(b"m"), signature=jws, marshaling_algorithm="jws"
    )
    assert check["data"]["valid"] is True
    for file in tmp_path.glob("sr.db*"):  # the plaintext never reached the database
        assert CANARY not in file.read_bytes()


def _kill_hard(server: RunningServer) -> None:
    """SIGKILL the server and every process it forked (granian's workers): a crash."""
    pids = [server.process.pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == server.process.pid:
                pids.append(int(entry.name))
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    server.process.wait()


def _encrypt(client: hvac.Client, count: int) -> list[int]:
    batch = [{"plaintext": b64(b"x")} for _ in range(count)]
    results = client.secrets.transit.encrypt_data("k", None, batch_input=batch)["data"]
    return [item["key_version"] for item in results["batch_results"]]


def test_counter_rotation_survives_sigkill(tmp_path: Path) -> None:
    config = SQLITE_CONFIG.replace("DBPATH", str(tmp_path / "sr.db"))
    server = start_server(tmp_path, config, workers=2)
    try:
        client = hvac.Client(url=server.address)
        init = client.sys.initialize(1, 1)
        keys, token = init["keys"], init["root_token"]
        client = unseal(server, keys, token)
        # 4096 encryptions per version: storage reservations of 4 at a time per worker.
        client.sys.enable_secrets_engine("transit", options={"nonce_rotation_threshold": "4096"})
        client.secrets.transit.create_key("k")
        versions = _encrypt(client, 1000)
        _kill_hard(server)  # mid-run: reserved-but-unused counts die with the workers
        server = start_server(tmp_path, config, workers=2)
        client = unseal(server, keys, token)
        for _ in range(4):
            versions += _encrypt(client, 1000)
        _kill_hard(server)  # just after the crossing
        server = start_server(tmp_path, config, workers=2)
        client = unseal(server, keys, token)
        versions += _encrypt(client, 10)
        first = versions.count(1)
        assert 4096 - 2 * 4 * 2 <= first <= 4096  # never past the limit; a crash loses < blocks
        assert versions == [1] * first + [2] * (len(versions) - first)  # one rotation
        assert client.secrets.transit.read_key("k")["data"]["latest_version"] == 2
    finally:
        if server.process.poll() is None:
            stop(server)
