"""Tidy through the expiry index, what reaches storage, and the salt's one-time creation."""

from __future__ import annotations

import asyncio
import hashlib

from strongroom.core.request import Operation
from strongroom.core.view import View
from support.inproc import Server
from unit.auth.approle.approle_harness import PREFIX, Harness, RecordingStore, YieldingStore


async def test_tidy_pages_through_expired_secret_ids_only(server: Server) -> None:
    recorder = RecordingStore(server.core.barrier)
    approle = Harness.over(server.core, server.clock, recorder)
    await approle.write_role("web", secret_id_ttl="1h")
    short = [await approle.new_secret("web", ttl=60) for _ in range(230)]
    live = [await approle.new_secret("web") for _ in range(3)]
    await approle.write_role("forever")
    forever = await approle.new_secret("forever")
    server.clock.advance(60)
    assert len(await approle.accessors("web")) == 233  # expired, but stored until tidied
    recorder.lists.clear()
    recorder.reads.clear()
    response = await approle.call(Operation.UPDATE, "tidy/secret-id")
    expiry_lists = [c for c in recorder.lists if c[0] == PREFIX + "expiry/"]
    records_read = {key for key in recorder.reads if key.startswith(PREFIX + "secret_id/")}
    assert response.status == 202
    assert response.warnings is not None
    assert "230 expired secret IDs" in response.warnings[0]
    assert sorted(await approle.accessors("web")) == sorted(s["secret_id_accessor"] for s in live)
    assert len(await approle.stored_keys("expiry/")) == 3
    assert len(await approle.stored_keys("accessor/")) == 4
    # Paged: every listing of the index was bounded, and no live record was even read.
    assert len(expiry_lists) == 3
    assert all(limit is not None and limit <= 100 for _, _, limit in expiry_lists)
    assert len(records_read) == 230
    role_id = await approle.role_id("forever")
    await approle.login(role_id, forever["secret_id"])
    for secret in short[:3]:
        await approle.login_refused(await approle.role_id("web"), secret["secret_id"])


async def test_tidy_skips_what_is_not_yet_due_and_sweeps_stale_lockouts(
    approle: Harness,
) -> None:
    await approle.write_role("web", secret_id_ttl=100)
    role_id = await approle.role_id("web")
    issued = await approle.new_secret("web")
    for addr in ("10.0.0.1", "10.0.0.2"):
        await approle.login_refused(role_id, "wrong", addr=addr)
    approle.clock.advance(99)
    await approle.login_refused(role_id, "wrong", addr="10.0.0.3")
    assert await approle.backend.tidy() == (0, 0)
    approle.clock.advance(15 * 60 - 99)
    assert await approle.backend.tidy() == (1, 2)  # 10.0.0.3's window is still open
    assert len(await approle.stored_keys("lockout/")) == 1
    assert (await approle.lookup("web", issued["secret_id"])).empty


async def _walk(view: View, folder: str = "") -> list[str]:
    keys: list[str] = []
    for name in await view.list(folder):
        keys += await _walk(view, folder + name) if name.endswith("/") else [folder + name]
    return keys


async def test_a_secret_id_never_reaches_storage_in_clear(server: Server, approle: Harness) -> None:
    canary = "canary-3f9c1e7a-secret-id-d00d"
    await approle.write_role("web", secret_id_num_uses=3, secret_id_ttl="1h")
    await approle.call(Operation.UPDATE, "role/web/custom-secret-id", {"secret_id": canary})
    role_id = await approle.role_id("web")
    await approle.login(role_id, canary)  # a use rewrites the record
    await approle.login_refused(role_id, canary + "x")  # and a failure writes a counter
    unsalted = hashlib.sha256(canary.encode()).hexdigest()
    keys = await _walk(approle.view)
    assert any(k.startswith("secret_id/") for k in keys)
    for key in keys:  # decrypted, behind the barrier
        value = await approle.view.get(key)
        assert value is not None
        for needle in (canary.encode(), unsalted.encode()):
            assert needle not in key.encode()
            assert needle not in value, key
    for key in await _walk_physical(server):
        entry = await server.core.physical.get(key)
        assert entry is not None
        assert canary.encode() not in key.encode() + entry.value


async def _walk_physical(server: Server, folder: str = "") -> list[str]:
    keys: list[str] = []
    for name in await server.core.physical.list(folder):
        if name.endswith("/"):
            keys += await _walk_physical(server, folder + name)
        else:
            keys.append(folder + name)
    return keys


async def test_two_workers_create_one_salt(server: Server, racy: Harness) -> None:
    # The second worker reads "no salt" before the first commits one, and commits its own
    # only after the first has read its salt back: without the Check it would overwrite it.
    first = racy.worker()
    second = racy.worker(YieldingStore(server.core.barrier, commit_delay=5))
    digests = await asyncio.gather(
        first._app.store.hmac("probe", "value"), second._app.store.hmac("probe", "value")
    )
    assert digests[0] == digests[1]
    assert await racy.stored_keys("") == ["salt"]
    assert await racy.worker()._app.store.hmac("probe", "value") == digests[0]
