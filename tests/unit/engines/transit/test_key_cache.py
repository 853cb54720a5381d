"""The per-worker key cache: a key unchanged since a worker parsed it costs that worker one
storage-version read per load (no decryption, no decoding, and the existence check reads no
more than that), while any change made through another worker (rotation, config, state,
delete and re-create) is seen by the very next request."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from strongroom.core.request import Operation
from strongroom.engines.transit.keyring import TOO_OLD
from strongroom.errors import BadRequest, NotFound
from unit.engines.transit.transit_api import Api, another_worker, b64, direct

Encrypt = {"plaintext": b64(b"x")}


def count_policy_reads(api: Api, monkeypatch: pytest.MonkeyPatch, name: str) -> Counter[str]:
    """How often the barrier is asked for key `name`'s record: read whole, or its version."""
    reads: Counter[str] = Counter()
    barrier = api.server.core.barrier
    for method in ("get_entry", "version"):
        original: Callable[[str], Awaitable[Any]] = getattr(barrier, method)

        def counted(
            path: str, method: str = method, original: Callable[[str], Awaitable[Any]] = original
        ) -> Awaitable[Any]:
            if path.endswith(f"/policy/{name}"):
                reads[method] += 1
            return original(path)

        monkeypatch.setattr(barrier, method, counted)
    return reads


async def test_a_cached_key_costs_one_version_read_per_load(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    await api.create("k")
    worker = another_worker(api.server)  # a cold cache
    reads = count_policy_reads(api, monkeypatch, "k")
    for _ in range(5):  # each: the existence check, then the handler's load
        await direct(worker, "encrypt/k", Encrypt)
    assert reads == {"get_entry": 1, "version": 9}  # the first load parsed it, once

    await api.post("keys/k/rotate")
    reads.clear()
    assert (await direct(worker, "encrypt/k", Encrypt))["key_version"] == 2
    assert reads == {"version": 2, "get_entry": 1}  # changed: read again, at once
    assert not await worker.exists("encrypt/missing")
    assert await worker.exists("decrypt/missing")  # only encrypt/ can create a key


async def test_changes_through_another_worker_are_seen_by_the_next_request(api: Api) -> None:
    await api.create("k")
    worker = another_worker(api.server)
    old = (await direct(worker, "encrypt/k", Encrypt))["ciphertext"]
    await api.post("keys/k/rotate")
    assert (await direct(worker, "encrypt/k", Encrypt))["key_version"] == 2
    await api.post("keys/k/config", {"min_decryption_version": 2})
    with pytest.raises(BadRequest) as refused:
        await direct(worker, "decrypt/k", {"ciphertext": old})
    assert refused.value.public == TOO_OLD
    await api.post("keys/k/disable")
    with pytest.raises(BadRequest, match="key is disabled"):
        await direct(worker, "encrypt/k", Encrypt)
    await api.post("keys/k/config", {"deletion_allowed": True})
    await direct(worker, "keys/k", op=Operation.DELETE)  # deleted through the cached worker
    with pytest.raises(NotFound):
        await direct(worker, "keys/k", op=Operation.READ)
    await api.create("k", type="chacha20-poly1305")  # the same name, a new key
    assert (await direct(worker, "keys/k", op=Operation.READ))["type"] == "chacha20-poly1305"
    assert (await api.get("keys/k"))["data"]["type"] == "chacha20-poly1305"
