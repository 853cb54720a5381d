"""BYOK over HTTP: the wrapping key, `import` of symmetric, HMAC and asymmetric material in
Vault's wrapped format, public-key-only imports completed by `import_version`, and refusals."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from strongroom.engines.transit import path_byok
from strongroom.engines.transit.crypto import aead, wrap
from unit.engines.transit.transit_api import Api, b64, mounted, unb64


@pytest.fixture(scope="module")
def wrapping_der() -> bytes:
    """One RSA-4096 wrapping key for the module: generating one per test costs seconds."""
    key = rsa.generate_private_key(65537, 4096)
    return key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption())


@pytest.fixture(autouse=True)
def _reuse_wrapping_key(wrapping_der: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(path_byok, "_new_wrapping_key", lambda: wrapping_der)


async def _wrapping_key(api: Api) -> rsa.RSAPublicKey:
    pem = (await api.get("wrapping_key"))["data"]["public_key"]
    key = ser.load_pem_public_key(pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    assert key.key_size == 4096
    return key


async def _wrapped(api: Api, material: bytes, hash_function: str = "SHA256") -> str:
    return b64(wrap.wrap_for_import(await _wrapping_key(api), material, hash_function))


def _pkcs8(
    key: ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
) -> bytes:
    return key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption())


async def test_the_wrapping_key_is_stable(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def fresh() -> bytes:  # a different key on every call: only storage can make them agree
        key = rsa.generate_private_key(65537, 2048)
        return key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption())

    monkeypatch.setattr(path_byok, "_new_wrapping_key", fresh)
    first = (await api.get("wrapping_key"))["data"]["public_key"]
    mounted(api.server).transit.wrapping_key = None  # another worker, or after a restart
    assert (await api.get("wrapping_key"))["data"]["public_key"] == first


@pytest.mark.parametrize("hash_function", ["SHA256", "SHA1", "sha512"])
async def test_import_a_symmetric_key(api: Api, hash_function: str) -> None:
    material = bytes(range(32))
    body = {
        "ciphertext": await _wrapped(api, material, hash_function.upper()),
        "hash_function": hash_function,
    }
    await api.expect("POST", "keys/mine/import", body, status=204)
    read = (await api.get("keys/mine"))["data"]
    assert read["imported_key"] is True
    assert read["imported_key_allow_rotation"] is False
    ciphertext = await api.encrypt("mine", b"byok")
    blob = unb64(ciphertext.removeprefix("vault:v1:"))
    assert aead.open_blob("aes256-gcm96", material, blob) == b"byok"  # really our key
    assert (
        await api.error("POST", "keys/mine/rotate")
        == "imported key mine does not allow rotation within Vault"
    )


async def test_import_hmac_and_rotation_rules(api: Api) -> None:
    body = {"ciphertext": await _wrapped(api, b"h" * 40), "type": "hmac", "allow_rotation": True}
    await api.expect("POST", "keys/h/import", body, status=204)
    assert (await api.get("keys/h"))["data"]["key_size"] == 40
    rotated = await api.data("keys/h/rotate")
    assert rotated["latest_version"] == 2
    assert rotated["imported_key"] is False
    error = await api.error(
        "POST", "keys/x/import", {"ciphertext": "AA==", "auto_rotate_period": "2h"}
    )
    assert error == "allow_rotation must be set to true if auto-rotation is enabled"
    error = await api.error(
        "POST", "keys/x/import", {"ciphertext": "AA==", "convergent_encryption": True}
    )
    assert error == "import cannot be used on keys with convergent encryption enabled"


@pytest.mark.parametrize(
    ("key_type", "make"),
    [
        ("ed25519", ed25519.Ed25519PrivateKey.generate),
        ("ecdsa-p384", lambda: ec.generate_private_key(ec.SECP384R1())),
        ("rsa-2048", lambda: rsa.generate_private_key(65537, 2048)),
    ],
)
async def test_import_asymmetric_keys(api: Api, key_type: str, make: object) -> None:
    assert callable(make)
    private = make()
    body = {"ciphertext": await _wrapped(api, _pkcs8(private)), "type": key_type}
    await api.expect("POST", "keys/a/import", body, status=204)
    signed = await api.data("sign/a", {"input": b64(b"m")})
    check = {"input": b64(b"m"), "signature": signed["signature"]}
    assert (await api.data("verify/a", check))["valid"] is True
    public = (await api.get("export/public-key/a/1?format=der"))["data"]["keys"]["1"]
    expected = private.public_key().public_bytes(
        ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo
    )
    assert unb64(public) == expected


async def test_public_key_import_then_private_half(api: Api) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    pem = private.public_key().public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo)
    await api.expect(
        "POST", "keys/p/import", {"public_key": pem.decode(), "type": "ecdsa-p256"}, status=204
    )
    error = await api.error("POST", "sign/p", {"input": ""})
    assert error == "requested version for signing does not contain a private part"
    other = _pkcs8(ec.generate_private_key(ec.SECP256R1()))
    wrong = {"ciphertext": await _wrapped(api, other), "version": 1}
    assert (
        await api.error("POST", "keys/p/import_version", wrong)
        == "cannot import key, key pair does not match"
    )
    right = {"ciphertext": await _wrapped(api, _pkcs8(private)), "version": 1}
    await api.expect("POST", "keys/p/import_version", right, status=204)
    assert (await api.data("sign/p", {"input": ""}))["key_version"] == 1
    newer = {"ciphertext": await _wrapped(api, other)}
    await api.expect("POST", "keys/p/import_version", newer, status=204)
    assert (await api.get("keys/p"))["data"]["latest_version"] == 2


async def test_import_refusals(api: Api) -> None:
    await api.create("k")
    material = await _wrapped(api, bytes(32))
    assert await api.error("POST", "keys/k/import", {"ciphertext": material}) == (
        "the import path cannot be used with an existing key; "
        "use import-version to rotate an existing imported key"
    )
    assert await api.error("POST", "keys/k/import_version", {"ciphertext": material}) == (
        "the import_version endpoint can only be used with an imported key"
    )
    short = await _wrapped(api, bytes(16))
    assert await api.error("POST", "keys/n/import", {"ciphertext": short}) == (
        "invalid key size 16 bytes for key type aes256-gcm96"
    )
    broken = b64(unb64(material)[:-1] + b"\x00")
    assert (
        await api.error("POST", "keys/n/import", {"ciphertext": broken}) == "invalid key material"
    )
    assert await api.error(
        "POST", "keys/n/import", {"ciphertext": material, "hash_function": "MD5"}
    ) == ("unknown hash function")
    assert (
        await api.error("POST", "keys/n/import", {})
        == "one of ciphertext or public_key must be set"
    )
    ed = _pkcs8(ed25519.Ed25519PrivateKey.generate())
    wrong_type = {"ciphertext": await _wrapped(api, ed), "type": "ecdsa-p256"}
    assert (
        await api.error("POST", "keys/n/import", wrong_type)
        == "key material does not fit key type ecdsa-p256"
    )
    await api.get("keys/n", status=404)
