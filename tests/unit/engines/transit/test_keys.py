"""Key management over HTTP: create/read/list/delete, config, rotate, trim, export,
backup/restore and the mount settings, with Vault's shapes and refusals."""

from __future__ import annotations

import base64

import pytest

from unit.engines.transit.transit_api import Api, b64

ALL_TYPES = [
    "aes128-gcm96",
    "aes256-gcm96",
    "chacha20-poly1305",
    "ed25519",
    "ecdsa-p256",
    "ecdsa-p384",
    "ecdsa-p521",
    "rsa-2048",
    "hmac",
]


@pytest.mark.parametrize("key_type", ALL_TYPES)
async def test_create_and_read_shapes(api: Api, key_type: str) -> None:
    created = await api.create("k", type=key_type)
    read = (await api.get("keys/k"))["data"]
    assert created == read
    assert read["type"] == key_type
    assert (
        read["latest_version"],
        read["min_decryption_version"],
        read["min_encryption_version"],
    ) == (1, 1, 0)
    assert read["deletion_allowed"] is False
    assert read["exportable"] is False
    version = read["keys"]["1"]
    if key_type in {"ed25519", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-2048"}:
        assert read["supports_signing"] is True
        assert version["creation_time"].startswith("2027-01-15T")  # ManualClock's start
        assert version["public_key"]
        name = {"ecdsa-p256": "P-256", "ecdsa-p384": "P-384", "ecdsa-p521": "P-521"}
        assert version["name"] == name.get(key_type, key_type)
    else:
        assert version == 1_800_000_000
    if key_type == "hmac":
        assert read["key_size"] == 32
        assert not read["supports_encryption"]
        assert not read["supports_signing"]


async def test_creating_an_existing_key_changes_nothing(api: Api) -> None:
    first = await api.create("k")
    assert await api.create("k", type="ed25519", exportable=True) == first


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"type": "bogus"}, "unknown key type"),
        ({"key_size": 40}, "key_size is not valid for algorithm aes256-gcm96"),
        ({"type": "hmac", "key_size": 16}, "invalid key_size"),
        (
            {"auto_rotate_period": "30m"},
            "auto rotate period must be 0 to disable or at least an hour",
        ),
        (
            {"type": "ecdsa-p256", "derived": True},
            "key derivation not supported for keys of type ecdsa-p256",
        ),
        (
            {"type": "ed25519", "derived": True, "convergent_encryption": True},
            "convergent encryption not supported for keys of type ed25519",
        ),
    ],
)
async def test_create_refusals(api: Api, fields: dict[str, object], error: str) -> None:
    assert await api.error("POST", "keys/k", fields) == error
    await api.get("keys/k", status=404)


async def test_list_and_names(api: Api) -> None:
    await api.expect("LIST", "keys", status=404)
    for name in ("b-key", "a.key@x", "c_1"):
        await api.create(name)
    assert (await api.expect("LIST", "keys"))["data"]["keys"] == ["a.key@x", "b-key", "c_1"]
    await api.post("keys/-bad", status=404)  # not a key name: no such path


async def test_delete_needs_deletion_allowed(api: Api) -> None:
    await api.create("k")
    error = await api.error("DELETE", "keys/k")
    assert error == "error deleting policy k: deletion is not allowed for this key"
    await api.post("keys/k/config", {"deletion_allowed": True})
    await api.expect("DELETE", "keys/k", status=204)
    await api.get("keys/k", status=404)
    assert "not found" in await api.error("DELETE", "keys/k")


async def test_rotation_keeps_old_ciphertexts_readable(api: Api) -> None:
    await api.create("k")
    old = await api.encrypt("k", b"v1 data")
    rotated = await api.data("keys/k/rotate")
    assert rotated["latest_version"] == 2
    assert set(rotated["keys"]) == {"1", "2"}
    new = await api.encrypt("k", b"v2 data")
    assert new.startswith("vault:v2:")
    assert await api.decrypt("k", old) == b"v1 data"
    assert await api.decrypt("k", new) == b"v2 data"


