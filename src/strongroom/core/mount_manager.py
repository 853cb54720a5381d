"""Keeps the mount tables of a namespace, their backend instances, and routes paths to them.

Both tables live in one barrier record (`core/mounts`). Changes are read-modify-write
transactions guarded by that record's storage version, so two workers mounting at once cannot
lose each other's entry, and they move the configuration epoch (`epoch.py`) in the same
transaction so that every worker reloads on its next request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import msgspec

from strongroom.clock import Clock
from strongroom.core.attempts import AttemptTable
from strongroom.core.epoch import epoch_bump
from strongroom.core.mounts import (
    BackendType,
    EventSink,
    LogicalBackend,
    MountContext,
    Mounted,
    MountEntry,
    PasswordSource,
    TableKind,
)
from strongroom.core.view import Store, View, Write
from strongroom.errors import BadRequest

RECORD = "core/mounts"


class _Tables(msgspec.Struct, frozen=True):
    mounts: tuple[MountEntry, ...] = ()
    auth: tuple[MountEntry, ...] = ()

    def get(self, kind: TableKind) -> tuple[MountEntry, ...]:
        return self.mounts if kind == "mounts" else self.auth


_DECODER = msgspec.json.Decoder(_Tables)
Mutation = Callable[[tuple[MountEntry, ...]], tuple[MountEntry, ...]]


class MountManager:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        backends: Mapping[str, BackendType],
        *,
        emit: EventSink,
        system_ttls: tuple[int, int],
        passwords: PasswordSource,
        prefix: str = "",
        attempts: AttemptTable | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._backends = backends
        self._emit = emit
        self._system_ttls = system_ttls
        self._passwords = passwords
        self._attempts = attempts
        self._record = prefix + RECORD
        self._prefix = prefix
        self._version = -1
        self._routes: dict[str, Mounted] = {}
        self._tables = _Tables()

    def clear(self) -> None:
        self._version = -1
        self._routes = {}
        self._tables = _Tables()

    def backend_type(self, type_: str, kind: TableKind) -> BackendType:
        found = self._backends.get(type_)
        if found is None or found.kind != kind:
            noun = "secrets engine" if kind == "mounts" else "auth method"
            raise BadRequest(f"plugin not found in the catalog ({noun})")
        return found

    async def sync(self) -> None:
        """Reload the tables if any worker or node changed them since we last looked."""
        entry = await self._store.get_entry(self._record)
        version = 0 if entry is None else entry.version
        if version != self._version:
            tables = _Tables() if entry is None else _DECODER.decode(entry.value)
            await _close(self._install(tables, version))

    async def close(self) -> None:
        """Forget every backend instance and release what each holds (sealing)."""
        backends = [mounted.backend for mounted in self._routes.values()]
        self.clear()
        await _close(backends)

    def _install(self, tables: _Tables, version: int) -> list[LogicalBackend]:
        """Install `tables`; returns the backend instances no route uses any more."""
        old_routes = self._routes
        routes: dict[str, Mounted] = {}
        for kind in ("mounts", "auth"):
            for entry in tables.get(kind):
                old = self._routes.get(full_path(entry, kind))
                if old is not None and old.entry == entry:
                    routes[old.full_path] = old  # keep warm backend instances
                    continue
                view = View(self._store, self._prefix + entry.storage_prefix(kind))
                backend = self._backends[entry.type].factory(
                    MountContext(
                        view=view,
                        clock=self._clock,
                        entry=entry,
                        emit=self._emit,
                        system_ttls=self._system_ttls,
                        passwords=self._passwords,
                        attempts=self._attempts,
                    )
                )
                routes[full_path(entry, kind)] = Mounted(entry, kind, backend)
        self._routes, self._tables, self._version = routes, tables, version
        kept = {id(mounted.backend) for mounted in routes.values()}
        return [m.backend for m in old_routes.values() if id(m.backend) not in kept]

    def mounted(self) -> list[Mounted]:
        return list(self._routes.values())

    def entries(self, kind: TableKind) -> tuple[MountEntry, ...]:
        return self._tables.get(kind)

    def find(self, kind: TableKind, path: str) -> MountEntry | None:
        path = normalise(path)
        return next((e for e in self._tables.get(kind) if e.path == path), None)

    def route(self, path: str) -> tuple[Mounted, str] | None:
        """The longest mount prefix of `path` and the remainder below it."""
        candidate = path if path.endswith("/") else path + "/"
        while candidate:
            mounted = self._routes.get(candidate)
            if mounted is not None:
                return mounted, path[len(candidate) :]
            candidate = candidate[: candidate.rstrip("/").rfind("/") + 1]
        return None

    async def ensure_builtin(self, entry: MountEntry) -> None:
        """Add the builtin secrets mount `entry` unless one of its type is there. Workers may
        race here: the table change is a checked read-modify-write, and re-checks."""
        if any(e.type == entry.type for e in self.entries("mounts")):
            return

        def add(table: tuple[MountEntry, ...]) -> tuple[MountEntry, ...]:
            return table if any(e.type == entry.type for e in table) else (*table, entry)

        await self.change("mounts", add)

    async def change(self, kind: TableKind, mutate: Mutation) -> None:
        """Apply `mutate` to one table atomically (`View.update`: retried if another worker
        got there first), moving the epoch with it; then reload."""

        def decide(stored: _Tables | None) -> Write[_Tables]:
            tables = stored or _Tables()
            changed = msgspec.structs.replace(tables, **{kind: mutate(tables.get(kind))})
            return Write(changed, outside=[epoch_bump()])

        await View(self._store, "").update(self._record, _DECODER.decode, decide)
        await self.sync()


async def _close(backends: list[LogicalBackend]) -> None:
    """Let backends that hold resources (a database engine's connection pools) release them."""
    for backend in backends:
        close = getattr(backend, "close", None)
        if close is not None:
            await close()


def normalise(path: str) -> str:
    path = path.strip("/")
    return path + "/" if path else ""


def full_path(entry: MountEntry, kind: TableKind) -> str:
    return entry.path if kind == "mounts" else "auth/" + entry.path
