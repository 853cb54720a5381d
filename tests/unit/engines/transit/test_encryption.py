"""encrypt / decrypt / rewrap / datakey over HTTP: round trips for every encrypting key type
(hypothesis), derived and convergent keys, batches with per-item errors, one generic message
for every bad ciphertext, and Vault's upsert."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unit.engines.transit.transit_api import Api, b64, unb64, with_api

SYMMETRIC = ["aes128-gcm96", "aes256-gcm96", "chacha20-poly1305"]
CONTEXTS = st.binary(min_size=1, max_size=32)


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from([*SYMMETRIC, "rsa-2048"]),
    st.binary(max_size=190),  # RSA-2048 OAEP-SHA256 carries at most 190 bytes
    st.binary(max_size=32),
)
def test_round_trip_every_encrypting_type(key_type: str, plaintext: bytes, aad: bytes) -> None:
    async def body(api: Api) -> None:
        await api.create("k", type=key_type)
        extra = {"associated_data": b64(aad)} if aad and key_type != "rsa-2048" else {}
        ciphertext = await api.encrypt("k", plaintext, **extra)
        assert ciphertext.startswith("vault:v1:")
        assert await api.decrypt("k", ciphertext, **extra) == plaintext

    with_api(body)


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(SYMMETRIC),
    st.lists(st.tuples(CONTEXTS, st.binary(max_size=64)), min_size=1, max_size=8),
)
def test_derived_batch_round_trip(key_type: str, items: list[tuple[bytes, bytes]]) -> None:
    async def body(api: Api) -> None:
        await api.create("d", type=key_type, derived=True)
        batch = [
            {"plaintext": b64(p), "context": b64(c), "reference": str(i)}
            for i, (c, p) in enumerate(items)
        ]
        sealed = (await api.data("encrypt/d", {"batch_input": batch}))["batch_results"]
        assert [r["reference"] for r in sealed] == [str(i) for i in range(len(items))]
        opened_batch = [
            {"ciphertext": r["ciphertext"], "context": b64(c), "reference": r["reference"]}
            for r, (c, _p) in zip(sealed, items, strict=True)
        ]
        opened = (await api.data("decrypt/d", {"batch_input": opened_batch}))["batch_results"]
        assert [unb64(r["plaintext"]) for r in opened] == [p for _c, p in items]

    with_api(body)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(SYMMETRIC), CONTEXTS, CONTEXTS, st.binary(max_size=64))
def test_a_derived_key_opens_only_under_its_context(
    key_type: str, context: bytes, other: bytes, plaintext: bytes
) -> None:
    async def body(api: Api) -> None:
        await api.create("d", type=key_type, derived=True)
        ciphertext = await api.encrypt("d", plaintext, context=b64(context))
        assert await api.decrypt("d", ciphertext, context=b64(context)) == plaintext
        if other != context:
            error = await api.error(
                "POST", "decrypt/d", {"ciphertext": ciphertext, "context": b64(other)}
            )
            assert error == "invalid ciphertext"

    with_api(body)


@pytest.mark.parametrize("key_type", SYMMETRIC)
async def test_convergent_encryption_is_deterministic_per_context(api: Api, key_type: str) -> None:
    await api.create("c", type=key_type, derived=True, convergent_encryption=True)
    first = await api.encrypt("c", b"same", context=b64(b"tenant-1"))
    assert await api.encrypt("c", b"same", context=b64(b"tenant-1")) == first
    assert await api.encrypt("c", b"same", context=b64(b"tenant-2")) != first
    assert await api.encrypt("c", b"other", context=b64(b"tenant-1")) != first
    assert await api.decrypt("c", first, context=b64(b"tenant-1")) == b"same"
    read = (await api.get("keys/c"))["data"]
    assert (read["convergent_encryption"], read["convergent_encryption_version"]) == (True, -1)


async def test_random_nonces_differ(api: Api) -> None:
    await api.create("k")
    assert await api.encrypt("k", b"same") != await api.encrypt("k", b"same")


async def test_derived_keys_need_a_context(api: Api) -> None:
    await api.create("d", derived=True)
    error = await api.error("POST", "encrypt/d", {"plaintext": b64(b"x")})
    assert error.startswith("missing 'context' for key derivation")
    ciphertext = await api.encrypt("d", b"x", context=b64(b"c"))
    error = await api.error("POST", "decrypt/d", {"ciphertext": ciphertext})
    assert error.startswith("missing 'context' for key derivation")


async def test_convergent_needs_derived(api: Api) -> None:
    error = await api.error("POST", "keys/c", {"convergent_encryption": True})
    assert error == "convergent encryption requires derivation to be enabled"


def _tampered(ciphertext: str) -> list[str]:
    prefix, blob = ciphertext.rsplit(":", 1)
    raw = bytearray(base64.b64decode(blob))
    raw[-1] ^= 1
    return [
        f"{prefix}:{base64.b64encode(bytes(raw)).decode()}",  # flipped tag bit
        f"{prefix}:{base64.b64encode(bytes(raw[:20])).decode()}",  # truncated
        f"{prefix}:{blob[:-2]}!!",  # not base64
        f"{prefix}:",  # empty
        "vault:v9:" + blob,  # version from the future
        "vault:vx:" + blob,  # no version number
        "vault:" + blob,  # no version at all
        blob,  # no prefix
    ]


async def test_every_tampered_ciphertext_gets_the_same_answer(api: Api) -> None:
    await api.create("k")
    ciphertext = await api.encrypt("k", b"secret", associated_data=b64(b"ad"))
    for bad in _tampered(ciphertext):
        error = await api.error(
            "POST", "decrypt/k", {"ciphertext": bad, "associated_data": b64(b"ad")}
        )
        assert error == "invalid ciphertext", bad
    wrong_ad = {"ciphertext": ciphertext, "associated_data": b64(b"other")}
    assert await api.error("POST", "decrypt/k", wrong_ad) == "invalid ciphertext"
    assert await api.error("POST", "decrypt/k", {"ciphertext": ciphertext}) == "invalid ciphertext"


async def test_batch_with_one_bad_item(api: Api) -> None:
    await api.create("k")
    good = await api.encrypt("k", b"good")
    batch = [
        {"ciphertext": good, "reference": "a"},
        {"ciphertext": "vault:v1:AAAA", "reference": "b"},
        {"ciphertext": good, "reference": "c"},
    ]
    body = await api.expect("POST", "decrypt/k", {"batch_input": batch}, status=400)
    results = body["data"]["batch_results"]
    assert results[0] == {"plaintext": b64(b"good"), "reference": "a"}
    assert results[1] == {"plaintext": "", "error": "invalid ciphertext", "reference": "b"}
    assert results[2]["plaintext"] == b64(b"good")
    partial = {"batch_input": batch, "partial_failure_response_code": 207}
    assert (await api.expect("POST", "decrypt/k", partial, status=207))["data"]["batch_results"][1][
        "error"
    ]
    encrypt_batch = [{"plaintext": b64(b"x"), "reference": "ok"}, {"plaintext": "not base64!"}]
    body = await api.expect("POST", "encrypt/k", {"batch_input": encrypt_batch}, status=400)
    ok, bad = body["data"]["batch_results"]
    assert ok["key_version"] == 1
    assert ok["ciphertext"].startswith("vault:v1:")
    assert bad == {"error": "unable to decode plaintext as base64", "reference": ""}


async def test_batch_shape_errors(api: Api) -> None:
    await api.create("k")
    assert (
        await api.error("POST", "encrypt/k", {"batch_input": []})
        == "missing batch input to process"
    )
    assert (
        await api.error("POST", "encrypt/k", {"batch_input": ["x"]})
        == "failed to parse batch input"
    )
    mixed = [{"plaintext": "", "context": b64(b"c")}, {"plaintext": ""}]
    error = await api.error("POST", "encrypt/k", {"batch_input": mixed})
    assert error == "context should be set either in all the request blocks or in none"
    assert await api.error("POST", "encrypt/k", {}) == "missing plaintext to encrypt"
    assert await api.error("POST", "decrypt/k", {}) == "missing ciphertext to decrypt"
    nonce = {"plaintext": "", "nonce": b64(bytes(12))}
    assert await api.error("POST", "encrypt/k", nonce) == "nonce provided when not allowed"


async def test_encrypt_upserts_a_missing_key(api: Api) -> None:
    ciphertext = await api.encrypt("fresh", b"x", type="chacha20-poly1305")
    key = (await api.get("keys/fresh"))["data"]
    assert (key["type"], key["derived"]) == ("chacha20-poly1305", False)
    assert await api.decrypt("fresh", ciphertext) == b"x"
    await api.encrypt("fresh-derived", b"x", context=b64(b"c"))
    assert (await api.get("keys/fresh-derived"))["data"]["derived"] is True
    error = await api.error("POST", "encrypt/sig", {"plaintext": "", "type": "ed25519"})
    assert error == "key type ed25519 not supported for this operation"
    await api.post("config/keys", {"disable_upsert": True})
    assert (await api.get("config/keys"))["data"] == {"disable_upsert": True}
    assert await api.error("POST", "encrypt/other", {"plaintext": ""}) == "encryption key not found"
    assert (
        await api.error("POST", "decrypt/nokey", {"ciphertext": "x"}) == "encryption key not found"
    )


async def test_signing_keys_do_not_encrypt(api: Api) -> None:
    await api.create("e", type="ed25519")
    error = await api.error("POST", "encrypt/e", {"plaintext": ""})
    assert error == "message encryption not supported for key type ed25519"


async def test_rewrap_moves_ciphertext_to_the_latest_version(api: Api) -> None:
    await api.create("k", derived=True)
    context = b64(b"ctx")
    old = await api.encrypt("k", b"data", context=context)
    await api.post("keys/k/rotate")
    new = await api.data("rewrap/k", {"ciphertext": old, "context": context})
    assert new["key_version"] == 2
    assert new["ciphertext"].startswith("vault:v2:")
    assert await api.decrypt("k", new["ciphertext"], context=context) == b"data"
    pinned = await api.data("rewrap/k", {"ciphertext": old, "context": context, "key_version": 1})
    assert pinned["ciphertext"].startswith("vault:v1:")
    batch = [{"ciphertext": old, "context": context}, {"ciphertext": "bad", "context": context}]
    body = await api.expect("POST", "rewrap/k", {"batch_input": batch}, status=400)
    assert body["data"]["batch_results"][1]["error"] == "invalid ciphertext"


@pytest.mark.parametrize(
    ("kind", "bits"), [("plaintext", 128), ("plaintext", 512), ("wrapped", 256)]
)
async def test_datakey(api: Api, kind: str, bits: int) -> None:
    await api.create("k")
    found = await api.data(f"datakey/{kind}/k", {"bits": bits})
    assert found["key_version"] == 1
    key = await api.decrypt("k", found["ciphertext"])
    assert len(key) == bits // 8
    if kind == "plaintext":
        assert unb64(found["plaintext"]) == key
    else:
        assert "plaintext" not in found


async def test_datakey_refusals(api: Api) -> None:
    await api.create("k")
    assert (
        await api.error("POST", "datakey/other/k")
        == "Invalid path, must be 'plaintext' or 'wrapped'"
    )
    assert await api.error("POST", "datakey/wrapped/k", {"bits": 64}) == "invalid bit length"
    assert await api.error("POST", "datakey/wrapped/none") == "encryption key not found"
