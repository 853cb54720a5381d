"""The configuration epoch: one record whose storage version moves whenever any cached
configuration (mount tables, policies) changes, written in the same transaction as the change.

Each request reads only this record's version to learn whether its worker's caches are stale:
one small read instead of one per cache, and nothing to miss across workers and nodes.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from strongroom.core.view import Store, View, Write
from strongroom.storage.interface import Put

EPOCH_RECORD = "core/epoch"


def epoch_bump() -> Put:
    """The op that moves the epoch. Its value is irrelevant: the storage version is the signal."""
    return Put(EPOCH_RECORD, secrets.token_bytes(8))


async def update_config(
    store: Store, path: str, mutate: Callable[[bytes | None], bytes], *, epoch: bool = True
) -> bytes:
    """Read-modify-write one configuration record and move the epoch, atomically.

    Guarded by the record's storage version and retried when another worker or node got there
    first (`View.update`), so concurrent changes are never lost. Returns the value written. A
    record no worker caches (`epoch=False`) leaves the epoch alone, so it does not flush every
    cache.
    """
    outside = [epoch_bump()] if epoch else []

    def decide(current: bytes | None) -> Write[bytes]:
        return Write(mutate(current), outside=outside)

    updated = await View(store, "").update(path, bytes, decide)
    return updated.after or b""  # never None: `decide` never deletes
