"""BYOK: `wrapping_key`, `keys/:name/import` and `keys/:name/import_version` (Vault transit API).

The mount has one RSA-4096 wrapping key, created on first use by `View.update` so two
workers racing to create it agree on the winner's. Callers wrap key material as `crypto/wrap.py`
describes (Vault's format); public keys alone may be imported as PEM (`public_key`), and a
version imported that way can get its private half later with `import_version` + `version`.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Annotated

import msgspec
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import rsa
from msgspec import Meta

from strongroom.engines.transit import encoding, events
from strongroom.engines.transit.context import Name, TransitContext
from strongroom.engines.transit.crypto import aead, asymmetric, wrap
from strongroom.engines.transit.errors import InvalidKeyMaterial
from strongroom.engines.transit.models import (
    HMAC_MAX_KEY_SIZE,
    HMAC_MIN_KEY_SIZE,
    SIGNING,
    KeyPolicy,
    KeyVersion,
)
from strongroom.engines.transit.path_keys import (
    Derived,
    Exportable,
    KeyType,
    PlaintextBackup,
    RotatePeriod,
    policy_from,
    rotate_period,
)
from strongroom.engines.transit.store import WRAPPING_KEY, Change
from strongroom.engines.transit.versions import with_version
from strongroom.errors import BadRequest
from strongroom.logical import (
    NO_CONTENT,
    UNCHANGED,
    UNSET,
    NoFields,
    Request,
    Response,
    UnsetType,
    Verdict,
)

WRAPPING_KEY_SYNOPSIS = "Returns the public key to use for wrapping imported keys"
IMPORT_SYNOPSIS = "Imports an externally-generated key into a new transit key"
IMPORT_VERSION_SYNOPSIS = "Imports an externally-generated key into an existing imported key"


class Material(msgspec.Struct, frozen=True, kw_only=True):
    """The key material fields of an import and an import_version."""

    name: Name
    ciphertext: Annotated[
        str,
        Meta(
            description="The base64-encoded ciphertext of the keys. The AES key should be "
            "encrypted using OAEP with the wrapping key and then concatenated with the import "
            "key, wrapped by the AES key."
        ),
    ] = ""
    public_key: Annotated[str, Meta(description="The plaintext PEM public key to be imported.")] = (
        ""
    )
    hash_function: Annotated[
        str,
        Meta(
            description="The hash function used as a random oracle in the OAEP wrapping of the "
            'symmetric key. Defaults to "SHA256".'
        ),
    ] = ""


class Import(Material, frozen=True, kw_only=True):
    type: KeyType = ""
    derived: Derived = False
    exportable: Exportable = False
    allow_plaintext_backup: PlaintextBackup = False
    auto_rotate_period: RotatePeriod = 0
    allow_rotation: Annotated[
        bool, Meta(description="True if the imported key may be rotated within OpenBao.")
    ] = False
    convergent_encryption: Annotated[
        bool | UnsetType, Meta(description="Refused: imported keys cannot be convergent.")
    ] = UNSET


class ImportVersion(Material, frozen=True, kw_only=True):
    version: Annotated[
        int,
        Meta(
            description="Key version to be updated, if left empty, a new version will be created "
            "unless a private key is specified and the 'Latest' key is missing a private key."
        ),
    ] = 0


def _new_wrapping_key() -> bytes:
    key = rsa.generate_private_key(65537, wrap.WRAPPING_KEY_BITS)
    return key.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption())


async def wrapping_key(t: TransitContext) -> rsa.RSAPrivateKey:
    """The mount's wrapping key, created on first use."""
    if t.wrapping_key is not None:
        return t.wrapping_key

    async def created(found: bytes | None) -> bytes | Verdict:
        # Key generation runs off the event loop; a loser of the race reads the winner's.
        return UNCHANGED if found is not None else await asyncio.to_thread(_new_wrapping_key)

    raw = (await t.store.view.update(WRAPPING_KEY, bytes, created)).after
    key = ser.load_der_private_key(raw or b"", password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise InvalidKeyMaterial
    t.wrapping_key = key  # it never changes for the life of the mount
    return key


async def read_wrapping_key(t: TransitContext, _req: Request, _fields: NoFields) -> Response:
    public = (await wrapping_key(t)).public_key()
    pem = public.public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo)
    return Response({"public_key": pem.decode()})