async def test_min_decryption_version_refuses_older_ciphertext(api: Api) -> None:
    await api.create("k")
    old = await api.encrypt("k", b"old")
    await api.post("keys/k/rotate")
    new = await api.encrypt("k", b"new")
    config = await api.data("keys/k/config", {"min_decryption_version": 2})
    assert config["min_decryption_version"] == 2
    assert set(config["keys"]) == {"2"}
    error = await api.error("POST", "decrypt/k", {"ciphertext": old})
    assert error == "ciphertext or signature version is disallowed by policy (too old)"
    assert await api.decrypt("k", new) == b"new"
    await api.post("keys/k/config", {"min_decryption_version": 1})
    assert await api.decrypt("k", old) == b"old"  # not trimmed: still there


async def test_config_refusals_and_one_way_flags(api: Api) -> None:
    await api.create("k")
    assert "cannot set min decryption version of 5" in await api.error(
        "POST", "keys/k/config", {"min_decryption_version": 5}
    )
    assert await api.error("POST", "keys/k/config", {"min_encryption_version": -1}) == (
        "min encryption version cannot be negative"
    )
    assert (
        await api.error("POST", "keys/nokey/config", {})
        == "no existing key by that name could be found"
    )
    on = await api.data("keys/k/config", {"exportable": True, "allow_plaintext_backup": True})
    assert on["exportable"]
    assert on["allow_plaintext_backup"]
    still = await api.data("keys/k/config", {"exportable": False, "allow_plaintext_backup": False})
    assert still["exportable"]
    assert still["allow_plaintext_backup"]
    period = await api.data("keys/k/config", {"auto_rotate_period": "2h"})
    assert period["auto_rotate_period"] == 7200


async def test_min_encryption_version(api: Api) -> None:
    await api.create("k")
    await api.post("keys/k/rotate")
    await api.post("keys/k/rotate")
    await api.post("keys/k/config", {"min_encryption_version": 2, "min_decryption_version": 2})
    assert (await api.data("encrypt/k", {"plaintext": "", "key_version": 2}))["key_version"] == 2
    error = await api.error("POST", "encrypt/k", {"plaintext": "", "key_version": 1})
    assert (
        error == "requested version for encryption is less than the minimum encryption key version"
    )
    error = await api.error("POST", "encrypt/k", {"plaintext": "", "key_version": 4})
    assert error == "requested version for encryption is higher than the latest key version"


async def test_trim_deletes_old_versions_for_good(api: Api) -> None:
    await api.create("k", exportable=True)
    old = await api.encrypt("k", b"old")
    for _ in range(2):
        await api.post("keys/k/rotate")
    error = await api.error("POST", "keys/k/trim", {"min_available_version": 2})
    assert (
        error
        == "minimum available version cannot be set when minimum encryption version is not set"
    )
    await api.post("keys/k/config", {"min_encryption_version": 3, "min_decryption_version": 2})
    trimmed = await api.data("keys/k/trim", {"min_available_version": 2})
    assert trimmed["min_available_version"] == 2
    assert await api.error("POST", "keys/k/config", {"min_decryption_version": 1}) == (
        "min decryption version should not be less then min available version"
    )
    assert await api.error("POST", "decrypt/k", {"ciphertext": old}) == (
        "ciphertext or signature version is disallowed by policy (too old)"
    )
    assert set((await api.get("export/encryption-key/k"))["data"]["keys"]) == {"2", "3"}
    assert await api.error("POST", "keys/k/trim", {"min_available_version": 1}) == (
        "minimum available version cannot be decremented"
    )


async def test_non_exportable_keys_refuse_export(api: Api) -> None:
    await api.create("k")
    for kind in ("encryption-key", "hmac-key"):
        assert (
            await api.error("GET", f"export/{kind}/k") == "private key material is not exportable"
        )
    await api.create("s", type="ecdsa-p256")
    assert (
        await api.error("GET", "export/signing-key/s") == "private key material is not exportable"
    )
    public = (await api.get("export/public-key/s"))["data"]["keys"]["1"]
    assert public.startswith("-----BEGIN PUBLIC KEY-----")
    await api.get("export/encryption-key/none", status=404)
    assert await api.error("GET", "export/bogus-key/k") == "invalid export type"


