"""What every KV handler is given: the mount's store and clock, and Vault's rules on key names.

A `KvContext` is built once per backend instance (a mount entry), so handlers stay pure over
it and their typed fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.engines.kv.store import KvStore
from strongroom.errors import BadRequest, NotFound
from strongroom.logical import MountContext


@dataclass(frozen=True, slots=True)
class KvContext:
    store: KvStore
    version: str  # the mount's `options.version`: "2", else version 1

    @classmethod
    def of(cls, mount: MountContext) -> KvContext:
        return cls(KvStore(mount.view, mount.clock), (mount.entry.options or {}).get("version", ""))

    def now(self) -> float:
        return self.store.now()


def is_folder(key: str) -> bool:
    """A folder (empty, or ending in /) holds no secret of its own."""
    return not key or key.endswith("/")


def writable(key: str) -> str:
    """The secret's path for a write. Raises BadRequest for a folder."""
    if is_folder(key):
        raise BadRequest("cannot write to a path ending in '/'")
    return key


def readable(key: str) -> str:
    """The secret's path for a read. Raises NotFound for a folder."""
    if is_folder(key):
        raise NotFound
    return key
