"""Known answers for the asymmetric primitives: Wycheproof Ed25519, ECDSA P-256, RSA-PSS and
RSA-OAEP (the BYOK unwrap), RFC 8032 Ed25519 signing; plus sign/verify round trips for every
asymmetric key type, marshaling and padding, and the BYOK wrap/unwrap round trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from strongroom.engines.transit.crypto import asymmetric, signing, wrap
from strongroom.engines.transit.errors import InvalidKeyMaterial

VECTORS = Path(__file__).parents[3] / "vectors"
SHA256_PSS32 = signing.SignOptions(salt_length=32)
UNLABELLED_OAEP = 29


def _groups(name: str) -> list[dict[str, Any]]:
    data: dict[str, Any] = json.loads((VECTORS / "wycheproof" / name).read_text())
    return data["testGroups"]  # type: ignore[no-any-return]


def _cases(name: str, expected: int) -> list[Any]:
    cases = [
        pytest.param(group, case, id=f"tc{case['tcId']}-{case['result']}")
        for group in _groups(name)
        for case in group["tests"]
    ]
    assert len(cases) == expected
    return cases


def _public(group: dict[str, Any]) -> asymmetric.PublicKey:
    key = ser.load_der_public_key(bytes.fromhex(group["publicKeyDer"]))
    assert isinstance(key, ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey)
    return key


def _expect(case: dict[str, Any], valid: bool) -> None:
    # "acceptable" cases are legal either way (e.g. unusual but valid encodings).
    if case["result"] != "acceptable":
        assert valid is (case["result"] == "valid")


@pytest.mark.parametrize(("group", "case"), _cases("ed25519_test.json", 151))
def test_ed25519_wycheproof(group: dict[str, Any], case: dict[str, Any]) -> None:
    msg, sig = bytes.fromhex(case["msg"]), bytes.fromhex(case["sig"])
    _expect(case, signing.verify(_public(group), msg, sig, signing.SignOptions()))


@pytest.mark.parametrize(("group", "case"), _cases("ecdsa_secp256r1_sha256_test.json", 484))
def test_ecdsa_p256_wycheproof(group: dict[str, Any], case: dict[str, Any]) -> None:
    msg, sig = bytes.fromhex(case["msg"]), bytes.fromhex(case["sig"])
    _expect(case, signing.verify(_public(group), msg, sig, signing.SignOptions()))


@pytest.mark.parametrize(("group", "case"), _cases("rsa_pss_2048_sha256_mgf1_32_test.json", 108))
def test_rsa_pss_wycheproof(group: dict[str, Any], case: dict[str, Any]) -> None:
    msg, sig = bytes.fromhex(case["msg"]), bytes.fromhex(case["sig"])
    _expect(case, signing.verify(_public(group), msg, sig, SHA256_PSS32))


def _oaep_cases() -> list[Any]:
    # Vault's import wraps without an OAEP label; labelled cases do not apply.
    cases = _cases("rsa_oaep_2048_sha256_mgf1sha256_test.json", 37)
    unlabelled = [c for c in cases if not c.values[1]["label"]]
    assert len(unlabelled) == UNLABELLED_OAEP
    return unlabelled


@pytest.mark.parametrize(("group", "case"), _oaep_cases())
def test_rsa_oaep_wycheproof(group: dict[str, Any], case: dict[str, Any]) -> None:
    key = ser.load_der_private_key(bytes.fromhex(group["privateKeyPkcs8"]), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    ct = bytes.fromhex(case["ct"])
    if case["result"] == "valid":
        assert wrap.oaep_decrypt(key, ct, "SHA256") == bytes.fromhex(case["msg"])
    else:
        with pytest.raises(InvalidKeyMaterial):
            wrap.oaep_decrypt(key, ct, "SHA256")


def _rfc8032() -> list[Any]:
    data = json.loads((VECTORS / "transit" / "rfc8032_ed25519.json").read_text())
    return [pytest.param(case, id=case["name"]) for case in data["cases"]]


@pytest.mark.parametrize("case", _rfc8032())
def test_ed25519_rfc8032(case: dict[str, Any]) -> None:
    stored = bytes.fromhex(case["secret_key"]) + bytes.fromhex(case["public_key"])
    key = asymmetric.load_private("ed25519", stored)
    message, expected = bytes.fromhex(case["message"]), bytes.fromhex(case["signature"])
    assert signing.sign(key, message, signing.SignOptions()) == expected
    assert asymmetric.format_public("ed25519", key.public_key()) == _b64(case["public_key"])


def _b64(hex_text: str) -> str:
    import base64  # noqa: PLC0415 - one use

    return base64.b64encode(bytes.fromhex(hex_text)).decode()


@pytest.fixture(scope="module")
def keys() -> dict[str, asymmetric.PrivateKey]:
    """One key per type (RSA-3072/4096 are slow to make: made once per module)."""
    return {t: asymmetric.load_private(t, asymmetric.generate(t)) for t in sorted(asymmetric.TYPES)}


OPTIONS = st.builds(
    signing.SignOptions,
    hash_name=st.sampled_from(["sha2-224", "sha2-256", "sha2-384", "sha2-512", "sha3-256"]),
    signature_algorithm=st.sampled_from(["pss", "pkcs1v15"]),
    salt_length=st.sampled_from([signing.SALT_AUTO, signing.SALT_HASH, 20]),
    marshaling=st.sampled_from(["asn1", "jws"]),
)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(asymmetric.TYPES)), st.binary(max_size=200), OPTIONS)
def test_sign_verify_round_trip(
    keys: dict[str, asymmetric.PrivateKey], key_type: str, message: bytes, opts: signing.SignOptions
) -> None:
    key = keys[key_type]
    signature = signing.sign(key, message, opts)
    assert signing.verify(key.public_key(), message, signature, opts)
    assert not signing.verify(key.public_key(), message + b"x", signature, opts)


@pytest.mark.parametrize("curve", ["ecdsa-p256", "ecdsa-p384", "ecdsa-p521"])
def test_jws_signatures_are_fixed_width(keys: dict[str, asymmetric.PrivateKey], curve: str) -> None:
    width = {"ecdsa-p256": 32, "ecdsa-p384": 48, "ecdsa-p521": 66}[curve]
    opts = signing.SignOptions(marshaling="jws")
    signature = signing.sign(keys[curve], b"m", opts)
    assert len(signature) == 2 * width
    assert not signing.verify(keys[curve].public_key(), b"m", signature[:-1], opts)


def test_prehashed_and_no_digest_info(keys: dict[str, asymmetric.PrivateKey]) -> None:
    key = keys["rsa-2048"]
    digest = bytes(range(32))
    none = signing.SignOptions(hash_name="none", prehashed=True, signature_algorithm="pkcs1v15")
    assert signing.verify(key.public_key(), digest, signing.sign(key, digest, none), none)
    pre = signing.SignOptions(prehashed=True)
    assert signing.verify(key.public_key(), digest, signing.sign(key, digest, pre), pre)
    with pytest.raises(ValueError, match="digest"):
        signing.sign(key, b"short", pre)
    ecdsa = keys["ecdsa-p256"]
    sha512 = bytes(64)  # ECDSA takes any standard digest length, as Go's ecdsa.Sign does
    assert signing.verify(ecdsa.public_key(), sha512, signing.sign(ecdsa, sha512, pre), pre)


def test_pss_salt_bounds(keys: dict[str, asymmetric.PrivateKey]) -> None:
    key = keys["rsa-2048"]
    longest = signing.max_salt_length(2048, "sha2-256")
    assert longest == 222
    ok = signing.SignOptions(salt_length=longest)
    assert signing.verify(key.public_key(), b"m", signing.sign(key, b"m", ok), ok)
    with pytest.raises(ValueError, match="salt length"):
        signing.sign(key, b"m", signing.SignOptions(salt_length=longest + 1))


def test_stored_forms_and_exports(keys: dict[str, asymmetric.PrivateKey]) -> None:
    stored = asymmetric.generate("ed25519")
    assert len(stored) == 64  # Go's seed ‖ public, as Vault stores and exports it
    key = asymmetric.load_private("ed25519", stored)
    assert asymmetric.export_private("ed25519", key, stored, "") == _b64(stored.hex())
    pem = asymmetric.export_private("ecdsa-p256", keys["ecdsa-p256"], b"", "")
    assert pem.startswith("-----BEGIN EC PRIVATE KEY-----")
    assert not pem.endswith("\n")
    rsa_pem = asymmetric.export_private("rsa-2048", keys["rsa-2048"], b"", "")
    assert rsa_pem.startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert rsa_pem.endswith("\n")
    pkcs8 = asymmetric.export_private("rsa-2048", keys["rsa-2048"], b"", "pem")
    assert pkcs8.startswith("-----BEGIN PRIVATE KEY-----")
    public = asymmetric.export_public("ecdsa-p384", keys["ecdsa-p384"].public_key(), "der")
    assert (
        asymmetric.parse_public(
            "ecdsa-p384",
            asymmetric.export_public("ecdsa-p384", keys["ecdsa-p384"].public_key(), "pem"),
        )
        == keys["ecdsa-p384"].public_key()
    )
    assert public.isascii()
    assert "-" not in public


@pytest.mark.parametrize(
    ("key_type", "other"),
    [("ecdsa-p256", "ecdsa-p384"), ("rsa-2048", "rsa-3072"), ("ed25519", "ecdsa-p256")],
)
def test_material_of_another_type_is_refused(
    keys: dict[str, asymmetric.PrivateKey], key_type: str, other: str
) -> None:
    der = keys[other].private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption())
    with pytest.raises(InvalidKeyMaterial):
        asymmetric.from_pkcs8(key_type, der)
    with pytest.raises(InvalidKeyMaterial):
        asymmetric.load_private(key_type, b"not a key")


@pytest.mark.parametrize("hash_function", sorted(wrap.HASH_FUNCTIONS))
def test_byok_wrap_unwrap_round_trip(
    keys: dict[str, asymmetric.PrivateKey], hash_function: str
) -> None:
    wrapping = keys["rsa-4096"]
    assert isinstance(wrapping, rsa.RSAPrivateKey)
    target = bytes(range(32))
    blob = wrap.wrap_for_import(wrapping.public_key(), target, hash_function)
    assert wrap.unwrap(wrapping, blob, hash_function) == target
    with pytest.raises(InvalidKeyMaterial):
        wrap.unwrap(wrapping, blob[:-1] + bytes([blob[-1] ^ 1]), hash_function)
    with pytest.raises(InvalidKeyMaterial):
        wrap.unwrap(wrapping, blob[:512], hash_function)
