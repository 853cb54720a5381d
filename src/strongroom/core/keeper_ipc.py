"""The keeper served over a private Unix socket to the worker processes of one server.

The server process (parent of the workers) runs `KeeperServer` on a thread of its own; each
worker holds one `RemoteKeeper` connection. Frames are JSON lines: a call
`{"id", "op", "args"}` answered by `{"id", "result"}` or `{"id", "error"}`, and a push
`{"push": "root_key", "value"}` that the worker applies and acknowledges with `{"ack": true}`.
The socket lives in a 0700 directory, and a connection must first present the per-server
secret that the parent hands its workers in their environment.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hmac
import itertools
import json
from collections.abc import Mapping
from typing import Any

from strongroom.core.keeper import LocalKeeper, QuorumAttempt, Subscriber
from strongroom.errors import BadRequest

_ACK_TIMEOUT = 5.0


def _b64(value: bytes | None) -> str | None:
    return None if value is None else base64.b64encode(value).decode()


def _unb64(value: str | None) -> bytes | None:
    return None if value is None else base64.b64decode(value)


def _attempt_out(attempt: QuorumAttempt | None) -> dict[str, Any] | None:
    if attempt is None:
        return None
    return {
        "kind": attempt.kind,
        "nonce": attempt.nonce,
        "params": dict(attempt.params),
        "shares": [_b64(s) for s in attempt.shares],
    }


def _attempt_in(raw: dict[str, Any] | None) -> QuorumAttempt | None:
    if raw is None:
        return None
    shares = tuple(base64.b64decode(s) for s in raw["shares"])
    return QuorumAttempt(raw["kind"], raw["nonce"], raw["params"], shares)


async def _send(writer: asyncio.StreamWriter, frame: Mapping[str, Any]) -> None:
    writer.write(json.dumps(frame).encode() + b"\n")
    await writer.drain()


class KeeperServer:
    """Serves one LocalKeeper to authenticated worker connections."""

    def __init__(self, keeper: LocalKeeper, secret: str) -> None:
        self._keeper = keeper
        self._secret = secret

    async def serve(self, socket_path: str) -> asyncio.AbstractServer:
        return await asyncio.start_unix_server(self._connection, path=socket_path)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        hello = await reader.readline()
        if not hmac.compare_digest(hello.strip(), self._secret.encode()):
            writer.close()
            return
        acks: asyncio.Queue[None] = asyncio.Queue()
        write_lock = asyncio.Lock()

        async def push(root_key: bytes | None) -> None:
            async with write_lock:
                await _send(writer, {"push": "root_key", "value": _b64(root_key)})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(acks.get(), _ACK_TIMEOUT)

        self._keeper.subscribe(push)
        try:
            while line := await reader.readline():
                frame = json.loads(line)
                if "ack" in frame:
                    acks.put_nowait(None)
                    continue
                # Calls run as tasks so that an ack can be read while a publish waits for it.
                asyncio.get_running_loop().create_task(self._call(frame, writer, write_lock))
        finally:
            self._keeper.unsubscribe(push)
            writer.close()

    async def _call(
        self, frame: dict[str, Any], writer: asyncio.StreamWriter, lock: asyncio.Lock
    ) -> None:
        try:
            reply = {"id": frame["id"], "result": await self._dispatch(frame["op"], frame["args"])}
        except BadRequest as exc:
            reply = {"id": frame["id"], "error": exc.public}
        async with lock:
            await _send(writer, reply)

    async def _dispatch(self, op: str, args: dict[str, Any]) -> Any:  # noqa: ANN401 - JSON
        keeper = self._keeper
        if op == "root_key":
            return _b64(await keeper.root_key())
        if op == "publish":
            await keeper.publish(_unb64(args["root_key"]))
            return None
        if op == "start":
            return _attempt_out(await keeper.start(args["kind"], args["params"]))
        if op == "attempt":
            return _attempt_out(await keeper.attempt(args["kind"]))
        if op == "add_share":
            share = base64.b64decode(args["share"])
            return _attempt_out(await keeper.add_share(args["kind"], share, args["nonce"]))
        if op == "cancel":
            await keeper.cancel(args["kind"])
            return None
        raise BadRequest("unknown keeper call")


class RemoteKeeper:
    """A worker's connection to the server's keeper; implements the `Keeper` protocol."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._subscribers: list[Subscriber] = []
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    @classmethod
    async def connect(cls, socket_path: str, secret: str) -> RemoteKeeper:
        reader, writer = await asyncio.open_unix_connection(socket_path)
        writer.write(secret.encode() + b"\n")
        await writer.drain()
        keeper = cls(reader, writer)
        keeper._task = asyncio.get_running_loop().create_task(keeper._read())
        return keeper

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
        self._writer.close()

    async def _read(self) -> None:
        try:
            await self._read_frames()
        finally:
            # The keeper is gone: fail every waiting call rather than hang it.
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(ConnectionError("keeper connection lost"))
            self._pending.clear()

    async def _read_frames(self) -> None:
        while line := await self._reader.readline():
            frame = json.loads(line)
            if "push" in frame:
                value = _unb64(frame["value"])
                await asyncio.gather(*(notify(value) for notify in self._subscribers))
                async with self._lock:
                    await _send(self._writer, {"ack": True})
                continue
            future = self._pending.pop(frame["id"])
            if "error" in frame:
                future.set_exception(BadRequest(frame["error"]))
            else:
                future.set_result(frame["result"])

    async def _call(self, op: str, **args: Any) -> Any:  # noqa: ANN401 - JSON
        if self._task is None or self._task.done():
            raise ConnectionError("keeper connection lost")
        call_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[call_id] = future
        async with self._lock:
            await _send(self._writer, {"id": call_id, "op": op, "args": args})
        return await future

    async def root_key(self) -> bytes | None:
        return _unb64(await self._call("root_key"))

    async def publish(self, root_key: bytes | None) -> None:
        await self._call("publish", root_key=_b64(root_key))

    async def start(self, kind: str, params: Mapping[str, Any]) -> QuorumAttempt:
        attempt = _attempt_in(await self._call("start", kind=kind, params=dict(params)))
        assert attempt is not None  # noqa: S101 - start always returns an attempt
        return attempt

    async def attempt(self, kind: str) -> QuorumAttempt | None:
        return _attempt_in(await self._call("attempt", kind=kind))

    async def add_share(self, kind: str, share: bytes, nonce: str | None) -> QuorumAttempt:
        attempt = _attempt_in(
            await self._call("add_share", kind=kind, share=_b64(share), nonce=nonce)
        )
        assert attempt is not None  # noqa: S101 - add_share always returns an attempt
        return attempt

    async def cancel(self, kind: str) -> None:
        await self._call("cancel", kind=kind)

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.append(subscriber)
