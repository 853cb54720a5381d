"""`encrypt/:name`, `decrypt/:name`, `rewrap/:name` and `datakey/:kind/:name` (Vault transit API).

All three data paths take either single fields or `batch_input` (see `batch.py`). As Vault, an
encrypt to a missing key creates it (aes256-gcm96 unless `type` says otherwise, derived when a
context is given) unless `config/keys` has `disable_upsert`; the ACL already required `create`
for that, through the backend's existence check.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from strongroom.core.fields import get_int, get_str
from strongroom.core.request import Request, Response
from strongroom.engines.transit import batch, params
from strongroom.engines.transit.ciphers import Encryptor, decrypt
from strongroom.engines.transit.handlers import creation, policy_from
from strongroom.engines.transit.keyring import Keyring
from strongroom.engines.transit.models import SYMMETRIC
from strongroom.engines.transit.service import Transit
from strongroom.errors import BadRequest

_FIELDS = ("plaintext", "ciphertext", "context", "key_version", "associated_data", "nonce")
_DATAKEY_BITS = {128, 256, 512}


def _context_set(items: list[batch.Item]) -> bool:
    """Whether the items carry contexts; Vault refuses a batch that mixes both."""
    given = {bool(batch.text(item, "context")) for item in items}
    if len(given) > 1:
        raise BadRequest("context should be set either in all the request blocks or in none")
    return given.pop()


def _inputs(item: batch.Item) -> tuple[bytes, bytes]:
    return params.b64decode(batch.text(item, "context"), "context"), params.b64decode(
        batch.text(item, "associated_data"), "associated_data"
    )


async def _ring_or_upsert(t: Transit, name: str, data: Mapping[str, Any], derived: bool) -> Keyring:
    ring = await t.store.load(name)
    if ring is not None:
        return ring
    if (await t.store.keys_config()).disable_upsert:
        raise BadRequest("encryption key not found")
    key_type = get_str(data, "type", "aes256-gcm96")
    if key_type not in SYMMETRIC:
        raise BadRequest(f"key type {key_type} not supported for this operation")
    if data.get("convergent_encryption") and not derived:
        raise BadRequest(
            "convergent encryption requires derivation to be enabled, so context is required"
        )
    fields = {"derived": derived, "convergent_encryption": data.get("convergent_encryption")}
    fresh = policy_from(name, fields, key_type)
    # Created meanwhile by another request: `creation` leaves it, and we use that one.
    return await t.store.update(name, creation(t, fresh)) or await t.ring(name)


async def encrypt(t: Transit, req: Request, p: Mapping[str, str]) -> Response:
    items, is_batch = batch.items(req.data, _FIELDS)
    if not is_batch and req.data.get("plaintext") is None:
        raise BadRequest("missing plaintext to encrypt")
    ring = await _ring_or_upsert(t, p["name"], req.data, _context_set(items))
    encryptor = Encryptor(t, ring)

    async def one(item: batch.Item) -> dict[str, Any]:
        if batch.text(item, "nonce"):
            raise BadRequest("nonce provided when not allowed")
        plaintext = params.b64decode(batch.text(item, "plaintext"), "plaintext")
        context, aad = _inputs(item)
        requested = batch.number(item, "key_version")
        ciphertext, version = await encryptor.encrypt(plaintext, context, aad, requested)
        return {"ciphertext": ciphertext, "key_version": version}

    results = await batch.run(items, one)
    return batch.respond(req.data, items, results, batch=is_batch)


async def decrypt_data(t: Transit, req: Request, p: Mapping[str, str]) -> Response:
    items, is_batch = batch.items(req.data, _FIELDS)
    if not is_batch and not get_str(req.data, "ciphertext"):
        raise BadRequest("missing ciphertext to decrypt")
    _context_set(items)
    ring = await t.ring(p["name"])

    async def one(item: batch.Item) -> dict[str, Any]:
        ciphertext = batch.text(item, "ciphertext")
        if not ciphertext:
            raise BadRequest("missing ciphertext to decrypt")
        context, aad = _inputs(item)
        plaintext, version = decrypt(ring, ciphertext, context, aad)
        t.events.used(ring.name, version, "decrypt")
        return {"plaintext": params.b64encode(plaintext)}

    results = await batch.run(items, one)
    return batch.respond(req.data, items, results, batch=is_batch, on_error={"plaintext": ""})


async def rewrap(t: Transit, req: Request, p: Mapping[str, str]) -> Response:
    """Decrypt and encrypt again with the latest (or `key_version`) version; no plaintext out."""
    items, is_batch = batch.items(req.data, _FIELDS)
    if not is_batch and not get_str(req.data, "ciphertext"):
        raise BadRequest("missing ciphertext to decrypt")
    _context_set(items)
    ring = await t.ring(p["name"])
    encryptor = Encryptor(t, ring)

    async def one(item: batch.Item) -> dict[str, Any]:
        ciphertext = batch.text(item, "ciphertext")
        if not ciphertext:
            raise BadRequest("missing ciphertext to decrypt")
        context, aad = _inputs(item)
        plaintext, old = decrypt(encryptor.ring, ciphertext, context, aad)
        t.events.used(encryptor.ring.name, old, "decrypt")
        requested = batch.number(item, "key_version")
        new, version = await encryptor.encrypt(plaintext, context, aad, requested)
        return {"ciphertext": new, "key_version": version}

    results = await batch.run(items, one)
    return batch.respond(req.data, items, results, batch=is_batch)


async def datakey(t: Transit, req: Request, p: Mapping[str, str]) -> Response:
    """A fresh random key, encrypted under the named key; `plaintext` also returns it bare."""
    kind = p["kind"]
    if kind not in {"plaintext", "wrapped"}:
        raise BadRequest("Invalid path, must be 'plaintext' or 'wrapped'")
    bits = get_int(req.data, "bits", 256)
    if bits not in _DATAKEY_BITS:
        raise BadRequest("invalid bit length")
    if get_str(req.data, "nonce"):
        raise BadRequest("nonce provided when not allowed")
    context = params.b64_field(req.data, "context")
    ring = await t.ring(p["name"])
    key = secrets.token_bytes(bits // 8)
    requested = get_int(req.data, "key_version")
    ciphertext, version = await Encryptor(t, ring).encrypt(key, context, b"", requested)
    body: dict[str, Any] = {"ciphertext": ciphertext, "key_version": version}
    if kind == "plaintext":
        body["plaintext"] = params.b64encode(key)
    return Response(body)
