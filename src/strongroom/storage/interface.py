"""Layer 1, the physical storage contract (DESIGN.md "Storage contract").

An ordered map of `path -> bytes`. Backends know nothing of encryption, mounts or namespaces:
everything above them is backend-agnostic, and one conformance suite
(`tests/unit/storage/test_conformance.py`) runs against every implementation.

Paths are non-empty UTF-8 strings without a leading `/`; ordering is bytewise on their UTF-8
encoding. `version` is an opaque positive integer that changes on every write of a path (never
reused for that path, so an expected-version check cannot be fooled by delete-and-recreate).

Details every backend shares (one helper each in `_paths.py` and `_listing.py`):
- An empty path, a leading `/`, NUL, or a lone surrogate (no UTF-8 form) raises ValueError; a
  value that is not `bytes` raises TypeError. A transaction is validated whole before any op
  runs. `list` refuses a prefix with a leading `/` and a negative `limit` the same way.
- `list`: a key equal to `prefix` itself has no segment below it and is not listed;
  `limit=0` returns `[]`; `after` compares against whole segments, folder `/` included.
- `transact`: every Check is evaluated against the state before the transaction (a Put earlier
  in the same list does not satisfy it), then Puts and Deletes apply in list order; each Put
  gets a fresh version. Versions are allocated from one store-wide increasing sequence.
- Lifecycle: obtain a backend with `open_backend(kind, options)` (see `factory.py`) and release
  it with `await close()`. A write whose caller is cancelled may still be applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Sequence


@dataclass(frozen=True, slots=True)
class Entry:
    value: bytes
    version: int


@dataclass(frozen=True, slots=True)
class Put:
    path: str
    value: bytes


@dataclass(frozen=True, slots=True)
class Delete:
    path: str


@dataclass(frozen=True, slots=True)
class Check:
    """Transaction guard: `path` must be at `version` (0 means: must not exist)."""

    path: str
    version: int


Op = Put | Delete | Check


class Backend(Protocol):
    async def get(self, path: str) -> Entry | None:
        """The entry at `path`, or None."""
        ...

    async def put(self, path: str, value: bytes) -> int:
        """Store `value` at `path` durably; returns the new version."""
        ...

    async def delete(self, path: str) -> None:
        """Remove `path`; deleting a missing path is not an error."""
        ...

    async def list(
        self, prefix: str, after: str | None = None, limit: int | None = None
    ) -> list[str]:
        """The distinct next segments below `prefix`, sorted; folders end in `/`.

        `prefix` is used verbatim (normally it ends in `/` or is empty). With `after`, only
        segments sorting strictly after it are returned; `limit` caps how many.
        """
        ...

    async def transact(self, ops: Sequence[Op]) -> None:
        """Apply every Put and Delete atomically, or none of them.

        Raises StorageConflict if any Check does not hold.
        """
        ...

    async def close(self) -> None: ...
