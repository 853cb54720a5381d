"""CPU microseconds per request through `Core.handle`, in process (no HTTP, no sockets).

Three requests over in-memory storage, as root, without audit devices: `sys/health` (answered
before the seal check), `auth/token/lookup-self` (the authenticated pipeline around a builtin
mount) and a KV v2 read (the whole pipeline around an engine). Each is timed `--count` times per
round, the rounds interleaved so a busy machine slows every request alike.

    .venv/bin/python -m bench.core_pipeline --count 20000 --rounds 5
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Mapping, Sequence
from typing import Any

from strongroom.clock import ManualClock
from strongroom.core.core import Core
from strongroom.core.keeper import LocalKeeper
from strongroom.core.request import Operation, Request
from strongroom.engines.registry import catalogue
from strongroom.storage.inmem import InmemBackend

__all__ = ["main"]

_REQUESTS = {
    "sys/health": (Operation.READ, "sys/health"),
    "lookup-self": (Operation.READ, "auth/token/lookup-self"),
    "kv-read": (Operation.READ, "secret/data/app"),
}


def _request(
    op: Operation, path: str, token: str, data: Mapping[str, Any] | None = None
) -> Request:
    return Request(id="bench", operation=op, path=path, data=data or {}, token=token)


async def _ready() -> tuple[Core, str]:
    core = Core(
        physical=InmemBackend(), keeper=LocalKeeper(), clock=ManualClock(), backends=catalogue()
    )
    await core.start()
    keys, root = await core.initialize(1, 1)
    await core.keeper.publish((await core.seal.open(keys[0])).reveal())
    kv = {"type": "kv", "options": {"version": "2"}}
    await core.handle(_request(Operation.UPDATE, "sys/mounts/secret", root.token, kv))
    secret = {"data": {"k": "v"}}
    await core.handle(_request(Operation.UPDATE, "secret/data/app", root.token, secret))
    return core, root.token


async def _cpu_us(core: Core, request: Request, count: int) -> float:
    """CPU microseconds per `handle` of `request`, over `count` calls."""
    started = time.process_time()
    for _ in range(count):
        await core.handle(request)
    return (time.process_time() - started) / count * 1e6


async def run(count: int, rounds: int) -> str:
    core, token = await _ready()
    requests = {name: _request(op, path, token) for name, (op, path) in _REQUESTS.items()}
    for request in requests.values():
        await _cpu_us(core, request, count // 10)  # warm the caches
    samples: dict[str, list[float]] = {name: [] for name in requests}
    for _ in range(rounds):
        for name, request in requests.items():
            samples[name].append(await _cpu_us(core, request, count))
    return "\n".join(
        f"{name:12} min {min(us):6.1f} µs  runs " + " ".join(f"{u:.1f}" for u in us)
        for name, us in samples.items()
    )


def main(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench.core_pipeline")
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    sys.stdout.write(asyncio.run(run(args.count, args.rounds)) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
