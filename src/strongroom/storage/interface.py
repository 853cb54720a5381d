"""Layer 1, the physical storage contract (DESIGN.md "Storage contract").

An ordered map of `path -> bytes`. Backends know nothing of encryption, mounts or namespaces:
everything above them is backend-agnostic, and one conformance suite
(`tests/unit/storage/test_conformance.py`) runs against every implementation.

Paths are non-empty UTF-8 strings without a leading `/`; ordering is bytewise on their UTF-8
encoding. `version` is an opaque positive integer that changes on every write of a path (never
reused for that path, so an expected-version check cannot be fooled by delete-and-recreate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


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

    async def list(self, prefix: str, after: str | None = None, limit: int | None = None) -> list[str]:
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
