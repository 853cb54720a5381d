"""`sign/:name(/:algorithm)`, `verify/:name(/:algorithm)` and `hmac/:name(/:algorithm)`.

Option handling follows Vault's `path_sign_verify.go` and `path_hmac.go`: the URL algorithm wins
over `hash_algorithm`, then the deprecated `algorithm`, then sha2-256; JWS-marshaled signatures
use unpadded URL-safe base64, everything else standard base64; `verify` checks an `hmac` instead
of a `signature` when given one. A malformed signature or HMAC is a 400 with one generic message;
a well-formed one that does not match is `valid: false`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from strongroom.core.fields import get_bool, get_int, get_str
from strongroom.core.request import Request, Response
from strongroom.engines.transit import batch, params
from strongroom.engines.transit.crypto import digest, signing
from strongroom.engines.transit.crypto.asymmetric import format_public
from strongroom.engines.transit.keyring import Keyring
from strongroom.engines.transit.models import RSA, SIGNING
from strongroom.engines.transit.service import Transit
from strongroom.errors import BadRequest


class InvalidSignature(BadRequest):
    default_message = "invalid signature"


class InvalidHmac(BadRequest):
    default_message = "invalid HMAC"


def _salt_length(data: Mapping[str, Any]) -> int:
    raw = data.get("salt_length")
    text = "auto" if raw is None else str(raw).lower()
    if text == "auto":
        return signing.SALT_AUTO
    if text == "hash":
        return signing.SALT_HASH
    try:
        value = int(text)
    except ValueError:
        raise BadRequest("salt length neither 'auto', 'hash', nor an int") from None
    if value < signing.SALT_HASH:
        raise BadRequest("salt length is invalid")
    return value


def _options(data: Mapping[str, Any], p: Mapping[str, str]) -> signing.SignOptions:
    name = p.get("algorithm") or get_str(data, "hash_algorithm") or get_str(data, "algorithm")
    name = name or "sha2-256"
    if name not in digest.HASHES and name != "none":
        raise BadRequest("invalid hash algorithm")
    marshaling = get_str(data, "marshaling_algorithm") or "asn1"
    if marshaling not in {"asn1", "jws"}:
        raise BadRequest(f'invalid marshaling type "{marshaling}"')
    opts = signing.SignOptions(
        hash_name=name,
        prehashed=get_bool(data, "prehashed"),
        signature_algorithm=get_str(data, "signature_algorithm") or "pss",
        salt_length=_salt_length(data),
        marshaling=marshaling,
    )
    if name == "none" and (not opts.prehashed or opts.signature_algorithm != "pkcs1v15"):
        raise BadRequest(
            "hash_algorithm=none requires both prehashed=true and signature_algorithm=pkcs1v15"
        )
    return opts


async def _signing_ring(t: Transit, name: str, missing: str, opts: signing.SignOptions) -> Keyring:
    ring = await t.ring(name, missing)
    if ring.type not in SIGNING:
        raise BadRequest(f"key type {ring.type} does not support signing")
    if ring.type in RSA and opts.signature_algorithm not in {"pss", "pkcs1v15"}:
        raise BadRequest("unsupported rsa signature algorithm")
    return ring


def _encode(raw: bytes, marshaling: str) -> str:
    if marshaling == "jws":
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return params.b64encode(raw)


def _decode(text: str, marshaling: str, invalid: type[BadRequest]) -> bytes:
    try:
        if marshaling == "jws":
            return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise invalid from None


async def sign(t: Transit, req: Request, p: Mapping[str, str]) -> Response:
    opts = _options(req.data, p)
    ring = await _signing_ring(t, p["name"], "signing key not found", opts)
    ring.require_enabled()
    version = ring.encryption_version(get_int(req.data, "key_version"), "signing")
    items, is_batch = batch.items(req.data, ("input", "context"))

    async def one(item: batch.Item) -> dict[str, Any]:
        if is_batch and "input" not in item:
            raise BadRequest("missing input")
        message = params.b64decode(batch.text(item, "input"), "input")
        key = ring.private_key(version, params.b64decode(batch.text(item, "context"), "context"))
        try:
            raw = signing.sign(key, message, opts)
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
        t.events.used(ring.name, version, "sign")
        body: dict[str, Any] = {
            "signature": params.versioned(version, _encode(raw, opts.marshaling))
        }
        body["key_version"] = version
        if ring.policy.derived:
            body["public_key"] = format_public(ring.type, key.public_key())
        return body

    results = await batch.run(items, one)
    return batch.respond(req.data, items, results, batch=is_batch, on_error={"key_version": 0})


def _kind(items: list[batch.Item], *, is_batch: bool) -> str:
    """'signature' or 'hmac': what the items carry, with Vault's refusals of mixtures."""
    sig = sum("signature" in item and item["signature"] is not None for item in items)
    mac = sum("hmac" in item and item["hmac"] is not None for item in items)
    if sig and mac:
        raise BadRequest("provide one of 'signature' or 'hmac'")
    if not sig and not mac:
        if not is_batch:
            raise BadRequest("neither a 'signature' nor an 'hmac' were given to verify")
        raise BadRequest("no batch_input elements have 'signature' or 'hmac'")
    if max(sig, mac) != len(items):
        raise BadRequest(
            f"some elements of batch_input are missing '{'signature' if sig else 'hmac'}'"
        )
    return "signature" if sig else "hmac"