async def _material(t: TransitContext, policy: KeyPolicy, fields: Material) -> KeyVersion:
    """The imported version from `ciphertext` (wrapped private/secret) or `public_key` (PEM)."""
    ciphertext, public = fields.ciphertext, fields.public_key
    if ciphertext and public:
        raise BadRequest("only one of the following fields, ciphertext and public_key, can be set")
    now, hmac_key = t.now(), secrets.token_bytes(32)
    if public:
        if policy.type not in SIGNING:
            raise BadRequest("provided type does not support public_key import")
        if policy.derived:
            raise BadRequest("unable to import only public key for derived Ed25519 key")
        parsed = asymmetric.parse_public(policy.type, public)
        formatted = asymmetric.format_public(policy.type, parsed)
        return KeyVersion(created=now, hmac_key=hmac_key, public_key=formatted)
    hash_function = fields.hash_function or "SHA256"
    if hash_function.upper() not in wrap.HASH_FUNCTIONS:
        raise BadRequest("unknown hash function")
    blob = encoding.b64decode(ciphertext, "ciphertext")
    secret = wrap.unwrap(await wrapping_key(t), blob, hash_function)
    if policy.type in SIGNING:
        stored = asymmetric.from_pkcs8(policy.type, secret)
        public_key = asymmetric.load_private(policy.type, stored).public_key()
        formatted = asymmetric.format_public(policy.type, public_key)
        return KeyVersion(created=now, key=stored, hmac_key=hmac_key, public_key=formatted)
    if policy.type == "hmac":
        if not HMAC_MIN_KEY_SIZE <= len(secret) <= HMAC_MAX_KEY_SIZE:
            raise BadRequest(f"invalid key size {len(secret)} bytes for key type hmac")
        return KeyVersion(created=now, key=secret)
    if len(secret) != aead.KEY_SIZES[policy.type]:
        raise BadRequest(f"invalid key size {len(secret)} bytes for key type {policy.type}")
    return KeyVersion(created=now, key=secret, hmac_key=hmac_key)


async def import_key(t: TransitContext, _req: Request, fields: Import) -> Response:
    name = fields.name
    if fields.convergent_encryption is not UNSET:
        raise BadRequest("import cannot be used on keys with convergent encryption enabled")
    allow_rotation = fields.allow_rotation
    if rotate_period(fields.auto_rotate_period) > 0 and not allow_rotation:
        raise BadRequest("allow_rotation must be set to true if auto-rotation is enabled")
    if not fields.ciphertext and not fields.public_key:
        raise BadRequest("one of ciphertext or public_key must be set")
    fresh = policy_from(
        name,
        (fields.type or "aes256-gcm96").lower(),
        derived=fields.derived,
        exportable=fields.exportable,
        allow_plaintext_backup=fields.allow_plaintext_backup,
        auto_rotate_period=fields.auto_rotate_period,
    )
    fresh = msgspec.structs.replace(fresh, imported=True, allow_rotation=allow_rotation)
    version = await _material(t, fresh, fields)
    if fresh.type == "hmac":
        fresh = msgspec.structs.replace(fresh, key_size=len(version.key))

    async def mutate(policy: KeyPolicy | None) -> Change:
        if policy is not None:
            raise BadRequest(
                "the import path cannot be used with an existing key; "
                "use import-version to rotate an existing imported key"
            )
        new = with_version(fresh, version)
        return Change(new, events=[events.imported(new, new.latest_version)])

    await t.store.update(name, mutate)
    return NO_CONTENT


async def import_version(t: TransitContext, _req: Request, fields: ImportVersion) -> Response:
    name = fields.name
    ring = await t.store.load(name)
    if ring is None:
        raise BadRequest(
            f"no key found with name {name}; to import a new key, use the import/ endpoint"
        )
    if not ring.policy.imported:
        raise BadRequest("the import_version endpoint can only be used with an imported key")
    if ring.policy.convergent_encryption:
        raise BadRequest("import_version cannot be used on keys with convergent encryption enabled")
    version = await _material(t, ring.policy, fields)
    target = fields.version

    async def mutate(policy: KeyPolicy | None) -> Change:
        if policy is None:
            raise BadRequest("no key found with that name")
        new = _completed(policy, target, version) if target else with_version(policy, version)
        return Change(new, events=[events.imported(new, target or new.latest_version)])

    await t.store.update(name, mutate)
    return NO_CONTENT


def _completed(policy: KeyPolicy, number: int, version: KeyVersion) -> KeyPolicy:
    """`policy` with the private half of public-only version `number` filled in."""
    existing = policy.versions.get(number)
    if existing is None:
        raise BadRequest("no such key version")
    if policy.type not in SIGNING:
        raise BadRequest("provided type does not support importing key versions")
    if existing.key:
        raise BadRequest("private key imported, key version cannot be updated")
    if not version.key:
        raise BadRequest(
            "cannot add a public key to a key version that already has a public key set"
        )
    if version.public_key != existing.public_key:
        raise BadRequest("cannot import key, key pair does not match")
    merged = msgspec.structs.replace(existing, key=version.key)
    return msgspec.structs.replace(policy, versions={**policy.versions, number: merged})
