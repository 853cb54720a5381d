"""Key management: `keys/` LIST, `keys/:name` create/read/delete, `keys/:name/config`, `rotate`
and `trim` (Vault's transit `path_keys.go`, `path_config.go`, `path_rotate.go`, `path_trim.go`).

Every change is a checked read-modify-write on the key's policy record (`store.update`), so
concurrent writers never lose each other's changes.
"""

from __future__ import annotations

import secrets
from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.transit import encoding, events, render
from strongroom.engines.transit.context import DerivationContext, KeyName, Name, TransitContext
from strongroom.engines.transit.models import (
    DERIVATION,
    HMAC_MAX_KEY_SIZE,
    HMAC_MIN_KEY_SIZE,
    KEY_TYPES,
    SYMMETRIC,
    KeyPolicy,
)
from strongroom.engines.transit.store import Change, Mutation, counter_path
from strongroom.engines.transit.versions import new_version, with_version
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import NO_CONTENT, UNSET, Duration, NoFields, Request, Response, UnsetType
from strongroom.logical.fields import sent
from strongroom.storage.interface import Delete

SYNOPSIS = "Managed named encryption keys"
CONFIG_SYNOPSIS = "Configure a named encryption key"
ROTATE_SYNOPSIS = "Rotate named encryption key"
TRIM_SYNOPSIS = "Trim key versions of a named key"
_HOUR = 3600
Derived = Annotated[
    bool,
    Meta(description="Enables key derivation mode. This allows for per-transaction unique keys."),
]
Exportable = Annotated[
    bool,
    Meta(
        description="Enables keys to be exportable. This allows for all the valid keys in the "
        "key ring to be exported. Once set, this cannot be disabled."
    ),
]
PlaintextBackup = Annotated[
    bool,
    Meta(
        description="Enables taking a backup of the named key in plaintext format. Once set, "
        "this cannot be disabled."
    ),
]
RotatePeriod = Annotated[
    Duration,
    Meta(
        description="Amount of time the key should live before being automatically rotated. "
        "A value of 0 (default) disables automatic rotation for the key."
    ),
]
KeyType = Annotated[
    str,
    Meta(description='The type of key to create. Defaults to "aes256-gcm96".'),
]
Convergent = Annotated[
    bool,
    Meta(
        description="Whether to support convergent encryption. This is only supported when "
        "using a key with key derivation enabled."
    ),
]


class KeyCreate(msgspec.Struct, frozen=True, kw_only=True):
    name: Name
    type: KeyType = "aes256-gcm96"
    derived: Derived = False
    convergent_encryption: Convergent = False
    exportable: Exportable = False
    allow_plaintext_backup: PlaintextBackup = False
    auto_rotate_period: RotatePeriod = 0
    key_size: Annotated[int, Meta(description="The key size in bytes for an hmac key.")] = 0
    context: DerivationContext = ""


class KeyRead(msgspec.Struct, frozen=True, kw_only=True):
    name: Name
    context: DerivationContext = ""


class KeyConfig(msgspec.Struct, frozen=True, kw_only=True):
    """Absent fields leave the setting as it is (UNSET)."""

    name: Name
    min_decryption_version: Annotated[
        int | UnsetType,
        Meta(description="If set, the minimum version of the key allowed to be decrypted."),
    ] = UNSET
    min_encryption_version: Annotated[
        int | UnsetType,
        Meta(
            description="If set, the minimum version of the key allowed to be used for encryption"
        ),
    ] = UNSET
    deletion_allowed: Annotated[
        bool | UnsetType, Meta(description="Whether to allow deletion of the key")
    ] = UNSET
    exportable: Annotated[bool | UnsetType, Exportable] = UNSET
    allow_plaintext_backup: Annotated[bool | UnsetType, PlaintextBackup] = UNSET
    auto_rotate_period: Annotated[Duration | UnsetType, RotatePeriod] = UNSET


class KeyTrim(msgspec.Struct, frozen=True, kw_only=True):
    name: Name
    min_available_version: Annotated[
        int | UnsetType,
        Meta(
            description="The minimum available version for the key ring. All versions before "
            "this version will be permanently deleted."
        ),
    ] = UNSET


def rotate_period(period: int) -> int:
    """`auto_rotate_period` in seconds. Raises BadRequest unless 0 or at least an hour."""
    if period != 0 and period < _HOUR:
        raise BadRequest("auto rotate period must be 0 to disable or at least an hour")
    return period


