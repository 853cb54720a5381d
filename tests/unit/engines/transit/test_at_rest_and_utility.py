"""Key material never reaches storage in plaintext (DESIGN.md invariants 1 and 7); the
key-less `random` and `hash` endpoints; the `create` capability gate of encrypt's upsert."""

from __future__ import annotations

import base64
import hashlib

import pytest

from strongroom.storage.inmem import InmemBackend
from support.api import running
from unit.engines.transit.transit_api import Api, b64


async def _everything(physical: InmemBackend, prefix: str = "") -> list[bytes]:
    """Every stored value, walked through the storage contract's LIST."""
    found: list[bytes] = []
    for segment in await physical.list(prefix):
        if segment.endswith("/"):
            found += await _everything(physical, prefix + segment)
            continue
        entry = await physical.get(prefix + segment)
        assert entry is not None
        found.append(entry.value)
    return found


async def test_no_key_material_in_storage() -> None:
    physical = InmemBackend()
    async with running(physical) as server:
        api = Api(server)
        await api.mount_engine()
        secrets_seen: list[bytes] = []
        for key_type in ("aes256-gcm96", "hmac", "ed25519"):
            name = f"k-{key_type}"
            await api.create(name, type=key_type, exportable=True)
            kind = {"aes256-gcm96": "encryption-key", "hmac": "hmac-key", "ed25519": "signing-key"}
            exported = (await api.get(f"export/{kind[key_type]}/{name}"))["data"]["keys"]["1"]
            secrets_seen.append(base64.b64decode(exported))
        plaintext = b"at-rest-canary-7f1e"
        await api.encrypt("k-aes256-gcm96", plaintext)
        blobs = await _everything(physical)
        assert len(blobs) > 5
        for secret in [*secrets_seen, plaintext]:
            for text in (secret, base64.b64encode(secret), secret.hex().encode()):
                assert not any(text in blob for blob in blobs)


@pytest.mark.parametrize(
    ("path", "body", "size"),
    [
        ("random", {}, 32),
        ("random/16", {}, 16),
        ("random/all/24", {}, 24),
        ("random/seal", {"bytes": 8}, 8),
        ("random", {"bytes": 12, "format": "hex"}, 12),
    ],
)
async def test_random(api: Api, path: str, body: dict[str, object], size: int) -> None:
    found = (await api.data(path, body))["random_bytes"]
    raw = bytes.fromhex(found) if body.get("format") == "hex" else base64.b64decode(found)
    assert len(raw) == size


async def test_random_refusals(api: Api) -> None:
    assert await api.error("POST", "random", {"bytes": 0}) == '"bytes" cannot be less than 1'
    assert await api.error("POST", "random/131073") == '"bytes" should be less than 131072'
    assert await api.error("POST", "random", {"format": "b32"}) == (
        'unsupported encoding format "b32"; must be "hex" or "base64"'
    )
    assert await api.error("POST", "random/moon/4") == 'unsupported entropy source "moon"'


@pytest.mark.parametrize(
    "algorithm", ["sha2-224", "sha2-256", "sha2-384", "sha2-512", "sha3-256", "sha3-512"]
)
async def test_hash(api: Api, algorithm: str) -> None:
    name = algorithm.replace("sha2-", "sha").replace("sha3-", "sha3_")
    expected = hashlib.new(name, b"hello").digest()
    found = await api.data(f"hash/{algorithm}", {"input": b64(b"hello")})
    assert bytes.fromhex(found["sum"]) == expected
    body = {"input": b64(b"hello"), "algorithm": algorithm, "format": "base64"}
    assert base64.b64decode((await api.data("hash", body))["sum"]) == expected


async def test_hash_refusals(api: Api) -> None:
    assert (await api.data("hash", {"input": b64(b"hello")}))["sum"] == hashlib.sha256(
        b"hello"
    ).hexdigest()
    assert await api.error("POST", "hash/md5", {"input": ""}) == "unsupported algorithm"
    assert await api.error("POST", "hash", {"input": "%%"}) == "unable to decode input as base64"


async def test_encrypt_upsert_needs_create_capability(api: Api) -> None:
    policy = 'path "transit/encrypt/*" { capabilities = ["update"] }'
    await api.server.call("PUT", "sys/policies/acl/updater", {"policy": policy})
    resp = await api.server.call("POST", "auth/token/create", {"policies": ["updater"]})
    token = resp.json()["auth"]["client_token"]
    await api.create("exists")
    body = {"plaintext": b64(b"x")}
    await api.expect("POST", "encrypt/exists", body, token=token)
    await api.expect("POST", "encrypt/missing", body, status=403, token=token)
    await api.get("keys/missing", status=404)
