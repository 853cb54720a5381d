"""`encrypt/:name`, `decrypt/:name`, `rewrap/:name` and `datakey/:plaintext/:name` (Vault's
transit `path_encrypt.go`, `path_decrypt.go`, `path_rewrap.go`, `path_datakey.go`).

All three data paths take either single fields or `batch_input` (see `batch.py`). As Vault, an
encrypt to a missing key creates it (aes256-gcm96 unless `type` says otherwise, derived when a
context is given) unless `config/keys` has `disable_upsert`; the ACL already required `create`
for that, through the backend's existence check.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from strongroom.engines.transit import batch, encoding
from strongroom.engines.transit.batch import BatchInput, PartialFailureCode, Reference
from strongroom.engines.transit.ciphers import Encryptor, decrypt
from strongroom.engines.transit.context import (
    DerivationContext,
    Name,
    RequestedVersion,
    TransitContext,
)
from strongroom.engines.transit.keyring import Keyring
from strongroom.engines.transit.models import SYMMETRIC
from strongroom.engines.transit.path_keys import Convergent, KeyType, creation, policy_from
from strongroom.errors import BadRequest
from strongroom.logical import UNSET, Request, Response, UnsetType

ENCRYPT_SYNOPSIS = "Encrypt a plaintext value or a batch of plaintext blocks using a named key"
DECRYPT_SYNOPSIS = "Decrypt a ciphertext value using a named key"
REWRAP_SYNOPSIS = "Rewrap ciphertext"
DATAKEY_SYNOPSIS = "Generate a data key"
_DATAKEY_BITS = {128, 256, 512}
Plaintext = Annotated[str, Meta(description="Base64 encoded plaintext value to be encrypted")]
Ciphertext = Annotated[str, Meta(description="The ciphertext to decrypt")]
AssociatedData = Annotated[
    str,
    Meta(
        description="When using an AEAD cipher mode, such as AES-GCM, this parameter allows "
        "passing associated data (AD/AAD) into the encryption function; this data must be "
        "passed on subsequent decryption requests but can be transited in plaintext."
    ),
]
Nonce = Annotated[
    str, Meta(description="Nonce for when convergent encryption v1 is used (only in Vault 0.6.1)")
]


class EncryptItem(msgspec.Struct, frozen=True, kw_only=True):
    """One item of an encrypt; the request's own fields extend it (`Encrypt`)."""

    plaintext: Annotated[str | UnsetType, Plaintext] = UNSET
    context: DerivationContext = ""
    key_version: RequestedVersion = 0
    associated_data: AssociatedData = ""
    nonce: Nonce = ""
    reference: Reference = ""


class Encrypt(EncryptItem, frozen=True, kw_only=True):
    name: Name
    type: KeyType = "aes256-gcm96"
    convergent_encryption: Convergent = False
    batch_input: BatchInput = UNSET
    partial_failure_response_code: PartialFailureCode = 0


class DecryptItem(msgspec.Struct, frozen=True, kw_only=True):
    """One item of a decrypt or rewrap (`key_version` is rewrap's: the version to encrypt
    with again); the request's own fields extend it (`Decrypt`)."""

    ciphertext: Ciphertext = ""
    context: DerivationContext = ""
    associated_data: AssociatedData = ""
    key_version: RequestedVersion = 0
    reference: Reference = ""


class Decrypt(DecryptItem, frozen=True, kw_only=True):
    """Also the fields of a rewrap."""

    name: Name
    batch_input: BatchInput = UNSET
    partial_failure_response_code: PartialFailureCode = 0


class Datakey(msgspec.Struct, frozen=True, kw_only=True):
    plaintext: Annotated[
        str,
        Meta(
            description='"plaintext" will return the key in both plaintext and ciphertext; '
            '"wrapped" will return the ciphertext only.'
        ),
    ]
    name: Name
    context: DerivationContext = ""
    nonce: Nonce = ""
    bits: Annotated[
        int, Meta(description="Number of bits for the key; currently 128, 256, and 512 bits")
    ] = 256
    key_version: RequestedVersion = 0


async def exists(t: TransitContext, captures: Mapping[str, str]) -> bool:
    """Only `encrypt/:name` can create (upsert) a key, so a write there to a missing key needs
    the `create` capability; every other path is an update (Vault's transit ExistenceCheck)."""
    return await t.store.exists(captures["name"])


def _context_set(items: Sequence[EncryptItem | DecryptItem]) -> bool:
    """Whether the items carry contexts; Vault refuses a batch that mixes both."""
    given = {bool(item.context) for item in items}
    if len(given) > 1:
        raise BadRequest("context should be set either in all the request blocks or in none")
    return given.pop() if given else False


def _inputs(item: EncryptItem | DecryptItem) -> tuple[bytes, bytes]:
    return encoding.b64decode(item.context, "context"), encoding.b64decode(
        item.associated_data, "associated_data"
    )


