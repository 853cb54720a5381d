"""The configuration epoch: one record whose storage version moves whenever any cached
configuration (mount tables, policies) changes, written in the same transaction as the change.

Each request reads only this record's version to learn whether its worker's caches are stale:
one small read instead of one per cache, and nothing to miss across workers and nodes.
"""

from __future__ import annotations

import secrets

from strongroom.storage.interface import Put

EPOCH_RECORD = "core/epoch"


def epoch_bump() -> Put:
    """The op that moves the epoch. Its value is irrelevant: the storage version is the signal."""
    return Put(EPOCH_RECORD, secrets.token_bytes(8))
