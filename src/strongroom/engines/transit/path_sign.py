"""`sign/:name(/:urlalgorithm)`, `verify/:name(/:urlalgorithm)`, `hmac/:name(/:urlalgorithm)`.

Option handling follows Vault's `path_sign_verify.go` and `path_hmac.go`: the URL algorithm wins
over `hash_algorithm`, then the deprecated `algorithm`, then sha2-256; JWS-marshaled signatures
use unpadded URL-safe base64, everything else standard base64; `verify` checks an `hmac` instead
of a `signature` when given one. A malformed signature or HMAC is a 400 with one generic message;
a well-formed one that does not match is `valid: false`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.transit import batch, encoding
from strongroom.engines.transit.batch import BatchInput, PartialFailureCode, Reference
from strongroom.engines.transit.context import (
    DerivationContext,
    Name,
    RequestedVersion,
    TransitContext,
)
from strongroom.engines.transit.crypto import digest, signing
from strongroom.engines.transit.crypto.asymmetric import format_public
from strongroom.engines.transit.keyring import Keyring
from strongroom.engines.transit.models import RSA, SIGNING
from strongroom.errors import BadRequest
from strongroom.logical import UNSET, Request, Response, UnsetType

SIGN_SYNOPSIS = "Generate a signature for input data using the named key"
VERIFY_SYNOPSIS = "Verify a signature or HMAC for input data created using the named key"
HMAC_SYNOPSIS = "Generate an HMAC for input data using the named key"
UrlAlgorithm = Annotated[str, Meta(description="Hash algorithm to use (POST URL parameter)")]
Input = Annotated[str | UnsetType, Meta(description="The base64-encoded input data")]
Signature = Annotated[
    str | UnsetType, Meta(description="The signature, including the header and key version")
]
Hmac = Annotated[str | UnsetType, Meta(description="The HMAC, including the header/key version")]
DeprecatedAlgorithm = Annotated[str, Meta(description='Deprecated: use "hash_algorithm" instead.')]


class SignatureOptions(msgspec.Struct, frozen=True, kw_only=True):
    """The fields sign and verify share (Vault's signing options)."""

    name: Name
    urlalgorithm: UrlAlgorithm = ""
    hash_algorithm: Annotated[
        str, Meta(description='Hash algorithm to use (POST body parameter), default "sha2-256".')
    ] = ""
    algorithm: DeprecatedAlgorithm = ""
    context: DerivationContext = ""
    input: Input = UNSET
    prehashed: Annotated[
        bool, Meta(description="Set to 'true' when the input is already hashed.")
    ] = False
    signature_algorithm: Annotated[
        str,
        Meta(description="The signature algorithm for RSA keys: 'pss' (default) or 'pkcs1v15'."),
    ] = ""
    salt_length: Annotated[
        str,
        Meta(description="The RSA PSS salt length: 'auto' (default), 'hash', or an integer."),
    ] = "auto"
    marshaling_algorithm: Annotated[
        str,
        Meta(description="The way the signature is marshaled: 'asn1' (default) or 'jws'."),
    ] = ""
    batch_input: BatchInput = UNSET
    partial_failure_response_code: PartialFailureCode = 0


class Sign(SignatureOptions, frozen=True, kw_only=True):
    key_version: RequestedVersion = 0


class Verify(SignatureOptions, frozen=True, kw_only=True):
    signature: Signature = UNSET
    hmac: Hmac = UNSET


class SignItem(msgspec.Struct, frozen=True, kw_only=True):
    input: Input = UNSET
    context: DerivationContext = ""
    reference: Reference = ""


class VerifyItem(msgspec.Struct, frozen=True, kw_only=True):
    input: Input = UNSET
    context: DerivationContext = ""
    signature: Signature = UNSET
    hmac: Hmac = UNSET
    reference: Reference = ""


class HmacFields(msgspec.Struct, frozen=True, kw_only=True):
    name: Name
    urlalgorithm: UrlAlgorithm = ""
    algorithm: Annotated[str, Meta(description='Algorithm to use, default "sha2-256".')] = ""
    input: Input = UNSET
    key_version: RequestedVersion = 0
    batch_input: BatchInput = UNSET
    partial_failure_response_code: PartialFailureCode = 0


class HmacItem(msgspec.Struct, frozen=True, kw_only=True):
    input: Input = UNSET
    reference: Reference = ""


class InvalidSignature(BadRequest):
    default_message = "invalid signature"


class InvalidHmac(BadRequest):
    default_message = "invalid HMAC"


def _salt_length(raw: str) -> int:
    text = raw.lower()
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


def _options(fields: SignatureOptions) -> signing.SignOptions:
    name = fields.urlalgorithm or fields.hash_algorithm or fields.algorithm or "sha2-256"
    if name not in digest.HASHES and name != "none":
        raise BadRequest("invalid hash algorithm")
    marshaling = fields.marshaling_algorithm or "asn1"
    if marshaling not in {"asn1", "jws"}:
        raise BadRequest(f'invalid marshaling type "{marshaling}"')
    opts = signing.SignOptions(
        hash_name=name,
        prehashed=fields.prehashed,
        signature_algorithm=fields.signature_algorithm or "pss",
        salt_length=_salt_length(fields.salt_length),
        marshaling=marshaling,
    )
    if name == "none" and (not opts.prehashed or opts.signature_algorithm != "pkcs1v15"):
        raise BadRequest(
            "hash_algorithm=none requires both prehashed=true and signature_algorithm=pkcs1v15"
        )
    return opts


async def _signing_ring(
    t: TransitContext, name: str, missing: str, opts: signing.SignOptions
) -> Keyring:
    ring = await t.ring(name, missing)
    if ring.type not in SIGNING:
        raise BadRequest(f"key type {ring.type} does not support signing")
    if ring.type in RSA and opts.signature_algorithm not in {"pss", "pkcs1v15"}:
        raise BadRequest("unsupported rsa signature algorithm")
    return ring


def _encode(raw: bytes, marshaling: str) -> str:
    if marshaling == "jws":
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    return encoding.b64encode(raw)


def _decode(text: str, marshaling: str, invalid: type[BadRequest]) -> bytes:
    try:
        if marshaling == "jws":
            return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise invalid from None


async def sign(t: TransitContext, _req: Request, fields: Sign) -> Response:
    opts = _options(fields)
    ring = await _signing_ring(t, fields.name, "signing key not found", opts)
    ring.require_enabled()
    version = ring.encryption_version(fields.key_version, "signing")
    entries, is_batch = batch.entries(fields.batch_input, fields, SignItem)

    async def one(item: SignItem) -> dict[str, Any]:
        if is_batch and item.input is UNSET:
            raise BadRequest("missing input")
        message = encoding.b64decode(batch.text(item.input), "input")
        key = ring.private_key(version, encoding.b64decode(item.context, "context"))
        try:
            raw = signing.sign(key, message, opts)
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
        t.events.used(ring.name, version, "sign")
        body: dict[str, Any] = {
            "signature": encoding.versioned(version, _encode(raw, opts.marshaling))
        }
        body["key_version"] = version
        if ring.policy.derived:
            body["public_key"] = format_public(ring.type, key.public_key())
        return body

    results = await batch.run(entries, one)
    code = fields.partial_failure_response_code
    return batch.respond(
        entries, results, batch=is_batch, partial_failure_code=code, on_error={"key_version": 0}
    )


def _kind(entries: Sequence[batch.Entry], *, is_batch: bool) -> str:
    """'signature' or 'hmac': what the items carry, with Vault's refusals of mixtures."""
    items = batch.decoded(entries, VerifyItem)
    sig = sum(item.signature is not UNSET for item in items)
    mac = sum(item.hmac is not UNSET for item in items)
    if sig and mac:
        raise BadRequest("provide one of 'signature' or 'hmac'")
    if not sig and not mac:
        if not is_batch:
            raise BadRequest("neither a 'signature' nor an 'hmac' were given to verify")
        raise BadRequest("no batch_input elements have 'signature' or 'hmac'")
    if max(sig, mac) != len(entries):
        raise BadRequest(
            f"some elements of batch_input are missing '{'signature' if sig else 'hmac'}'"
        )
    return "signature" if sig else "hmac"


async def verify(t: TransitContext, _req: Request, fields: Verify) -> Response:
    entries, is_batch = batch.entries(fields.batch_input, fields, VerifyItem)
    if _kind(entries, is_batch=is_batch) == "hmac":
        return await _verify_hmacs(t, fields, entries, is_batch=is_batch)
    opts = _options(fields)
    ring = await _signing_ring(t, fields.name, "signature verification key not found", opts)
    ring.require_enabled()

    async def one(item: VerifyItem) -> dict[str, Any]:
        message = encoding.b64decode(batch.text(item.input), "input")
        context = encoding.b64decode(item.context, "context")
        parsed = encoding.split_versioned(batch.text(item.signature))
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

    results = await batch.run(entries, one)
    code = fields.partial_failure_response_code
    return batch.respond(
        entries, results, batch=is_batch, partial_failure_code=code, on_error={"valid": False}
    )


def _hmac_algorithm(urlalgorithm: str, algorithm: str) -> str:
    name = urlalgorithm or algorithm or "sha2-256"
    if name not in digest.HASHES:
        raise BadRequest("unsupported algorithm")
    return name


async def hmac(t: TransitContext, _req: Request, fields: HmacFields) -> Response:
    ring = await t.ring(fields.name)
    ring.require_enabled()
    policy, requested = ring.policy, fields.key_version
    version = requested or policy.latest_version
    if version < 0 or version > policy.latest_version:
        raise BadRequest(
            f"key version does not exist; latest key version is {policy.latest_version}"
        )
    if policy.min_encryption_version > 0 and version < policy.min_encryption_version:
        raise BadRequest("cannot generate HMAC: version is too old (disallowed by policy)")
    algorithm = _hmac_algorithm(fields.urlalgorithm, fields.algorithm)
    key = ring.hmac_key(version)
    entries, is_batch = batch.entries(fields.batch_input, fields, HmacItem)
    if not is_batch and fields.input is UNSET:
        raise BadRequest("missing input for HMAC")

    async def one(item: HmacItem) -> dict[str, Any]:
        if item.input is UNSET:
            raise BadRequest("missing input for HMAC")
        message = encoding.b64decode(item.input, "input")
        mac = digest.mac(algorithm, key, message)
        t.events.used(ring.name, version, "hmac")
        return {"hmac": encoding.versioned(version, encoding.b64encode(mac))}

    results = await batch.run(entries, one)
    code = fields.partial_failure_response_code
    return batch.respond(entries, results, batch=is_batch, partial_failure_code=code)


async def _verify_hmacs(
    t: TransitContext, fields: Verify, entries: Sequence[batch.Entry], *, is_batch: bool
) -> Response:
    ring = await t.ring(fields.name)
    ring.require_enabled()
    algorithm = _hmac_algorithm(fields.urlalgorithm, fields.algorithm)

    async def one(item: VerifyItem) -> dict[str, Any]:
        message = encoding.b64decode(batch.text(item.input), "input")
        parsed = encoding.split_versioned(batch.text(item.hmac))
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

    results = await batch.run(entries, one)
    code = fields.partial_failure_response_code
    return batch.respond(entries, results, batch=is_batch, partial_failure_code=code)
