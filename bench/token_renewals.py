"""What token renewals on one node cost another: two Cores in one process over one SQLite file.

Node B reads a KV v2 secret as fast as it can, first alone, then while node A renews a token
up to 40 times a second; printed are B's reads per second, its storage reads per request, the
extra storage reads each renewal caused on B (a renewal that moved the configuration epoch made
B reload its mount table, policies and audit devices), and whether the epoch moved at all.

    .venv/bin/python -m bench.token_renewals [seconds per phase, default 5]
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from strongroom.clock import SystemClock
from strongroom.core.core import Core
from strongroom.core.epoch import EPOCH_RECORD
from strongroom.core.keeper import LocalKeeper
from strongroom.core.request import Operation, Request
from strongroom.engines.registry import catalogue
from strongroom.storage.factory import open_backend
from strongroom.storage.interface import Backend, Entry, Op

__all__ = ["main"]

_RENEWALS_PER_SECOND = 40
_READER = 'path "secret/data/*" { capabilities = ["read"] }'


class _Counting:
    """A backend that counts the reads (get and list) a node makes."""

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.reads = 0

    async def get(self, path: str) -> Entry | None:
        self.reads += 1
        return await self.inner.get(path)

    async def put(self, path: str, value: bytes) -> int:
        return await self.inner.put(path, value)

    async def delete(self, path: str) -> None:
        await self.inner.delete(path)

    async def list(
        self, prefix: str, after: str | None = None, limit: int | None = None
    ) -> list[str]:
        self.reads += 1
        return await self.inner.list(prefix, after, limit)

    async def transact(self, ops: Sequence[Op]) -> None:
        await self.inner.transact(ops)

    async def close(self) -> None:
        await self.inner.close()


def _request(
    op: Operation, path: str, token: str, data: Mapping[str, Any] | None = None
) -> Request:
    return Request(id=str(uuid.uuid4()), operation=op, path=path, data=data or {}, token=token)


async def _node(path: str, counter: _Counting | None = None) -> Core:
    physical = counter or await open_backend("sqlite", {"path": path})
    core = Core(physical=physical, keeper=LocalKeeper(), clock=SystemClock(), backends=catalogue())
    await core.start()
    return core


async def _token(core: Core, root: str) -> str:
    body = {"policies": ["reader"], "ttl": "1h"}
    response = await core.handle(_request(Operation.UPDATE, "auth/token/create", root, body))
    assert response.auth is not None  # noqa: S101 - a benchmark's own sanity check
    token: str = response.auth["client_token"]
    return token


async def _reads(core: Core, counter: _Counting, token: str, seconds: float) -> tuple[float, float]:
    """(reads per second, storage reads per request) over `seconds`."""
    before, done = counter.reads, 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        await core.handle(_request(Operation.READ, "secret/data/app", token))
        done += 1
        await asyncio.sleep(0)  # let the other node run, as another process would
    return done / seconds, (counter.reads - before) / done


async def _renewals(core: Core, token: str, stop: asyncio.Event) -> int:
    done = 0
    while not stop.is_set():
        body = {"increment": "1h"}
        await core.handle(_request(Operation.UPDATE, "auth/token/renew-self", token, body))
        done += 1
        await asyncio.sleep(1 / _RENEWALS_PER_SECOND)
    return done


async def run(seconds: float) -> str:
    path = str(Path(tempfile.mkdtemp()) / "sr.db")
    first = await _node(path)
    keys, root_token = await first.initialize(1, 1)
    await first.keeper.publish((await first.seal.open(keys[0])).reveal())
    root, update = root_token.token, Operation.UPDATE
    kv = {"type": "kv", "options": {"version": "2"}}
    await first.handle(_request(update, "sys/mounts/secret", root, kv))
    await first.handle(_request(update, "secret/data/app", root, {"data": {"k": "v"}}))
    await first.handle(_request(update, "sys/policies/acl/reader", root, {"policy": _READER}))
    reader, renewer = await _token(first, root), await _token(first, root)
    counter = _Counting(await open_backend("sqlite", {"path": path}))
    second = await _node(path, counter)
    await second.keeper.publish((await second.seal.open(keys[0])).reveal())
    await _reads(second, counter, reader, 1.0)  # warm the caches
    alone, alone_per_request = await _reads(second, counter, reader, seconds)
    epoch = await second.barrier.version(EPOCH_RECORD)
    stop = asyncio.Event()
    renewing = asyncio.create_task(_renewals(first, renewer, stop))
    busy, busy_per_request = await _reads(second, counter, reader, seconds)
    stop.set()
    renewed = await renewing
    extra = (busy_per_request - alone_per_request) * busy * seconds / max(renewed, 1)
    moved = await second.barrier.version(EPOCH_RECORD) != epoch
    return (
        f"node B reads/s alone {alone:.0f}, while node A renews ({renewed / seconds:.0f}/s) "
        f"{busy:.0f}; storage reads per request {alone_per_request:.2f} -> "
        f"{busy_per_request:.2f}; extra storage reads on B per renewal {extra:.1f}; "
        f"epoch moved: {moved}"
    )


def main(argv: Sequence[str]) -> None:
    seconds = float(argv[0]) if argv else 5.0
    sys.stdout.write(asyncio.run(run(seconds)) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
