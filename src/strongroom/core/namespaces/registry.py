"""The namespace table (`core/namespaces`): id, path and custom metadata of every namespace.

One record, changed by a checked read-modify-write that moves the configuration epoch, so every
worker sees a new or deleted namespace on its next request. Ids are 5 base62 characters, as
OpenBao's; a namespace's path never changes, its id names its storage prefix.
"""

from __future__ import annotations

import re

import msgspec

from strongroom.core.epoch import update_config
from strongroom.core.view import Store
from strongroom.errors import BadRequest
from strongroom.secret import random_base62

RECORD = "core/namespaces"
ROOT_ID = "root"
_SEGMENT = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Names that would shadow API paths inside the parent namespace (OpenBao reserves these).
_RESERVED = frozenset({"root", "sys", "audit", "auth", "cubbyhole", "identity"})
MAX_DEPTH = 8


class NamespaceEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    path: str  # "" for the root, else "a/" or "a/b/"
    custom_metadata: dict[str, str] = msgspec.field(default_factory=dict)
    deleting: bool = False  # its key is destroyed; the background round purges its storage
    purged: int = 0  # storage entries purged so far (progress shown while deleting)

    @property
    def parent_path(self) -> str:
        head = self.path.rstrip("/").rpartition("/")[0]
        return head + "/" if head else ""

    def describe(self) -> dict[str, object]:
        """OpenBao's shape: `id`, `path`, `custom_metadata`; while a deletion runs, also
        `tainted` (OpenBao's word for it) and how many storage entries are gone so far."""
        shown: dict[str, object] = {
            "id": self.id,
            "path": self.path,
            "custom_metadata": dict(self.custom_metadata),
        }
        if self.deleting:
            shown |= {"tainted": True, "purged_entries": self.purged}
        return shown

    def contains(self, other: NamespaceEntry) -> bool:
        """Whether `other` is this namespace or below it."""
        return other.path.startswith(self.path)


ROOT = NamespaceEntry(id=ROOT_ID, path="")


def storage_prefix(namespace: NamespaceEntry) -> str:
    """Where a namespace's mount tables, policies and engine data live in storage."""
    return "" if namespace.id == ROOT_ID else f"namespaces/{namespace.id}/"


_TABLE = msgspec.json.Decoder(dict[str, NamespaceEntry])


def normalise(path: str) -> str:
    """`a/b` or `/a/b/` as `a/b/`; raises BadRequest for a path no namespace could have."""
    segments = path.strip("/").split("/")
    if segments == [""]:
        raise BadRequest("namespace path must not be empty")
    for segment in segments:
        if not _SEGMENT.fullmatch(segment) or segment.lower() in _RESERVED:
            raise BadRequest(f'"{segment}" is not a valid namespace name')
    if len(segments) > MAX_DEPTH:
        raise BadRequest(f"namespaces nest at most {MAX_DEPTH} deep")
    return "/".join(segments) + "/"


class NamespaceRegistry:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._by_path: dict[str, NamespaceEntry] = {}
        self._by_id: dict[str, NamespaceEntry] = {}
        self._version = -1
        self.clear()

    async def sync(self) -> None:
        """Reload the table if it changed since this worker last read it."""
        entry = await self._store.get_entry(RECORD)
        version = 0 if entry is None else entry.version
        if version == self._version:
            return
        table = {} if entry is None else _TABLE.decode(entry.value)
        self._by_id = {ROOT_ID: ROOT, **table}
        self._by_path = {ns.path: ns for ns in self._by_id.values()}
        self._version = version

    def clear(self) -> None:
        """Forget the table (sealing): only the root is known until the next `sync`."""
        self._by_path, self._by_id, self._version = {"": ROOT}, {ROOT_ID: ROOT}, -1

    def by_path(self, path: str) -> NamespaceEntry | None:
        return self._by_path.get(path)

    def live(self, path: str) -> NamespaceEntry | None:
        """The namespace at `path` unless it is being deleted (then it takes no requests)."""
        found = self._by_path.get(path)
        return None if found is None or found.deleting else found

    def by_id(self, namespace_id: str) -> NamespaceEntry | None:
        return self._by_id.get(namespace_id)

    def within(self, namespace_id: str, scope: NamespaceEntry) -> bool:
        """Whether the namespace `namespace_id` names ("" is the root, as tokens record it) is
        `scope` or below it: the one test of every operation by id, accessor or listing."""
        found = self._by_id.get(namespace_id or ROOT_ID)
        return found is not None and scope.contains(found)

    def children(self, parent: NamespaceEntry) -> list[NamespaceEntry]:
        """The namespaces directly below `parent`, by path."""
        return sorted(
            (ns for ns in self._by_path.values() if ns.path and ns.parent_path == parent.path),
            key=lambda ns: ns.path,
        )

    @property
    def nested(self) -> bool:
        """Whether any namespace besides the root exists (if not, nothing to resolve)."""
        return len(self._by_path) > 1

    def all(self) -> list[NamespaceEntry]:
        """Every namespace, the root first, parents before children."""
        return sorted(self._by_path.values(), key=lambda ns: ns.path)

    def longest_prefix(self, path: str) -> NamespaceEntry:
        """The deepest namespace whose path is a prefix of `path` (the root at least). A
        namespace's parent always exists, so the walk stops at the first unknown segment."""
        best = ROOT
        end = path.find("/")
        while end > 0:
            found = self.live(path[: end + 1])
            if found is None:
                break
            best = found
            end = path.find("/", end + 1)
        return best

    async def create(self, path: str, metadata: dict[str, str]) -> NamespaceEntry:
        path = normalise(path)  # every caller (sys/namespaces, sys/tenants) meets the rules
        created = NamespaceEntry(id=_new_id(), path=path, custom_metadata=metadata)

        def add(blob: bytes | None) -> bytes:
            table = {} if blob is None else _TABLE.decode(blob)
            paths = {ns.path for ns in table.values()} | {""}
            if path in paths:
                raise BadRequest(f'namespace "{path}" already exists')
            if created.parent_path not in paths:
                raise BadRequest(f'parent namespace "{created.parent_path}" does not exist')
            return msgspec.json.encode({**table, created.id: created})

        await update_config(self._store, RECORD, add)
        await self.sync()
        return created

    async def replace(self, entry: NamespaceEntry) -> None:
        def put(blob: bytes | None) -> bytes:
            table = {} if blob is None else _TABLE.decode(blob)
            if entry.id not in table:
                raise BadRequest(f'namespace "{entry.path}" does not exist')
            return msgspec.json.encode({**table, entry.id: entry})

        await update_config(self._store, RECORD, put)
        await self.sync()

    async def remove(self, entry: NamespaceEntry) -> None:
        def drop(blob: bytes | None) -> bytes:
            table = {} if blob is None else _TABLE.decode(blob)
            table.pop(entry.id, None)
            return msgspec.json.encode(table)

        await update_config(self._store, RECORD, drop)
        await self.sync()


def _new_id() -> str:
    return random_base62(5)
