"""Test helpers for the transit engine: the shared client (`support.api`) with transit's calls,
and transit backends reached directly, as the core or another worker holds them (imported by
the tests as `unit.engines.transit.transit_api`)."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from strongroom.core.mounts import EventSink, MountContext
from strongroom.core.request import Operation, Request
from strongroom.engines.transit import TransitBackend
from support.api import Api as MountApi
from support.api import running
from support.inproc import Server


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text)


@dataclass
class Api(MountApi):
    """The shared calls, plus transit's own, below one transit mount."""

    mount: str = "transit"

    async def mount_engine(self, options: dict[str, str] | None = None) -> None:
        await self.enable("transit", options)

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
