"""Key management handlers: `keys/` LIST, `keys/:name` create/read/delete, `keys/:name/config`,
`rotate` and `trim`, plus the mount settings `config/keys` and `cache-config` (Vault transit API).

Every change is a checked read-modify-write on the key's policy record (`store.update`), so
concurrent writers never lose each other's changes.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping

import msgspec

from strongroom.core.fields import get_bool, get_duration, get_int, get_str
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.engines.transit import events, params, render
from strongroom.engines.transit.models import (
    DERIVATION,
    HMAC_MAX_KEY_SIZE,
    HMAC_MIN_KEY_SIZE,
    KEY_TYPES,
    SYMMETRIC,
    CacheConfig,
    KeyPolicy,
    KeysConfig,
)
from strongroom.engines.transit.service import Transit
from strongroom.engines.transit.store import Change, Mutation, counter_path
from strongroom.engines.transit.versions import new_version, with_version
from strongroom.errors import BadRequest, NotFound
from strongroom.storage.interface import Delete

_HOUR = 3600


def rotate_period(data: Mapping[str, object]) -> int:
    """`auto_rotate_period` in seconds. Raises BadRequest unless 0 or at least an hour."""
    period = get_duration(data, "auto_rotate_period")
    if period != 0 and period < _HOUR:
        raise BadRequest("auto rotate period must be 0 to disable or at least an hour")
    return period


def policy_from(name: str, data: Mapping[str, object], key_type: str) -> KeyPolicy:
    """A new, version-less policy from create (or import, or upsert) fields, as Vault checks."""
    if key_type not in KEY_TYPES:
        raise BadRequest("unknown key type")
    derived = get_bool(data, "derived")
    convergent = get_bool(data, "convergent_encryption")
    if convergent and not derived:
        raise BadRequest("convergent encryption requires derivation to be enabled")
    if derived and key_type not in DERIVATION:
        raise BadRequest(f"key derivation not supported for keys of type {key_type}")
    if convergent and key_type not in SYMMETRIC:
        raise BadRequest(f"convergent encryption not supported for keys of type {key_type}")
    key_size = get_int(data, "key_size")
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
        exportable=get_bool(data, "exportable"),
        allow_plaintext_backup=get_bool(data, "allow_plaintext_backup"),
        auto_rotate_period=rotate_period(data),
        key_size=key_size or (32 if key_type == "hmac" else 0),
    )


def creation(t: Transit, fresh: KeyPolicy) -> Mutation:
    """Create `fresh` with its first version, unless the key exists (then change nothing)."""

    async def mutate(policy: KeyPolicy | None) -> Change | None:
        if policy is not None:
            return None
        new = with_version(fresh, await new_version(fresh, t.now()))
        return Change(new, events=[events.created(new)])

    return mutate


async def create_key(t: Transit, req: Request, p: Mapping[str, str]) -> Response:
    """Create a key; writing to an existing key returns it unchanged (Vault's upsert)."""
    fresh = policy_from(p["name"], req.data, get_str(req.data, "type", "aes256-gcm96"))
    ring = await t.store.update(p["name"], creation(t, fresh))
    if ring is None:
        raise NotFound
    return Response(render.key(ring))


async def read_key(t: Transit, req: Request, p: Mapping[str, str]) -> Response:
    ring = await t.store.load(p["name"])
    if ring is None:
        raise NotFound
    return Response(render.key(ring, params.b64_field(req.data, "context")))


async def list_keys(t: Transit, _req: Request, _p: Mapping[str, str]) -> Response:
    names = await t.store.names()
    if not names:
        raise NotFound
    return Response({"keys": names})


async def delete_key(t: Transit, _req: Request, p: Mapping[str, str]) -> Response:
    """Delete a key and its counters; refused unless `deletion_allowed` (Vault's gate)."""
    name = p["name"]

    async def mutate(policy: KeyPolicy | None) -> Change:
        if policy is None:
            raise BadRequest("error deleting policy: could not delete key; not found")
        if not policy.deletion_allowed:
            raise BadRequest(f"error deleting policy {name}: deletion is not allowed for this key")
        counters = [Delete(counter_path(name, v)) for v in range(1, policy.latest_version + 1)]
        return Change(None, counters, [events.deleted(policy)])

    await t.store.update(name, mutate)
    return NO_CONTENT


async def configure_key(t: Transit, req: Request, p: Mapping[str, str]) -> Response:
    """`keys/:name/config`: only the fields present change; exportable and
    allow_plaintext_backup can be turned on, never off (Vault's `pathKeysConfigWrite`)."""
    data, name = req.data, p["name"]

    async def mutate(policy: KeyPolicy | None) -> Change | None:
        if policy is None:
            raise BadRequest("no existing key by that name could be found")
        new = _configured(policy, data)
        return None if new == policy else Change(new, events=events.config_changed(policy, new))

    ring = await t.store.update(name, mutate)
    if ring is None:
        raise NotFound
    return Response(render.key(ring))


def _changeable(policy: KeyPolicy, action: str) -> None:
    """Keys pending deletion or destroyed take no configuration (README lifecycle table)."""
    if policy.state not in {"enabled", "disabled"}:
        raise BadRequest(f"cannot {action} a key that is {policy.state.replace('_', ' ')}")


def _configured(policy: KeyPolicy, data: Mapping[str, object]) -> KeyPolicy:
    fields = {name for name, value in data.items() if value is not None}
    if fields - {"deletion_allowed"}:
        _changeable(policy, "configure")  # deletion_allowed alone: any state, to clean up
    changes = {**_version_changes(policy, data), **_flag_changes(policy, data)}
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


def _version_changes(policy: KeyPolicy, data: Mapping[str, object]) -> dict[str, int]:
    changes: dict[str, int] = {}
    for kind in ("decryption", "encryption"):
        field = f"min_{kind}_version"
        if data.get(field) is None:
            continue
        wanted = get_int(data, field)
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


def _flag_changes(policy: KeyPolicy, data: Mapping[str, object]) -> dict[str, object]:
    changes: dict[str, object] = {}
    for flag in ("deletion_allowed", "exportable", "allow_plaintext_backup"):
        if data.get(flag) is not None:
            value = get_bool(data, flag)
            # exportable and allow_plaintext_backup are one-way: once on, never off (Vault).
            changes[flag] = value if flag == "deletion_allowed" else value or getattr(policy, flag)
    if data.get("auto_rotate_period") is not None:
        changes["auto_rotate_period"] = rotate_period(data)
    return changes


async def rotate_key(t: Transit, _req: Request, p: Mapping[str, str]) -> Response:
    return Response(render.key(await t.rotate(p["name"])))


async def trim_key(t: Transit, req: Request, p: Mapping[str, str]) -> Response:
    """Delete every version below `min_available_version`, for good (Vault's `trim`)."""
    if req.data.get("min_available_version") is None:
        raise BadRequest("missing min_available_version")
    wanted = get_int(req.data, "min_available_version")

    async def mutate(policy: KeyPolicy | None) -> Change:
        if policy is None:
            raise BadRequest("invalid key name")
        _changeable(policy, "trim")
        _check_trim(policy, wanted)
        kept = {n: v for n, v in policy.versions.items() if n >= wanted}
        gone = [Delete(counter_path(policy.name, n)) for n in policy.versions if n < wanted]
        new = msgspec.structs.replace(policy, min_available_version=wanted, versions=kept)
        return Change(new, gone, [events.trimmed(policy, new)])

    ring = await t.store.update(p["name"], mutate)
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


async def read_keys_config(t: Transit, _req: Request, _p: Mapping[str, str]) -> Response:
    return Response({"disable_upsert": (await t.store.keys_config()).disable_upsert})


async def write_keys_config(t: Transit, req: Request, _p: Mapping[str, str]) -> Response:
    config = KeysConfig(disable_upsert=get_bool(req.data, "disable_upsert"))
    await t.store.put_keys_config(config)
    return Response({"disable_upsert": config.disable_upsert})


async def read_cache_config(t: Transit, _req: Request, _p: Mapping[str, str]) -> Response:
    return Response({"size": (await t.store.cache_config()).size})


async def write_cache_config(t: Transit, req: Request, _p: Mapping[str, str]) -> Response:
    size = get_int(req.data, "size")
    if size != 0 and size < 10:
        raise BadRequest("size must be 0 or a value greater or equal to 10")
    await t.store.put_cache_config(CacheConfig(size=size))
    return Response({"size": size})
