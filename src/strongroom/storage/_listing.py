"""The one `list` algorithm of layer 1, shared by every backend over a "seek" primitive.

A backend supplies `fetch(start, inclusive, n)`: up to `n` keys >= `start` (> when not
`inclusive`) in bytewise order. Python compares str by code point, which is the same order as
bytewise UTF-8, SQLite's BINARY collation and PostgreSQL's "C" collation, so one algorithm
serves them all.

Listing never walks a folder's children: on meeting `a/` it seeks straight to `a0` ('0' is
'/'+1, so every key starting `a/` sorts before it). A prefix holding one folder of 100,000 keys
therefore costs a couple of seeks, not 100,000 rows.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from strongroom.storage._paths import check_list_args

Fetch = Callable[[str, bool, int], Awaitable[list[str]]]

# Runs of plain keys are read in growing batches; after a folder seek we start small again, since
# the rows after a folder's first child are that folder's other children and would be wasted.
_FIRST_BATCH = 16
_MAX_BATCH = 1024
_PAST_SLASH = chr(ord("/") + 1)


def _step(prefix: str, key: str) -> tuple[str, str, bool, bool]:
    """(segment of `key`, where to seek next, inclusively?, is it a folder?)."""
    rest = key[len(prefix) :]
    slash = rest.find("/")
    if slash < 0:
        return rest, key, False, False
    return rest[: slash + 1], prefix + rest[:slash] + _PAST_SLASH, True, True


async def list_segments(
    fetch: Fetch, prefix: str, after: str | None, limit: int | None
) -> list[str]:
    """The distinct next segments below `prefix` (see `Backend.list`)."""
    check_list_args(prefix, after, limit)
    out: list[str] = []
    start, inclusive = (prefix, True) if after is None else (prefix + after, False)
    batch = _FIRST_BATCH
    while limit is None or len(out) < limit:
        rows = await fetch(start, inclusive, batch)
        folder = False
        for key in rows:
            if not key.startswith(prefix):
                return out  # keys sharing a prefix are contiguous: we are past them
            segment, start, inclusive, folder = _step(prefix, key)
            # A key equal to the prefix itself is not *below* it: it has no next segment.
            if segment and (after is None or segment > after):
                out.append(segment)
                if len(out) == limit:
                    return out
            if folder:
                break
        if folder:
            batch = _FIRST_BATCH
        elif len(rows) < batch:
            return out  # the store has nothing further
        else:
            batch = min(batch * 2, _MAX_BATCH)
    return out