def policy_from(
    name: str,
    key_type: str,
    *,
    derived: bool = False,
    convergent: bool = False,
    exportable: bool = False,
    allow_plaintext_backup: bool = False,
    auto_rotate_period: int = 0,
    key_size: int = 0,
) -> KeyPolicy:
    """A new, version-less policy from create (or import, or upsert) fields, as Vault checks."""
    if key_type not in KEY_TYPES:
        raise BadRequest("unknown key type")
    if convergent and not derived:
        raise BadRequest("convergent encryption requires derivation to be enabled")
    if derived and key_type not in DERIVATION:
        raise BadRequest(f"key derivation not supported for keys of type {key_type}")
    if convergent and key_type not in SYMMETRIC:
        raise BadRequest(f"convergent encryption not supported for keys of type {key_type}")
    if key_size and key_type != "hmac":
        raise BadRequest(f"key_size is not valid for algorithm {key_type}")
    if key_size and not HMAC_MIN_KEY_SIZE <= key_size <= HMAC_MAX_KEY_SIZE:
        raise BadRequest("invalid key_size")
    return KeyPolicy(
        id=secrets.token_hex(8),
        name=name,
        type=key_type,
        derived=derived,
        convergent_encryption=convergent,
        convergent_version=-1 if convergent else 0,  # Vault: versions carry their own (3)
        exportable=exportable,
        allow_plaintext_backup=allow_plaintext_backup,
        auto_rotate_period=rotate_period(auto_rotate_period),
        key_size=key_size or (32 if key_type == "hmac" else 0),
    )


def creation(t: TransitContext, fresh: KeyPolicy) -> Mutation:
    """Create `fresh` with its first version, unless the key exists (then change nothing)."""

    async def mutate(policy: KeyPolicy | None) -> Change | None:
        if policy is not None:
            return None
        new = with_version(fresh, await new_version(fresh, t.now()))
        return Change(new, events=[events.created(new)])

    return mutate


async def create_key(t: TransitContext, _req: Request, fields: KeyCreate) -> Response:
    """Create a key; writing to an existing key returns it unchanged (Vault's upsert)."""
    fresh = policy_from(
        fields.name,
        fields.type,
        derived=fields.derived,
        convergent=fields.convergent_encryption,
        exportable=fields.exportable,
        allow_plaintext_backup=fields.allow_plaintext_backup,
        auto_rotate_period=fields.auto_rotate_period,
        key_size=fields.key_size,
    )
    ring = await t.store.update(fields.name, creation(t, fresh))
    if ring is None:
        raise NotFound
    return Response(render.key(ring))


async def read_key(t: TransitContext, _req: Request, fields: KeyRead) -> Response:
    ring = await t.store.load(fields.name)
    if ring is None:
        raise NotFound
    return Response(render.key(ring, encoding.b64decode(fields.context, "context")))


async def list_keys(t: TransitContext, _req: Request, _fields: NoFields) -> Response:
    names = await t.store.names()
    if not names:
        raise NotFound
    return Response({"keys": names})


async def delete_key(t: TransitContext, _req: Request, fields: KeyName) -> Response:
    """Delete a key and its counters; refused unless `deletion_allowed` (Vault's gate)."""
    name = fields.name

    async def mutate(policy: KeyPolicy | None) -> Change:
        if policy is None:
            raise BadRequest("error deleting policy: could not delete key; not found")
        if not policy.deletion_allowed:
            raise BadRequest(f"error deleting policy {name}: deletion is not allowed for this key")
        counters = [Delete(counter_path(name, v)) for v in range(1, policy.latest_version + 1)]
        return Change(None, counters, [events.deleted(policy)])

    await t.store.update(name, mutate)
    return NO_CONTENT


async def configure_key(t: TransitContext, _req: Request, fields: KeyConfig) -> Response:
    """`keys/:name/config`: only the fields present change; exportable and
    allow_plaintext_backup can be turned on, never off (Vault's `pathKeysConfigWrite`)."""

    async def mutate(policy: KeyPolicy | None) -> Change | None:
        if policy is None:
            raise BadRequest("no existing key by that name could be found")
        new = _configured(policy, fields)
        return None if new == policy else Change(new, events=events.config_changed(policy, new))

    ring = await t.store.update(fields.name, mutate)
    if ring is None:
        raise NotFound
    return Response(render.key(ring))


