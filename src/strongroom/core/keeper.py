"""The keeper: node-local, in-memory seal state shared by every worker process of one server.

Vault is one process; Strongroom serves from several worker processes, so whatever Vault keeps in
the memory of its one process lives here: the root key while unsealed (never on disk, DESIGN.md
invariant 2), and the progress of unseal, rekey and generate-root quorums (shares may arrive at
different workers). `LocalKeeper` is the state itself; `core/keeper_ipc.py` serves it to worker
processes over a private Unix socket. Publishing a seal change returns only after every
subscribed worker has applied it, so a request that follows a seal never finds a worker unsealed.
"""

from __future__ import annotations

import asyncio
import hmac
import secrets
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from strongroom.errors import BadRequest

Subscriber = Callable[[bytes | None], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class QuorumAttempt:
    """An unseal, rekey or generate-root attempt: its nonce, parameters and the shares so far."""

    kind: str
    nonce: str
    params: Mapping[str, Any] = field(default_factory=dict)
    shares: tuple[bytes, ...] = field(default=(), repr=False)


class Keeper(Protocol):
    async def root_key(self) -> bytes | None: ...

    async def publish(self, root_key: bytes | None) -> None:
        """Set the node's root key (None = sealed) and wait until every worker applied it."""
        ...

    async def start(self, kind: str, params: Mapping[str, Any]) -> QuorumAttempt:
        """Begin an attempt; raises BadRequest if one of this kind is in progress."""
        ...

    async def attempt(self, kind: str) -> QuorumAttempt | None: ...

    async def add_share(self, kind: str, share: bytes, nonce: str | None) -> QuorumAttempt:
        """Record a share (duplicates ignored). Raises BadRequest on a nonce mismatch."""
        ...

    async def cancel(self, kind: str) -> None: ...

    def subscribe(self, subscriber: Subscriber) -> None: ...


class LocalKeeper:
    """The keeper's state in this process; also the reference implementation for tests."""

    def __init__(self) -> None:
        self._root_key: bytes | None = None
        self._attempts: dict[str, QuorumAttempt] = {}
        self._subscribers: list[Subscriber] = []
        self._lock = asyncio.Lock()

    async def root_key(self) -> bytes | None:
        return self._root_key

    async def publish(self, root_key: bytes | None) -> None:
        async with self._lock:
            self._root_key = root_key
            if root_key is None:
                self._attempts.clear()
            else:
                self._attempts.pop("unseal", None)
            await asyncio.gather(*(notify(root_key) for notify in self._subscribers))

    async def start(self, kind: str, params: Mapping[str, Any]) -> QuorumAttempt:
        if kind in self._attempts:
            raise BadRequest(f"{kind} already in progress")
        attempt = QuorumAttempt(
            kind=kind, nonce=str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))
        )
        self._attempts[kind] = replace(attempt, params=dict(params))
        return self._attempts[kind]

    async def attempt(self, kind: str) -> QuorumAttempt | None:
        return self._attempts.get(kind)

    async def add_share(self, kind: str, share: bytes, nonce: str | None) -> QuorumAttempt:
        current = self._attempts.get(kind)
        if current is None:
            if kind != "unseal":
                raise BadRequest(f"no {kind} in progress")
            current = await self.start(kind, {})
        elif nonce is not None and not hmac.compare_digest(nonce.encode(), current.nonce.encode()):
            # bytes: compare_digest refuses a str with non-ASCII characters (a TypeError, a 500)
            raise BadRequest("incorrect nonce supplied")
        if not any(hmac.compare_digest(share, seen) for seen in current.shares):
            current = replace(current, shares=(*current.shares, share))
            self._attempts[kind] = current
        return current

    async def cancel(self, kind: str) -> None:
        self._attempts.pop(kind, None)

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.append(subscriber)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.remove(subscriber)
