"""Audit fixtures: a signing key, its public half by key_id, and a log written by a FileSink."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from strongroom.audit import FileSink, Signer

WriteLog = Callable[..., Awaitable[Path]]
MakeEntry = Callable[[int], dict[str, Any]]


@pytest.fixture
def signer() -> Signer:
    return Signer("audit-key-1", Ed25519PrivateKey.generate())


@pytest.fixture
def keys(signer: Signer) -> dict[str, Ed25519PublicKey]:
    return {signer.key_id: signer.public_key()}


def _entry(number: int) -> dict[str, Any]:
    """A small request entry in Vault's shape, distinct per `number`."""
    return {
        "time": "2024-05-01T12:00:00.000000Z",
        "type": "request",
        "request": {"id": f"req-{number}", "operation": "read", "path": f"secret/data/{number}"},
    }


@pytest.fixture
def entry() -> MakeEntry:
    """entry(n): a small request entry whose request id is `req-{n}`."""
    return _entry


@pytest.fixture
def write_log(tmp_path: Path, signer: Signer) -> WriteLog:
    """write_log(n, every=50): a FileSink log of `n` entries with a checkpoint every `every`."""

    async def _write(count: int, every: int = 50, name: str = "audit.log") -> Path:
        path = tmp_path / name
        sink = FileSink(str(path), signer=signer, checkpoint_every=every)
        for number in range(count):
            await sink.write(_entry(number))
        await sink.close()
        return path

    return _write