async def _ring_or_upsert(t: TransitContext, fields: Encrypt, derived: bool) -> Keyring:
    ring = await t.store.load(fields.name)
    if ring is not None:
        return ring
    if (await t.store.keys_config()).disable_upsert:
        raise BadRequest("encryption key not found")
    if fields.type not in SYMMETRIC:
        raise BadRequest(f"key type {fields.type} not supported for this operation")
    if fields.convergent_encryption and not derived:
        raise BadRequest(
            "convergent encryption requires derivation to be enabled, so context is required"
        )
    fresh = policy_from(
        fields.name, fields.type, derived=derived, convergent=fields.convergent_encryption
    )
    # Created meanwhile by another request: `creation` leaves it, and we use that one.
    return await t.store.update(fields.name, creation(t, fresh)) or await t.ring(fields.name)


async def encrypt(t: TransitContext, _req: Request, fields: Encrypt) -> Response:
    entries, is_batch = batch.entries(fields.batch_input, fields, EncryptItem)
    if not is_batch and fields.plaintext is UNSET:
        raise BadRequest("missing plaintext to encrypt")
    derived = _context_set(batch.decoded(entries, EncryptItem))
    encryptor = Encryptor(t, await _ring_or_upsert(t, fields, derived))

    async def one(item: EncryptItem) -> dict[str, Any]:
        if item.nonce:
            raise BadRequest("nonce provided when not allowed")
        plaintext = encoding.b64decode(batch.text(item.plaintext), "plaintext")
        context, aad = _inputs(item)
        ciphertext, version = await encryptor.encrypt(plaintext, context, aad, item.key_version)
        return {"ciphertext": ciphertext, "key_version": version}

    results = await batch.run(entries, one)
    code = fields.partial_failure_response_code
    return batch.respond(entries, results, batch=is_batch, partial_failure_code=code)


async def _decrypt_entries(
    t: TransitContext, fields: Decrypt
) -> tuple[Keyring, list[batch.Entry], bool]:
    """The key and items of a decrypt or rewrap, with Vault's checks before any item."""
    entries, is_batch = batch.entries(fields.batch_input, fields, DecryptItem)
    if not is_batch and not fields.ciphertext:
        raise BadRequest("missing ciphertext to decrypt")
    _context_set(batch.decoded(entries, DecryptItem))
    return await t.ring(fields.name), entries, is_batch


def _opened(t: TransitContext, ring: Keyring, item: DecryptItem) -> tuple[bytes, bytes, bytes]:
    """(plaintext, context, associated data) of one item's ciphertext."""
    if not item.ciphertext:
        raise BadRequest("missing ciphertext to decrypt")
    context, aad = _inputs(item)
    plaintext, version = decrypt(ring, item.ciphertext, context, aad)
    t.events.used(ring.name, version, "decrypt")
    return plaintext, context, aad


async def decrypt_data(t: TransitContext, _req: Request, fields: Decrypt) -> Response:
    ring, entries, is_batch = await _decrypt_entries(t, fields)

    async def one(item: DecryptItem) -> dict[str, Any]:
        plaintext, _, _ = _opened(t, ring, item)
        return {"plaintext": encoding.b64encode(plaintext)}

    results = await batch.run(entries, one)
    code = fields.partial_failure_response_code
    return batch.respond(
        entries, results, batch=is_batch, partial_failure_code=code, on_error={"plaintext": ""}
    )


async def rewrap(t: TransitContext, _req: Request, fields: Decrypt) -> Response:
    """Decrypt and encrypt again with the latest (or `key_version`) version; no plaintext out."""
    ring, entries, is_batch = await _decrypt_entries(t, fields)
    encryptor = Encryptor(t, ring)

    async def one(item: DecryptItem) -> dict[str, Any]:
        plaintext, context, aad = _opened(t, encryptor.ring, item)
        new, version = await encryptor.encrypt(plaintext, context, aad, item.key_version)
        return {"ciphertext": new, "key_version": version}

    results = await batch.run(entries, one)
    code = fields.partial_failure_response_code
    return batch.respond(entries, results, batch=is_batch, partial_failure_code=code)


async def datakey(t: TransitContext, _req: Request, fields: Datakey) -> Response:
    """A fresh random key, encrypted under the named key; `plaintext` also returns it bare."""
    kind = fields.plaintext
    if kind not in {"plaintext", "wrapped"}:
        raise BadRequest("Invalid path, must be 'plaintext' or 'wrapped'")
    if fields.bits not in _DATAKEY_BITS:
        raise BadRequest("invalid bit length")
    if fields.nonce:
        raise BadRequest("nonce provided when not allowed")
    context = encoding.b64decode(fields.context, "context")
    ring = await t.ring(fields.name)
    key = secrets.token_bytes(fields.bits // 8)
    encryptor = Encryptor(t, ring)
    ciphertext, version = await encryptor.encrypt(key, context, b"", fields.key_version)
    body: dict[str, Any] = {"ciphertext": ciphertext, "key_version": version}
    if kind == "plaintext":
        body["plaintext"] = encoding.b64encode(key)
    return Response(body)
