"""A worker whose startup fails says so on the ASGI lifespan protocol, so granian stops it (and
the supervisor starts another) instead of serving 500s without a core.

Found by the start → init → unseal stress loop (tests/functional/test_start_under_load.py): a
worker's startup raised, granian logged "ASGI Lifespan errored, continuing without Lifespan
support", and `sys/init` answered that worker's 500 "internal error".
"""

from __future__ import annotations

import logging

import pytest

from strongroom.core.core import Core
from strongroom.http.app import App, Message


async def _lifespan(app: App, *events: str) -> list[Message]:
    incoming: list[Message] = [{"type": event} for event in events]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    await app({"type": "lifespan"}, receive, send)
    return sent


async def test_a_failed_startup_is_reported_to_the_server(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def startup() -> Core:
        raise TimeoutError("storage not ready")

    sent = await _lifespan(App(startup=startup), "lifespan.startup")
    assert sent == [{"type": "lifespan.startup.failed", "message": "worker startup failed"}]
    (record,) = [r for r in caplog.records if r.name == "strongroom.server"]
    assert (record.levelno, record.getMessage()) == (logging.ERROR, "worker startup failed")
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], TimeoutError)