def _changeable(policy: KeyPolicy, action: str) -> None:
    """Keys pending deletion or destroyed take no configuration (README lifecycle table)."""
    if policy.state not in {"enabled", "disabled"}:
        raise BadRequest(f"cannot {action} a key that is {policy.state.replace('_', ' ')}")


def _configured(policy: KeyPolicy, fields: KeyConfig) -> KeyPolicy:
    if set(sent(fields)) - {"name", "deletion_allowed"}:
        _changeable(policy, "configure")  # deletion_allowed alone: any state, to clean up
    changes = {**_version_changes(policy, fields), **_flag_changes(policy, fields)}
    new = msgspec.structs.replace(policy, **changes)
    if 0 < new.min_encryption_version < new.min_decryption_version:
        raise BadRequest(
            "cannot set min encryption/decryption values; min encryption version of "
            f"{new.min_encryption_version} must be greater than or equal to min decryption "
            f"version of {new.min_decryption_version}"
        )
    if new != policy and new.min_available_version > new.min_decryption_version:
        raise BadRequest("min decryption version should not be less then min available version")
    return new


def _version_changes(policy: KeyPolicy, fields: KeyConfig) -> dict[str, int]:
    changes: dict[str, int] = {}
    for kind in ("decryption", "encryption"):
        field = f"min_{kind}_version"
        wanted = getattr(fields, field)
        if wanted is UNSET:
            continue
        if wanted < 0:
            raise BadRequest(f"min {kind} version cannot be negative")
        if kind == "decryption":
            wanted = max(wanted, 1)  # key numbering starts at 1; Vault forces it too
        if wanted > policy.latest_version:
            raise BadRequest(
                f"cannot set min {kind} version of {wanted}, "
                f"latest key version is {policy.latest_version}"
            )
        changes[field] = wanted
    return changes


def _flag_changes(policy: KeyPolicy, fields: KeyConfig) -> dict[str, object]:
    changes: dict[str, object] = {}
    for flag in ("deletion_allowed", "exportable", "allow_plaintext_backup"):
        value = getattr(fields, flag)
        if value is not UNSET:
            # exportable and allow_plaintext_backup are one-way: once on, never off (Vault).
            changes[flag] = value if flag == "deletion_allowed" else value or getattr(policy, flag)
    if fields.auto_rotate_period is not UNSET:
        changes["auto_rotate_period"] = rotate_period(fields.auto_rotate_period)
    return changes


async def rotate_key(t: TransitContext, _req: Request, fields: KeyName) -> Response:
    return Response(render.key(await t.rotate(fields.name)))


async def trim_key(t: TransitContext, _req: Request, fields: KeyTrim) -> Response:
    """Delete every version below `min_available_version`, for good (Vault's `trim`)."""
    wanted = fields.min_available_version
    if wanted is UNSET:
        raise BadRequest("missing min_available_version")

    async def mutate(policy: KeyPolicy | None) -> Change:
        if policy is None:
            raise BadRequest("invalid key name")
        _changeable(policy, "trim")
        _check_trim(policy, wanted)
        kept = {n: v for n, v in policy.versions.items() if n >= wanted}
        gone = [Delete(counter_path(policy.name, n)) for n in policy.versions if n < wanted]
        new = msgspec.structs.replace(policy, min_available_version=wanted, versions=kept)
        return Change(new, gone, [events.trimmed(policy, new)])

    ring = await t.store.update(fields.name, mutate)
    if ring is None:
        raise NotFound
    return Response(render.key(ring))


def _check_trim(policy: KeyPolicy, wanted: int) -> None:
    if wanted < policy.min_available_version:
        raise BadRequest("minimum available version cannot be decremented")
    if policy.min_encryption_version == 0:
        raise BadRequest(
            "minimum available version cannot be set when minimum encryption version is not set"
        )
    if wanted > policy.min_encryption_version:
        raise BadRequest(
            "minimum available version cannot be greater than minmum encryption version"
        )
    if wanted > policy.min_decryption_version:
        raise BadRequest(
            "minimum available version cannot be greater than minimum decryption version"
        )
    if wanted <= 0:
        raise BadRequest("minimum available version should be positive")
