"""Pure rules over one key's metadata: new versions, trimming, CAS, delete/undelete/destroy.

No I/O here: each function takes the current `KeyMeta` and returns the next one (plus the
storage ops that go with it), so `KvStore.update` can commit the lot in one transaction.
Semantics follow Vault's kv-v2 (`path_data.go`, `path_delete.go`, `path_destroy.go`).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

import msgspec

from strongroom.config.durations import deadline
from strongroom.engines.kv.models import Config, KeyMeta, VersionMeta, encode
from strongroom.engines.kv.store import Change, version_path
from strongroom.errors import BadRequest, CheckAndSetMismatch
from strongroom.storage.interface import Delete, Op, Put


def new_meta(now: float) -> KeyMeta:
    return KeyMeta(id=secrets.token_hex(8), created=now, updated=now)


def check_cas(meta: KeyMeta, config: Config, cas: int | None) -> None:
    """Raises BadRequest when cas is required but absent, CheckAndSetMismatch when it differs
    from the current version (0 = the key must have no version yet)."""
    if cas is None:
        if meta.cas_required or config.cas_required:
            raise BadRequest("check-and-set parameter required for this call")
        return
    if cas != meta.current:
        raise CheckAndSetMismatch


def add_version(meta: KeyMeta, config: Config, data: dict[str, Any], now: float) -> Change:
    """The next version holding `data`; versions beyond max_versions go in the same commit."""
    number = meta.current + 1
    expiry = meta.expiry(config)
    versions = dict(meta.versions)
    versions[number] = VersionMeta(created=now, deletion=deadline(now, expiry) if expiry else 0.0)
    cutoff = number - meta.keep(config)  # every version <= cutoff is removed
    trimmed = [n for n in versions if n <= cutoff]
    for n in trimmed:
        del versions[n]
    updated = msgspec.structs.replace(
        meta,
        current=number,
        updated=now,
        versions=versions,
        oldest=cutoff + 1 if trimmed else meta.oldest,
    )
    ops: list[Op] = [Put(version_path(updated, number), encode(data))]
    ops += [Delete(version_path(meta, n)) for n in trimmed]
    return Change(updated, ops)


def _replace(meta: KeyMeta, changes: dict[int, VersionMeta]) -> KeyMeta | None:
    if not changes:
        return None
    return msgspec.structs.replace(meta, versions={**meta.versions, **changes})


def soft_delete(meta: KeyMeta, numbers: Iterable[int], now: float) -> Change | None:
    """Mark versions deleted now; missing, destroyed and already deleted ones are skipped."""
    changes = {
        n: msgspec.structs.replace(v, deletion=now)
        for n in set(numbers)
        if (v := meta.versions.get(n)) is not None and v.readable(now)
    }
    updated = _replace(meta, changes)
    return None if updated is None else Change(updated)


def undelete(meta: KeyMeta, config: Config, numbers: Iterable[int], now: float) -> Change | None:
    """Clear deletion; with delete_version_after set, Vault schedules it afresh from now."""
    expiry = meta.expiry(config)
    deletion = deadline(now, expiry) if expiry else 0.0
    changes = {
        n: msgspec.structs.replace(v, deletion=deletion)
        for n in set(numbers)
        if (v := meta.versions.get(n)) is not None and not v.destroyed and v.deletion != deletion
    }
    updated = _replace(meta, changes)
    return None if updated is None else Change(updated)


def destroy(meta: KeyMeta, numbers: Iterable[int]) -> Change | None:
    """Mark versions destroyed and erase their ciphertext in the same commit."""
    chosen = sorted(n for n in set(numbers) if (v := meta.versions.get(n)) and not v.destroyed)
    changes = {n: msgspec.structs.replace(meta.versions[n], destroyed=True) for n in chosen}
    updated = _replace(meta, changes)
    if updated is None:
        return None
    return Change(updated, [Delete(version_path(meta, n)) for n in chosen])


def remove_all(meta: KeyMeta) -> Change:
    """Delete the metadata and every version blob (metadata DELETE)."""
    return Change(None, [Delete(version_path(meta, n)) for n in sorted(meta.versions)])
