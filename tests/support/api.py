"""The engine tests' shared harness: an in-process server over storage of the test's choosing
(`running`), calls below one of its mounts (`Api`, which each engine's tests extend with their
own calls), and storage that yields to the event loop (`YieldingBackend`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from strongroom.clock import ManualClock
from strongroom.core.mounts import BackendType
from strongroom.errors import StorageConflict
from strongroom.http.app import App
from strongroom.storage.inmem import InmemBackend
from strongroom.storage.interface import Backend, Entry, Op
from support.inproc import Server, make_core


class YieldingBackend:
    """Storage (in-memory unless given) that lets other tasks run before every call, and counts
    the transactions that failed their checks.

    In-memory calls never suspend, so without this two "concurrent" requests would simply run
    one after the other, and `asyncio.gather` could not interleave them between their read and
    their write (a missing storage Check would go unnoticed).
    """

    def __init__(self, inner: Backend | None = None) -> None:
        self.inner = inner or InmemBackend()
        self.conflicts = 0

    async def get(self, path: str) -> Entry | None:
        await asyncio.sleep(0)
        return await self.inner.get(path)

    async def put(self, path: str, value: bytes) -> int:
        await asyncio.sleep(0)
        return await self.inner.put(path, value)

    async def delete(self, path: str) -> None:
        await asyncio.sleep(0)
        await self.inner.delete(path)

    async def list(
        self, prefix: str, after: str | None = None, limit: int | None = None
    ) -> list[str]:
        await asyncio.sleep(0)
        return await self.inner.list(prefix, after, limit)

    async def transact(self, ops: Sequence[Op]) -> None:
        await asyncio.sleep(0)
        try:
            await self.inner.transact(ops)
        except StorageConflict:
            self.conflicts += 1
            raise

    async def close(self) -> None:
        await self.inner.close()


@asynccontextmanager
async def running(
    physical: Backend | None = None,
    clock: ManualClock | None = None,
    backends: Mapping[str, BackendType] | None = None,
) -> AsyncIterator[Server]:
    """An initialised (one share), unsealed in-process server over `physical`, offering the
    mount types of `backends` (the registry's catalogue when None)."""
    clock = clock or ManualClock()
    core = make_core(clock, physical=physical, backends=backends)
    transport = httpx.ASGITransport(app=App(core))
    async with httpx.AsyncClient(transport=transport, base_url="http://sr") as client:
        server = Server(core, client, clock, [], "")
        resp = await server.call("PUT", "sys/init", {"secret_shares": 1, "secret_threshold": 1})
        body = resp.json()
        server.keys, server.root_token = body["keys"], body["root_token"]
        await server.call("PUT", "sys/unseal", {"key": server.keys[0]}, token=None)
        yield server


@dataclass
class Api:
    """Calls below the mount at `mount`, with the root token unless told otherwise."""

    server: Server
    mount: str

    async def enable(self, engine: str, options: dict[str, str] | None = None) -> None:
        """Mount an `engine` at this mount's path."""
        body: dict[str, Any] = {"type": engine}
        if options:
            body["options"] = options
        resp = await self.server.call("POST", f"sys/mounts/{self.mount}", body)
        assert resp.status_code == 204, resp.text

    async def call(
        self, method: str, path: str, json: Any = None, token: str = "root"
    ) -> httpx.Response:
        return await self.server.call(method, f"{self.mount}/{path}", json, token=token)

    async def expect(
        self, method: str, path: str, body: Any = None, status: int = 200, token: str = "root"
    ) -> dict[str, Any]:
        """The JSON body (`{}` when empty) of a call that answers `status`."""
        resp = await self.call(method, path, body, token)
        assert resp.status_code == status, (resp.status_code, resp.text)
        return resp.json() if resp.content else {}

    async def ok(self, method: str, path: str, json: Any = None) -> dict[str, Any]:
        """The JSON body of a call that succeeds (200, or `{}` for a 204)."""
        resp = await self.call(method, path, json)
        assert resp.status_code in (200, 204), resp.text
        return {} if resp.status_code == 204 else dict(resp.json())

    async def post(self, path: str, body: Any = None, status: int = 200) -> dict[str, Any]:
        return await self.expect("POST", path, body or {}, status)

    async def get(self, path: str, status: int = 200) -> dict[str, Any]:
        return await self.expect("GET", path, None, status)

    async def data(self, path: str, body: Any = None) -> dict[str, Any]:
        """POST and return the response's `data`."""
        found: dict[str, Any] = (await self.post(path, body))["data"]
        return found

    async def error(self, method: str, path: str, body: Any = None, status: int = 400) -> str:
        """The one error message of a failing call."""
        errors: list[str] = (await self.expect(method, path, body, status))["errors"]
        assert len(errors) == 1, errors
        return errors[0]