async def verify(t: Transit, req: Request, p: Mapping[str, str]) -> Response:
    items, is_batch = batch.items(req.data, ("input", "context", "signature", "hmac"))
    if _kind(items, is_batch=is_batch) == "hmac":
        return await _verify_hmacs(t, req, p, items, is_batch=is_batch)
    opts = _options(req.data, p)
    ring = await _signing_ring(t, p["name"], "signature verification key not found", opts)
    ring.require_enabled()

    async def one(item: batch.Item) -> dict[str, Any]:
        message = params.b64decode(batch.text(item, "input"), "input")
        context = params.b64decode(batch.text(item, "context"), "context")
        parsed = params.split_versioned(batch.text(item, "signature"))
        if parsed is None:
            raise InvalidSignature
        version = ring.decryption_version(parsed[0], InvalidSignature)
        raw = _decode(parsed[1], opts.marshaling, InvalidSignature)
        try:
            valid = signing.verify(ring.public_key(version, context), message, raw, opts)
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
        t.events.used(ring.name, version, "verify")
        return {"valid": valid}

    results = await batch.run(items, one)
    return batch.respond(req.data, items, results, batch=is_batch, on_error={"valid": False})


def _hmac_algorithm(data: Mapping[str, Any], p: Mapping[str, str]) -> str:
    name = p.get("algorithm") or get_str(data, "algorithm") or "sha2-256"
    if name not in digest.HASHES:
        raise BadRequest("unsupported algorithm")
    return name


async def hmac(t: Transit, req: Request, p: Mapping[str, str]) -> Response:
    ring = await t.ring(p["name"])
    ring.require_enabled()
    policy, requested = ring.policy, get_int(req.data, "key_version")
    version = requested or policy.latest_version
    if version < 0 or version > policy.latest_version:
        raise BadRequest(
            f"key version does not exist; latest key version is {policy.latest_version}"
        )
    if policy.min_encryption_version > 0 and version < policy.min_encryption_version:
        raise BadRequest("cannot generate HMAC: version is too old (disallowed by policy)")
    algorithm = _hmac_algorithm(req.data, p)
    key = ring.hmac_key(version)
    items, is_batch = batch.items(req.data, ("input",))
    if not is_batch and req.data.get("input") is None:
        raise BadRequest("missing input for HMAC")

    async def one(item: batch.Item) -> dict[str, Any]:
        if item.get("input") is None:
            raise BadRequest("missing input for HMAC")
        message = params.b64decode(batch.text(item, "input"), "input")
        mac = digest.mac(algorithm, key, message)
        t.events.used(ring.name, version, "hmac")
        return {"hmac": params.versioned(version, params.b64encode(mac))}

    results = await batch.run(items, one)
    return batch.respond(req.data, items, results, batch=is_batch)


async def _verify_hmacs(
    t: Transit, req: Request, p: Mapping[str, str], items: list[batch.Item], *, is_batch: bool
) -> Response:
    ring = await t.ring(p["name"])
    ring.require_enabled()
    algorithm = _hmac_algorithm(req.data, p)

    async def one(item: batch.Item) -> dict[str, Any]:
        message = params.b64decode(batch.text(item, "input"), "input")
        parsed = params.split_versioned(batch.text(item, "hmac"))
        if parsed is None:
            raise InvalidHmac
        version = parsed[0]
        if version > ring.policy.latest_version:
            raise InvalidHmac
        if version < ring.policy.min_decryption_version:
            raise BadRequest("cannot verify HMAC: version is too old (disallowed by policy)")
        expected = _decode(parsed[1], "asn1", InvalidHmac)
        valid = digest.mac_matches(algorithm, ring.hmac_key(version), message, expected)
        t.events.used(ring.name, version, "verify")
        return {"valid": valid}

    results = await batch.run(items, one)
    return batch.respond(req.data, items, results, batch=is_batch)
