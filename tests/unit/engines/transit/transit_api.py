"""Test helpers for the transit engine: an in-process server with transit mounted, and a thin
client over its HTTP API (imported by the tests as `unit.engines.transit.transit_api`)."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from strongroom.clock import ManualClock
from strongroom.core.core import Core
from strongroom.core.keeper import LocalKeeper
from strongroom.core.mounts import BackendType, EventSink, MountContext
from strongroom.core.request import Operation, Request
from strongroom.engines.registry import catalogue
from strongroom.engines.transit import TransitBackend
from strongroom.http.app import App
from strongroom.storage.inmem import InmemBackend
from strongroom.storage.interface import Backend, Entry, Op
from support.inproc import Server


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text)


def backends() -> dict[str, BackendType]:
    """The build's catalogue plus transit (the lead registers it in engines/registry.py)."""
    return {**catalogue(), "transit": BackendType("mounts", TransitBackend)}


@asynccontextmanager
async def running(
    physical: Backend | None = None, clock: ManualClock | None = None
) -> AsyncIterator[Server]:
    """An initialised, unsealed in-process server whose catalogue includes transit."""
    clock = clock or ManualClock()
    core = Core(
        physical=physical or InmemBackend(), keeper=LocalKeeper(), clock=clock, backends=backends()
    )
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
    """Calls below one transit mount; each asserts the expected status."""

    server: Server
    mount: str = "transit"

    async def mount_engine(self, options: dict[str, str] | None = None) -> None:
        body: dict[str, Any] = {"type": "transit"}
        if options:
            body["options"] = options
        resp = await self.server.call("POST", f"sys/mounts/{self.mount}", body)
        assert resp.status_code == 204, resp.text

    async def call(
        self, method: str, path: str, body: Any = None, status: int = 200, token: str = "root"
    ) -> dict[str, Any]:
        resp = await self.server.call(method, f"{self.mount}/{path}", body, token=token)
        assert resp.status_code == status, (resp.status_code, resp.text)
        return resp.json() if resp.content else {}

    async def post(self, path: str, body: Any = None, status: int = 200) -> dict[str, Any]:
        return await self.call("POST", path, body or {}, status)

    async def get(self, path: str, status: int = 200) -> dict[str, Any]:
        return await self.call("GET", path, None, status)

    async def data(self, path: str, body: Any = None) -> dict[str, Any]:
        """POST and return the response's `data`."""
        found: dict[str, Any] = (await self.post(path, body))["data"]
        return found

    async def error(self, method: str, path: str, body: Any = None, status: int = 400) -> str:
        """The one error message of a failing call."""
        errors: list[str] = (await self.call(method, path, body, status))["errors"]
        assert len(errors) == 1, errors
        return errors[0]

    async def create(self, name: str, **fields: Any) -> dict[str, Any]:
        return await self.data(f"keys/{name}", fields)

    async def encrypt(self, name: str, plaintext: bytes, **fields: Any) -> str:
        body = {"plaintext": b64(plaintext), **fields}
        ciphertext: str = (await self.data(f"encrypt/{name}", body))["ciphertext"]
        return ciphertext

    async def decrypt(self, name: str, ciphertext: str, **fields: Any) -> bytes:
        body = {"ciphertext": ciphertext, **fields}
        return unb64((await self.data(f"decrypt/{name}", body))["plaintext"])


def with_api(body: Callable[[Api], Awaitable[None]], options: dict[str, str] | None = None) -> None:
    """Run `body` against a fresh server with transit mounted, from synchronous code (the
    hypothesis tests: each example gets its own server, ~20 ms)."""

    async def main() -> None:
        async with running() as server:
            api = Api(server)
            await api.mount_engine(options)
            await body(api)

    asyncio.run(main())


class YieldingBackend(InmemBackend):
    """In-memory storage that lets other tasks run before each read and each commit, so that
    `asyncio.gather` really interleaves two workers between their read and their write."""

    async def get(self, path: str) -> Entry | None:
        await asyncio.sleep(0)
        return await super().get(path)

    async def transact(self, ops: Sequence[Op]) -> None:
        await asyncio.sleep(0)
        await super().transact(ops)


def mounted(server: Server, path: str = "transit/") -> TransitBackend:
    found = server.core.mounts.route(path)
    assert found is not None
    backend = found[0].backend
    assert isinstance(backend, TransitBackend)
    return backend


async def direct(
    backend: TransitBackend,
    path: str,
    data: Mapping[str, Any] | None = None,
    op: Operation = Operation.UPDATE,
) -> dict[str, Any]:
    """`transit/<path>` straight to `backend`, as the core hands it over after its existence
    check (for a write) and ACL; no token, no audit. Raises the handler's errors."""
    if op is Operation.UPDATE:
        await backend.exists(path)
    response = await backend.handle(Request("test", op, f"transit/{path}", data or {}), path)
    return dict(response.data or {})


async def _unrecorded(_kind: str, _data: Mapping[str, Any]) -> None:
    """The events of a test worker that nobody records."""


def another_worker(
    server: Server, path: str = "transit/", emit: EventSink = _unrecorded
) -> TransitBackend:
    """A second backend instance over the same storage: another worker, with its own caches,
    sending its events to `emit`."""
    found = server.core.mounts.route(path)
    assert found is not None
    view = mounted(server, path).transit.store.view
    ctx = MountContext(view=view, clock=server.clock, entry=found[0].entry, emit=emit)
    return TransitBackend(ctx)
