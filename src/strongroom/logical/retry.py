"""Re-running a storage transaction that lost a race (a `Check` that no longer held)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from strongroom.errors import InternalError, StorageConflict

T = TypeVar("T")
# Each lost race means another writer committed, so contenders settle in fewer rounds than
# there are of them; the cap only stops a pathological livelock from spinning forever.
_RETRIES = 1000


async def retrying(attempt: Callable[[], Awaitable[T]]) -> T:
    """Run `attempt` until it commits without a StorageConflict. Raises InternalError if it
    kept losing for the whole cap."""
    for _ in range(_RETRIES):
        try:
            return await attempt()
        except StorageConflict:
            continue
    raise InternalError(detail="storage contention did not settle")