async def test_export_formats_and_versions(api: Api) -> None:
    await api.create("k", type="aes128-gcm96", exportable=True)
    await api.post("keys/k/rotate")
    exported = (await api.get("export/encryption-key/k"))["data"]
    assert exported["name"] == "k"
    assert exported["type"] == "aes128-gcm96"
    assert {len(base64.b64decode(v)) for v in exported["keys"].values()} == {16}
    latest = (await api.get("export/encryption-key/k/latest"))["data"]["keys"]
    assert latest == {"2": exported["keys"]["2"]}
    assert (await api.get("export/encryption-key/k/v1"))["data"]["keys"] == {
        "1": exported["keys"]["1"]
    }
    assert (
        await api.error("GET", "export/encryption-key/k/9")
        == "version does not exist or cannot be found"
    )
    assert await api.error("GET", "export/signing-key/k") == "signing not supported for the key"
    await api.create("e", type="ed25519", exportable=True)
    raw = (await api.get("export/signing-key/e/1"))["data"]["keys"]["1"]
    assert len(base64.b64decode(raw)) == 64
    pem = (await api.get("export/signing-key/e/1?format=pem"))["data"]["keys"]["1"]
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert await api.error("GET", "export/signing-key/e?format=bogus") == "invalid format"


async def test_backup_and_restore(api: Api) -> None:
    await api.create("k")
    assert await api.error("GET", "backup/k") == "exporting is disallowed on the policy"
    await api.post("keys/k/config", {"exportable": True})
    assert await api.error("GET", "backup/k") == "plaintext backup is disallowed on the policy"
    await api.post("keys/k/config", {"allow_plaintext_backup": True})
    old = await api.encrypt("k", b"before")
    await api.post("keys/k/rotate")
    backup = (await api.get("backup/k"))["data"]["backup"]
    assert (await api.get("keys/k"))["data"]["backup_info"]["version"] == 2
    assert await api.error("POST", "restore", {"backup": backup}) == 'key "k" already exists'
    await api.expect("POST", "restore/copy", {"backup": backup}, status=204)
    assert await api.decrypt("copy", old) == b"before"
    copy = (await api.get("keys/copy"))["data"]
    assert copy["name"] == "copy"
    assert copy["latest_version"] == 2
    assert copy["restore_info"]["version"] == 2
    await api.expect("POST", "restore", {"backup": backup, "force": True}, status=204)
    assert await api.error("POST", "restore", {"backup": "bm9wZQ=="}) == "invalid backup"
    assert await api.error("POST", "restore", {}) == "'backup' must be supplied"


async def test_read_derived_ed25519_public_key_per_context(api: Api) -> None:
    await api.create("e", type="ed25519", derived=True)
    assert (await api.get("keys/e"))["data"]["keys"]["1"]["public_key"] == ""
    signed = await api.data("sign/e", {"input": b64(b"m"), "context": b64(b"c")})
    read = (await api.expect("GET", f"keys/e?context={b64(b'c')}"))["data"]
    assert read["keys"]["1"]["public_key"] == signed["public_key"]


async def test_cache_config(api: Api) -> None:
    assert (await api.get("cache-config"))["data"] == {"size": 0}
    assert await api.error("POST", "cache-config", {"size": 5}) == (
        "size must be 0 or a value greater or equal to 10"
    )
    assert (await api.data("cache-config", {"size": 10}))["size"] == 10
    for i in range(15):  # more keys than the cache holds: every one still works
        await api.create(f"k{i}")
        assert await api.decrypt(f"k{i}", await api.encrypt(f"k{i}", b"x")) == b"x"
    assert (await api.get("cache-config"))["data"] == {"size": 10}
