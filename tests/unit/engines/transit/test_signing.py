"""sign / verify / hmac over HTTP: every signing key type, Vault's option handling, batches,
version rules, and generic refusals of malformed signatures and HMACs."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unit.engines.transit.transit_api import Api, b64, with_api

SIGNING = ["ed25519", "ecdsa-p256", "ecdsa-p384", "ecdsa-p521", "rsa-2048"]


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(SIGNING),
    st.binary(max_size=128),
    st.sampled_from(["asn1", "jws"]),
    st.sampled_from(["sha2-256", "sha2-384", "sha2-512", "sha3-256"]),
)
def test_sign_verify_round_trip(
    key_type: str, message: bytes, marshaling: str, hash_name: str
) -> None:
    async def body(api: Api) -> None:
        await api.create("s", type=key_type)
        opts = {"marshaling_algorithm": marshaling, "hash_algorithm": hash_name}
        signed = await api.data("sign/s", {"input": b64(message), **opts})
        assert signed["key_version"] == 1
        assert signed["signature"].startswith("vault:v1:")
        check = {"input": b64(message), "signature": signed["signature"], **opts}
        assert (await api.data("verify/s", check))["valid"] is True
        assert (await api.data("verify/s", {**check, "input": b64(message + b"!")}))[
            "valid"
        ] is False

    with_api(body)


@pytest.mark.parametrize("key_type", ["rsa-3072", "rsa-4096"])
async def test_large_rsa_keys_sign(api: Api, key_type: str) -> None:
    await api.create("r", type=key_type)
    signed = await api.data(
        "sign/r/sha2-512", {"input": b64(b"m"), "signature_algorithm": "pkcs1v15"}
    )
    check = {
        "input": b64(b"m"),
        "signature": signed["signature"],
        "signature_algorithm": "pkcs1v15",
    }
    assert (await api.data("verify/r/sha2-512", check))["valid"] is True
    assert (await api.data("verify/r/sha2-256", check))["valid"] is False  # the URL algorithm wins


async def test_rsa_options(api: Api) -> None:
    await api.create("r", type="rsa-2048")
    digest = b64(hashlib.sha256(b"m").digest())
    for opts in (
        {"salt_length": "hash"},
        {"salt_length": "20"},
        {"salt_length": 30},
        {"prehashed": True},
        {"prehashed": True, "hash_algorithm": "none", "signature_algorithm": "pkcs1v15"},
    ):
        message = digest if opts.get("prehashed") else b64(b"m")
        signed = await api.data("sign/r", {"input": message, **opts})
        check = {"input": message, "signature": signed["signature"], **opts}
        assert (await api.data("verify/r", check))["valid"] is True, opts
    assert await api.error("POST", "sign/r", {"input": "", "hash_algorithm": "none"}) == (
        "hash_algorithm=none requires both prehashed=true and signature_algorithm=pkcs1v15"
    )
    assert await api.error("POST", "sign/r", {"input": "", "salt_length": 999}) == (
        "requested salt length is invalid"
    )
    assert await api.error("POST", "sign/r", {"input": "", "salt_length": "x"}) == (
        "salt length neither 'auto', 'hash', nor an int"
    )
    assert await api.error("POST", "sign/r", {"input": "", "signature_algorithm": "x"}) == (
        "unsupported rsa signature algorithm"
    )
    assert await api.error("POST", "sign/r", {"input": "", "hash_algorithm": "md5"}) == (
        "invalid hash algorithm"
    )


async def test_derived_ed25519_signs_per_context(api: Api) -> None:
    await api.create("e", type="ed25519", derived=True)
    error = await api.error("POST", "sign/e", {"input": b64(b"m")})
    assert error.startswith("missing 'context' for key derivation")
    one = await api.data("sign/e", {"input": b64(b"m"), "context": b64(b"a")})
    two = await api.data("sign/e", {"input": b64(b"m"), "context": b64(b"b")})
    assert one["public_key"] != two["public_key"]
    check = {"input": b64(b"m"), "signature": one["signature"]}
    assert (await api.data("verify/e", {**check, "context": b64(b"a")}))["valid"] is True
    assert (await api.data("verify/e", {**check, "context": b64(b"b")}))["valid"] is False


async def test_old_signatures_and_versions(api: Api) -> None:
    await api.create("s", type="ecdsa-p256")
    old = (await api.data("sign/s", {"input": b64(b"m")}))["signature"]
    await api.post("keys/s/rotate")
    new = await api.data("sign/s", {"input": b64(b"m")})
    assert new["key_version"] == 2
    assert (await api.data("verify/s", {"input": b64(b"m"), "signature": old}))["valid"] is True
    await api.post("keys/s/config", {"min_decryption_version": 2})
    error = await api.error("POST", "verify/s", {"input": b64(b"m"), "signature": old})
    assert error == "ciphertext or signature version is disallowed by policy (too old)"
    pinned = await api.data("sign/s", {"input": b64(b"m"), "key_version": 1})
    assert pinned["signature"].startswith("vault:v1:")


@pytest.mark.parametrize(
    "signature", ["garbage", "vault:v1:%%%", "vault:v7:AAAA", "vault:vx:AAAA", "vault:v1"]
)
async def test_malformed_signatures_get_one_answer(api: Api, signature: str) -> None:
    await api.create("s", type="ed25519")
    body = {"input": b64(b"m"), "signature": signature}
    assert await api.error("POST", "verify/s", body) == "invalid signature"


async def test_verify_needs_one_of_signature_or_hmac(api: Api) -> None:
    await api.create("s", type="ed25519")
    assert await api.error("POST", "verify/s", {"input": ""}) == (
        "neither a 'signature' nor an 'hmac' were given to verify"
    )
    both = {"input": "", "signature": "vault:v1:AA==", "hmac": "vault:v1:AA=="}
    assert await api.error("POST", "verify/s", both) == "provide one of 'signature' or 'hmac'"
    mixed = {"batch_input": [{"input": "", "signature": "x"}, {"input": ""}]}
    assert (
        await api.error("POST", "verify/s", mixed)
        == "some elements of batch_input are missing 'signature'"
    )


async def test_non_signing_keys_refuse(api: Api) -> None:
    await api.create("k")
    assert (
        await api.error("POST", "sign/k", {"input": ""})
        == "key type aes256-gcm96 does not support signing"
    )
    assert await api.error("POST", "sign/none", {"input": ""}) == "signing key not found"


async def test_batch_sign_and_verify(api: Api) -> None:
    await api.create("s", type="ed25519")
    batch = [
        {"input": b64(b"a"), "reference": "1"},
        {"input": "!!", "reference": "2"},
        {"reference": "3"},
    ]
    body = await api.expect("POST", "sign/s", {"batch_input": batch}, status=400)
    good, bad, missing = body["data"]["batch_results"]
    assert good["reference"] == "1"
    assert good["key_version"] == 1
    assert bad == {"key_version": 0, "error": "unable to decode input as base64", "reference": "2"}
    assert missing["error"] == "missing input"
    verify = [
        {"input": b64(b"a"), "signature": good["signature"], "reference": "x"},
        {"input": b64(b"b"), "signature": good["signature"], "reference": "y"},
    ]
    results = (await api.data("verify/s", {"batch_input": verify}))["batch_results"]
    assert results == [{"valid": True, "reference": "x"}, {"valid": False, "reference": "y"}]


@pytest.mark.parametrize("key_type", ["hmac", "aes256-gcm96", "ed25519"])
async def test_hmac_and_verify(api: Api, key_type: str) -> None:
    await api.create("h", type=key_type)
    mac = (await api.data("hmac/h", {"input": b64(b"data")}))["hmac"]
    assert mac.startswith("vault:v1:")
    assert (await api.data("hmac/h/sha2-256", {"input": b64(b"data")}))["hmac"] == mac
    assert (await api.data("hmac/h", {"input": b64(b"data"), "algorithm": "sha3-512"}))[
        "hmac"
    ] != mac
    assert (await api.data("verify/h", {"input": b64(b"data"), "hmac": mac}))["valid"] is True
    assert (await api.data("verify/h", {"input": b64(b"other"), "hmac": mac}))["valid"] is False
    await api.post("keys/h/rotate")
    assert (await api.data("hmac/h", {"input": b64(b"data")}))["hmac"].startswith("vault:v2:")
    assert (await api.data("verify/h", {"input": b64(b"data"), "hmac": mac}))["valid"] is True
    await api.post("keys/h/config", {"min_decryption_version": 2})
    error = await api.error("POST", "verify/h", {"input": b64(b"data"), "hmac": mac})
    assert error == "cannot verify HMAC: version is too old (disallowed by policy)"
    for bad in ("nope", "vault:v9:AAAA", "vault:v2:***"):
        assert await api.error("POST", "verify/h", {"input": "", "hmac": bad}) == "invalid HMAC"


async def test_hmac_refusals_and_batch(api: Api) -> None:
    await api.create("h", type="hmac")
    assert await api.error("POST", "hmac/h", {}) == "missing input for HMAC"
    assert await api.error("POST", "hmac/h/md5", {"input": ""}) == "unsupported algorithm"
    assert await api.error("POST", "hmac/h", {"input": "", "key_version": 3}) == (
        "key version does not exist; latest key version is 1"
    )
    batch = [{"input": b64(b"a"), "reference": "r"}, {"input": "!"}]
    body = await api.expect("POST", "hmac/h", {"batch_input": batch}, status=400)
    ok, bad = body["data"]["batch_results"]
    assert ok["reference"] == "r"
    assert ok["hmac"].startswith("vault:v1:")
    assert bad["error"] == "unable to decode input as base64"
    verify = [{"input": b64(b"a"), "hmac": ok["hmac"]}]
    assert (await api.data("verify/h", {"batch_input": verify}))["batch_results"][0][
        "valid"
    ] is True
