"""Drive `AppRoleBackend` directly over a real, unsealed barrier with `Request`s built by hand.

`Harness.worker()` builds another backend over the same storage (a second worker process);
`YieldingStore` lets other tasks run before every storage call, so `asyncio.gather` really
interleaves concurrent log-ins between their read and their commit.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from strongroom.auth.approle import AppRoleBackend
from strongroom.clock import ManualClock
from strongroom.core.attempts import AttemptTable
from strongroom.core.core import Core
from strongroom.core.login import Login
from strongroom.core.mounts import MountContext, MountEntry, new_entry
from strongroom.core.request import Operation, Request, Response
from strongroom.core.view import Store, View
from strongroom.errors import StrongroomError
from strongroom.storage.interface import Entry, Op

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
CLIENT = "10.0.0.1"
PREFIX = "auth/test/"


class YieldingStore:
    """The barrier, with a scheduling point before each call (`commit_delay` more before each
    transaction, to let a slow writer commit after a fast one has read its own write back)."""

    def __init__(self, inner: Store, commit_delay: int = 0) -> None:
        self._inner = inner
        self._commit_delay = commit_delay

    async def get(self, path: str) -> bytes | None:
        await asyncio.sleep(0)
        return await self._inner.get(path)

    async def get_entry(self, path: str) -> Entry | None:
        await asyncio.sleep(0)
        return await self._inner.get_entry(path)

    async def version(self, path: str) -> int:
        await asyncio.sleep(0)
        return await self._inner.version(path)

    async def put(self, path: str, value: bytes) -> int:
        await asyncio.sleep(0)
        return await self._inner.put(path, value)

    async def delete(self, path: str) -> None:
        await asyncio.sleep(0)
        await self._inner.delete(path)

    async def list(
        self, prefix: str, after: str | None = None, limit: int | None = None
    ) -> list[str]:
        await asyncio.sleep(0)
        return await self._inner.list(prefix, after, limit)

    async def transact(self, ops: Sequence[Op]) -> None:
        for _ in range(1 + self._commit_delay):
            await asyncio.sleep(0)
        await self._inner.transact(ops)


class RecordingStore(YieldingStore):
    """A yielding store that also notes every `list` call and every path read, and in `calls`
    every read and written op in order: (method or op, path, whether a value was found)."""

    def __init__(self, inner: Store) -> None:
        super().__init__(inner)
        self.lists: list[tuple[str, str | None, int | None]] = []
        self.reads: list[str] = []
        self.calls: list[tuple[str, str, bool]] = []

    async def get(self, path: str) -> bytes | None:
        self.reads.append(path)
        value = await super().get(path)
        self.calls.append(("get", path, value is not None))
        return value

    async def get_entry(self, path: str) -> Entry | None:
        self.reads.append(path)
        entry = await super().get_entry(path)
        self.calls.append(("get_entry", path, entry is not None))
        return entry

    async def list(
        self, prefix: str, after: str | None = None, limit: int | None = None
    ) -> list[str]:
        self.lists.append((prefix, after, limit))
        return await super().list(prefix, after, limit)

    async def transact(self, ops: Sequence[Op]) -> None:
        self.calls += [(type(op).__name__, op.path, True) for op in ops]
        await super().transact(ops)


@dataclass
class Harness:
    core: Core
    clock: ManualClock
    view: View
    entry: MountEntry
    backend: AppRoleBackend
    attempts: AttemptTable | None = None

    @classmethod
    def over(
        cls,
        core: Core,
        clock: ManualClock,
        store: Store,
        attempts: AttemptTable | None = None,
        **entry: Any,
    ) -> Harness:
        """A mount over `store`; with `attempts`, the node table log-ins take places in."""
        mount = new_entry(path="test/", type_="approle", **entry)
        view = View(store, PREFIX)
        backend = AppRoleBackend(MountContext(view, clock, mount, attempts=attempts))
        return cls(core, clock, view, mount, backend, attempts)

    def worker(
        self, store: Store | None = None, attempts: AttemptTable | None = None
    ) -> AppRoleBackend:
        """Another backend instance over the same storage (seen through `store` if given), as a
        second worker would build; it shares this one's attempt table unless given its own."""
        view = self.view if store is None else View(store, PREFIX)
        context = MountContext(view, self.clock, self.entry, attempts=attempts or self.attempts)
        return AppRoleBackend(context)

    async def call(
        self,
        op: Operation,
        path: str,
        data: dict[str, Any] | None = None,
        *,
        addr: str = CLIENT,
        backend: AppRoleBackend | None = None,
    ) -> Response:
        request = Request(id="r", operation=op, path=path, data=data or {}, remote_addr=addr)
        return await (backend or self.backend).handle(request, path)

    async def refusal(
        self,
        op: Operation,
        path: str,
        data: dict[str, Any] | None = None,
        *,
        addr: str = CLIENT,
        backend: AppRoleBackend | None = None,
    ) -> StrongroomError:
        with pytest.raises(StrongroomError) as caught:
            await self.call(op, path, data, addr=addr, backend=backend)
        return caught.value

    async def write_role(self, name: str, **fields: Any) -> Response:
        return await self.call(Operation.UPDATE, f"role/{name}", fields)

    async def read_role(self, name: str) -> dict[str, Any]:
        data = (await self.call(Operation.READ, f"role/{name}")).data
        assert data is not None
        return dict(data)

    async def role_id(self, name: str) -> str:
        data = (await self.call(Operation.READ, f"role/{name}/role-id")).data
        assert data is not None
        role_id: str = data["role_id"]
        return role_id

    async def new_secret(self, name: str, **fields: Any) -> dict[str, Any]:
        data = (await self.call(Operation.UPDATE, f"role/{name}/secret-id", fields)).data
        assert data is not None
        return dict(data)

    async def login(self, role_id: str, secret_id: str | None = None, **kw: Any) -> Login:
        body = {"role_id": role_id, "secret_id": secret_id}
        response = await self.call(Operation.UPDATE, "login", body, **kw)
        assert response.login is not None
        assert response.data is None  # nothing but the Login: the core renders `auth`
        return response.login

    async def login_refused(self, role_id: str, secret_id: str | None = None, **kw: Any) -> str:
        """The refusal's status and public text, asserted to be the one bad-credentials answer."""
        body = {"role_id": role_id, "secret_id": secret_id}
        error = await self.refusal(Operation.UPDATE, "login", body, **kw)
        assert (error.status, error.public, error.data) == (400, INVALID, None)
        return error.detail

    async def lookup(self, name: str, secret_id: str) -> Response:
        body = {"secret_id": secret_id}
        return await self.call(Operation.UPDATE, f"role/{name}/secret-id/lookup", body)

    async def accessors(self, name: str) -> list[str]:
        data = (await self.call(Operation.LIST, f"role/{name}/secret-id/")).data
        assert data is not None
        keys: list[str] = data["keys"]
        return keys

    async def stored_keys(self, folder: str) -> list[str]:
        return await self.view.list(folder)

    async def store_role_exists(self, name: str) -> bool:
        return await self.view.get("role/" + name) is not None


INVALID = "invalid role or secret ID"
