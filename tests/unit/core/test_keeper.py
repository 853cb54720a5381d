"""The keeper, locally and over its Unix socket: shared seal state across worker processes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from strongroom.core.keeper import LocalKeeper
from strongroom.core.keeper_ipc import KeeperServer, RemoteKeeper
from strongroom.errors import BadRequest

SECRET = "keeper-secret"


@pytest.fixture
async def remote_pair(tmp_path: Path) -> AsyncIterator[tuple[RemoteKeeper, RemoteKeeper]]:
    server = await KeeperServer(LocalKeeper(), SECRET).serve(str(tmp_path / "k.sock"))
    one = await RemoteKeeper.connect(str(tmp_path / "k.sock"), SECRET)
    two = await RemoteKeeper.connect(str(tmp_path / "k.sock"), SECRET)
    yield one, two
    await one.close()
    await two.close()
    server.close()


async def test_publish_reaches_every_worker_before_returning(
    remote_pair: tuple[RemoteKeeper, RemoteKeeper],
) -> None:
    one, two = remote_pair
    seen: dict[str, list[bytes | None]] = {"one": [], "two": []}

    def record(name: str) -> Callable[[bytes | None], Awaitable[None]]:
        async def on_change(root_key: bytes | None) -> None:
            seen[name].append(root_key)

        return on_change

    one.subscribe(record("one"))
    two.subscribe(record("two"))
    await one.publish(b"k" * 32)
    assert seen == {"one": [b"k" * 32], "two": [b"k" * 32]}
    assert await two.root_key() == b"k" * 32
    await two.publish(None)
    assert seen["one"][-1] is None
    assert await one.root_key() is None


async def test_quorum_shares_collected_across_workers(
    remote_pair: tuple[RemoteKeeper, RemoteKeeper],
) -> None:
    one, two = remote_pair
    await one.add_share("unseal", b"share-1", None)
    attempt = await two.add_share("unseal", b"share-2", None)
    assert attempt.shares == (b"share-1", b"share-2")
    assert (await two.add_share("unseal", b"share-2", None)).shares == attempt.shares
    rekey = await one.start("rekey", {"secret_shares": 3})
    with pytest.raises(BadRequest):
        await two.add_share("rekey", b"s", "wrong-nonce")
    with pytest.raises(BadRequest):
        await two.start("rekey", {})
    assert (await two.attempt("rekey")) == rekey
    await two.cancel("rekey")
    assert await one.attempt("rekey") is None


async def test_wrong_secret_is_disconnected(tmp_path: Path) -> None:
    server = await KeeperServer(LocalKeeper(), SECRET).serve(str(tmp_path / "k.sock"))
    intruder = await RemoteKeeper.connect(str(tmp_path / "k.sock"), "guess")
    with pytest.raises(ConnectionError):
        await asyncio.wait_for(intruder.root_key(), 1)
    await intruder.close()
    server.close()


async def test_local_keeper_sealing_clears_all_attempts() -> None:
    keeper = LocalKeeper()
    await keeper.add_share("unseal", b"a", None)
    await keeper.start("generate-root", {"otp": "x"})
    await keeper.publish(None)
    assert await keeper.attempt("unseal") is None
    assert await keeper.attempt("generate-root") is None
