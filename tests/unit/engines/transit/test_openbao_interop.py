"""Interoperability known answers: ciphertexts, signatures and HMACs made by a real OpenBao
transit engine (tests/vectors/transit/openbao_transit.json) must come out identical here for
deterministic operations, and open or verify here for randomised ones.

Each vector's exported key is planted through our own `restore`, so these run the whole
request path: Vault's HKDF derivation, its convergent nonce, its Ed25519 seed derivation, its
`vault:vN:` envelopes and its marshaling rules.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from strongroom.engines.transit.models import Backup, KeyPolicy, KeyVersion, encode
from unit.engines.transit.transit_api import Api

VECTORS = json.loads(
    (Path(__file__).parents[3] / "vectors" / "transit" / "openbao_transit.json").read_text()
)["cases"]


def _of(kind: str, count: int) -> list[Any]:
    cases = [c for c in VECTORS if c["kind"] == kind]
    assert len(cases) == count
    return [pytest.param(c, id=f"{c.get('type', kind)}-{i}") for i, c in enumerate(cases)]


async def _plant(api: Api, name: str, key_type: str, version: KeyVersion, **fields: Any) -> None:
    policy = KeyPolicy(
        id="interop", name=name, type=key_type, latest_version=1, versions={1: version}, **fields
    )
    backup = base64.b64encode(encode(Backup(1, policy))).decode()
    await api.expect("POST", "restore", {"backup": backup}, status=204)


def _key(case: dict[str, Any]) -> bytes:
    return base64.b64decode(case["key"])


@pytest.mark.parametrize("case", _of("convergent", 9))
async def test_convergent_ciphertexts_match_openbao(api: Api, case: dict[str, Any]) -> None:
    version = KeyVersion(created=0, key=_key(case), hmac_key=bytes(32), convergent_version=3)
    await _plant(
        api,
        "k",
        case["type"],
        version,
        derived=True,
        convergent_encryption=True,
        convergent_version=-1,
    )
    body = {"plaintext": case["plaintext"], "context": case["context"]}
    assert (await api.data("encrypt/k", body))["ciphertext"] == case["ciphertext"]
    with_aad = {**body, "associated_data": case["associated_data"]}
    assert (await api.data("encrypt/k", with_aad))["ciphertext"] == case["ciphertext_aad"]
    opened = await api.data("decrypt/k", {**with_aad, "ciphertext": case["ciphertext_aad"]})
    assert opened["plaintext"] == case["plaintext"]


@pytest.mark.parametrize("case", _of("derived", 3) + _of("plain", 3))
async def test_openbao_ciphertexts_decrypt(api: Api, case: dict[str, Any]) -> None:
    derived = case["kind"] == "derived"
    version = KeyVersion(created=0, key=_key(case), hmac_key=bytes(32))
    await _plant(api, "k", case["type"], version, derived=derived)
    body = {"ciphertext": case["ciphertext"]}
    body |= (
        {"context": case["context"]} if derived else {"associated_data": case["associated_data"]}
    )
    assert (await api.data("decrypt/k", body))["plaintext"] == case["plaintext"]


@pytest.mark.parametrize("case", _of("ed25519-derived", 1) + _of("ed25519", 1))
async def test_ed25519_signatures_match_openbao(api: Api, case: dict[str, Any]) -> None:
    derived = case["kind"] == "ed25519-derived"
    public = "" if derived else case["public_key"]
    version = KeyVersion(created=0, key=_key(case), hmac_key=bytes(32), public_key=public)
    await _plant(api, "e", "ed25519", version, derived=derived)
    body = {"input": case["input"], **({"context": case["context"]} if derived else {})}
    signed = await api.data("sign/e", body)
    assert signed["signature"] == case["signature"]
    if derived:
        assert signed["public_key"] == case["public_key"]
    else:
        assert (await api.get("keys/e"))["data"]["keys"]["1"]["public_key"] == case["public_key"]


@pytest.mark.parametrize("case", _of("hmac", 3))
async def test_hmacs_match_openbao(api: Api, case: dict[str, Any]) -> None:
    await _plant(api, "h", "hmac", KeyVersion(created=0, key=_key(case)), key_size=48)
    found = await api.data(f"hmac/h/{case['algorithm']}", {"input": case["input"]})
    assert found["hmac"] == case["hmac"]
    body = {"input": case["input"], "hmac": case["hmac"], "algorithm": case["algorithm"]}
    assert (await api.data("verify/h", body))["valid"] is True


@pytest.mark.parametrize("case", _of("ecdsa", 12) + _of("rsa", 5))
async def test_openbao_signatures_verify(api: Api, case: dict[str, Any]) -> None:
    version = KeyVersion(created=0, hmac_key=bytes(32), public_key=case["public_key"])
    await _plant(api, "s", case["type"], version)
    body = {
        key: case[key]
        for key in (
            "input",
            "signature",
            "hash_algorithm",
            "marshaling_algorithm",
            "signature_algorithm",
            "salt_length",
            "prehashed",
        )
        if key in case
    }
    assert (await api.data("verify/s", body))["valid"] is True
    tampered = {**body, "input": base64.b64encode(b"other message").decode()}
    assert (await api.data("verify/s", tampered))["valid"] is False
