"""Key events in the audit stream: each key change is one event once committed (none for a
no-op, a refusal or a lost race), scheduled and nonce-budget rotations say so, uses are counted
per key/version/operation and emitted by `tick`, and no event carries key material.

The workers here are backends built on a MountContext whose `emit` records what it is sent.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from strongroom.core.request import Operation
from strongroom.engines.transit import path_byok
from strongroom.engines.transit.crypto import wrap
from strongroom.engines.transit.events import (
    BACKED_UP,
    CONFIG_CHANGED,
    CREATED,
    DELETED,
    EXPORTED,
    IMPORTED,
    RESTORED,
    ROTATED,
    STATE_CHANGED,
    TRIMMED,
    USED,
)
from strongroom.errors import BadRequest, InternalError
from support.api import YieldingBackend, running
from support.inproc import Server
from unit.engines.transit.transit_api import Api, another_worker, b64, direct

HOUR, DAY = 3600, 86400
Event = tuple[str, dict[str, Any]]


@dataclass
class Worker:
    """A transit backend whose events are recorded (without their mount accessor, which every
    one of them must carry)."""

    server: Server
    events: list[Event] = field(default_factory=list)
    fail_uses: bool = False  # the audit stream refuses `transit-key-used` events

    def __post_init__(self) -> None:
        route = self.server.core.mounts.route("transit/")
        assert route is not None
        self.accessor = route[0].entry.accessor
        self.backend = another_worker(self.server, emit=self.record)

    async def record(self, kind: str, data: Mapping[str, Any]) -> None:
        if self.fail_uses and kind == USED:
            raise InternalError(detail="no audit device accepted the entry")
        assert data["mount_accessor"] == self.accessor
        self.events.append((kind, {k: v for k, v in data.items() if k != "mount_accessor"}))

    async def call(
        self, path: str, data: Mapping[str, Any] | None = None, op: Operation = Operation.UPDATE
    ) -> dict[str, Any]:
        return await direct(self.backend, path, data, op)

    def take(self) -> list[Event]:
        taken = list(self.events)
        self.events.clear()  # in place: workers may share one list (one audit stream)
        return taken


@pytest.fixture
async def worker() -> AsyncIterator[Worker]:
    async with running() as server:
        await Api(server).mount_engine()
        yield Worker(server)


def state(name: str, old: str, new: str, version: int | None = None) -> Event:
    data: dict[str, Any] = {"name": name, "from": old, "to": new}
    return STATE_CHANGED, data if version is None else {**data, "version": version}


async def test_each_key_change_is_one_event(worker: Worker) -> None:
    w = worker
    await w.call("keys/k")
    settings = {"deletion_allowed": True, "exportable": True, "allow_plaintext_backup": True}
    await w.call("keys/k/config", settings)
    await w.call("keys/k/rotate")
    await w.call("keys/k/rotate")
    minimums = {"min_decryption_version": 2, "min_encryption_version": 2}
    await w.call("keys/k/config", minimums)
    await w.call("keys/k/trim", {"min_available_version": 2})
    assert w.take() == [
        (CREATED, {"name": "k", "type": "aes256-gcm96", "version": 1}),
        (CONFIG_CHANGED, {"name": "k", "changes": settings}),
        (ROTATED, {"name": "k", "version": 2, "trigger": "manual"}),
        (ROTATED, {"name": "k", "version": 3, "trigger": "manual"}),
        (CONFIG_CHANGED, {"name": "k", "changes": minimums}),
        (TRIMMED, {"name": "k", "min_available_version": 2, "versions": [1]}),
    ]

    exported = await w.call("export/encryption-key/k", op=Operation.READ)
    backup = (await w.call("backup/k", op=Operation.READ))["backup"]
    for action in ("disable", "enable", "destroy"):
        await w.call(f"keys/k/versions/2/{action}")
    for action in ("disable", "enable", "schedule-deletion", "cancel-deletion"):
        await w.call(f"keys/k/{action}")
    await w.call("restore/k", {"backup": backup, "force": True})
    await w.call("keys/k", op=Operation.DELETE)
    events = w.take()
    assert events == [
        (EXPORTED, {"name": "k", "export_type": "encryption-key", "versions": [2, 3]}),
        (BACKED_UP, {"name": "k", "versions": [2, 3]}),
        state("k", "enabled", "disabled", version=2),
        state("k", "disabled", "enabled", version=2),
        state("k", "enabled", "destroyed", version=2),
        state("k", "enabled", "disabled"),
        state("k", "disabled", "enabled"),
        state("k", "enabled", "pending_deletion"),
        state("k", "pending_deletion", "disabled"),
        (RESTORED, {"name": "k", "versions": [2, 3], "replaced": True}),
        (DELETED, {"name": "k", "versions": [2, 3]}),
    ]
    material = "".join(exported["keys"].values())
    assert material not in json.dumps(events)  # (and json.dumps would refuse any bytes)


async def test_no_change_no_event(worker: Worker) -> None:
    w = worker
    await w.call("keys/k")
    w.take()
    await w.call("keys/k", {"type": "ed25519"})  # exists: returned unchanged
    await w.call("keys/k/enable")  # already enabled
    await w.call("keys/k/config", {"exportable": False, "min_decryption_version": 1})
    with pytest.raises(BadRequest, match="deletion is not allowed"):
        await w.call("keys/k", op=Operation.DELETE)
    await w.call("keys/k/disable")
    w.take()
    with pytest.raises(BadRequest, match="cannot rotate a key that is disabled"):
        await w.call("keys/k/rotate")
    with pytest.raises(BadRequest, match="key is disabled"):
        await w.call("export/public-key/k", op=Operation.READ)
    assert w.take() == []


async def test_upserted_and_imported_keys(worker: Worker, monkeypatch: pytest.MonkeyPatch) -> None:
    w = worker
    await w.call("encrypt/up", {"plaintext": b64(b"x")})
    signing_key = ed25519.Ed25519PrivateKey.generate()
    pem = signing_key.public_key().public_bytes(
        ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo
    )
    await w.call("keys/ed/import", {"type": "ed25519", "public_key": pem.decode()})
    other = ed25519.Ed25519PrivateKey.generate().public_key()
    other_pem = other.public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo)
    await w.call("keys/ed/import_version", {"public_key": other_pem.decode()})
    # Complete version 1 with its private half (a small wrapping key: RSA-4096 takes seconds).
    wrapping = rsa.generate_private_key(65537, 2048)
    der = wrapping.private_bytes(ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption())
    monkeypatch.setattr(path_byok, "_new_wrapping_key", lambda: der)
    private = signing_key.private_bytes(
        ser.Encoding.DER, ser.PrivateFormat.PKCS8, ser.NoEncryption()
    )
    wrapped = b64(wrap.wrap_for_import(wrapping.public_key(), private, "SHA256"))
    await w.call("keys/ed/import_version", {"ciphertext": wrapped, "version": 1})
    assert w.take() == [
        (CREATED, {"name": "up", "type": "aes256-gcm96", "version": 1}),
        (IMPORTED, {"name": "ed", "type": "ed25519", "version": 1}),
        (IMPORTED, {"name": "ed", "type": "ed25519", "version": 2}),
        (IMPORTED, {"name": "ed", "type": "ed25519", "version": 1}),
    ]


async def test_scheduled_rotation_and_destruction_by_the_clock(worker: Worker) -> None:
    w, clock = worker, worker.server.clock
    await w.call("keys/auto", {"auto_rotate_period": "1h"})
    await w.call("keys/doomed")
    await w.call("keys/doomed/schedule-deletion", {"pending_days": 7})
    w.take()
    clock.advance(HOUR - 1)
    await w.backend.tick()
    assert w.take() == []
    clock.advance(1)
    await w.backend.tick()
    await w.backend.tick()  # idempotent: nothing more is due
    assert w.take() == [(ROTATED, {"name": "auto", "version": 2, "trigger": "schedule"})]
    clock.advance(7 * DAY)
    await w.backend.tick()
    assert w.take() == [
        (ROTATED, {"name": "auto", "version": 3, "trigger": "schedule"}),
        state("doomed", "pending_deletion", "destroyed"),
    ]


async def test_nonce_budget_rotations_are_reported_once_by_racing_workers() -> None:
    async with running(YieldingBackend()) as server:
        await Api(server).mount_engine({"nonce_rotation_threshold": "10"})
        await Api(server).create("k")
        one, two = Worker(server), Worker(server)
        two.events = one.events  # one audit stream

        async def encrypt(worker: Worker) -> None:
            await worker.call("encrypt/k", {"plaintext": b64(b"x")})

        await asyncio.gather(*(encrypt((one, two)[i % 2]) for i in range(25)))
        assert sorted(one.take(), key=lambda e: e[1]["version"]) == [
            (ROTATED, {"name": "k", "version": 2, "trigger": "nonce-budget"}),
            (ROTATED, {"name": "k", "version": 3, "trigger": "nonce-budget"}),
        ]
        await one.backend.tick()
        await two.backend.tick()
        counts: Counter[int] = Counter()
        for kind, data in one.take():
            assert (kind, data["name"], data["operation"]) == (USED, "k", "encrypt")
            counts[data["version"]] += data["count"]
        assert counts == {1: 10, 2: 10, 3: 5}


async def test_uses_are_counted_and_emitted_by_tick(worker: Worker) -> None:
    w = worker
    await w.call("keys/k")
    await w.call("keys/ed", {"type": "ed25519"})
    batch = [{"plaintext": b64(b"x")}] * 3
    results = (await w.call("encrypt/k", {"batch_input": batch}))["batch_results"]
    old = [r["ciphertext"] for r in results]
    await w.call("keys/k/rotate")
    await w.call("decrypt/k", {"batch_input": [{"ciphertext": c} for c in old]})
    await w.call("rewrap/k", {"ciphertext": old[0]})
    await w.call("datakey/wrapped/k", {"bits": 256})
    mac = (await w.call("hmac/k", {"input": b64(b"m")}))["hmac"]
    await w.call("verify/k", {"input": b64(b"m"), "hmac": mac})
    signature = (await w.call("sign/ed", {"input": b64(b"m")}))["signature"]
    await w.call("verify/ed", {"input": b64(b"m"), "signature": signature})
    with pytest.raises(BadRequest):  # a refused use is no use
        await w.call("decrypt/k", {"ciphertext": "vault:v1:AAAA"})
    assert [kind for kind, _data in w.take()] == [CREATED, CREATED, ROTATED]

    await w.backend.tick()
    used = sorted((d["name"], d["version"], d["operation"], d["count"]) for _k, d in w.take())
    assert used == [
        ("ed", 1, "sign", 1),
        ("ed", 1, "verify", 1),
        ("k", 1, "decrypt", 4),  # three decrypts and the rewrap's
        ("k", 1, "encrypt", 3),
        ("k", 2, "encrypt", 2),  # the rewrap's and the data key's
        ("k", 2, "hmac", 1),
        ("k", 2, "verify", 1),
    ]
    await w.backend.tick()
    assert w.take() == []  # only non-zero counts


async def test_uses_outlive_a_failing_audit_stream(worker: Worker) -> None:
    w = worker
    await w.call("keys/k")
    await w.call("encrypt/k", {"plaintext": b64(b"x")})
    w.fail_uses = True
    with pytest.raises(InternalError):
        await w.backend.tick()
    await w.call("encrypt/k", {"plaintext": b64(b"x")})
    w.fail_uses = False
    w.take()
    await w.backend.tick()
    assert w.take() == [(USED, {"name": "k", "version": 1, "operation": "encrypt", "count": 2})]


async def test_events_reach_the_audit_log(api: Api, tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    device = {"type": "file", "options": {"file_path": str(log)}}
    assert (await api.server.call("PUT", "sys/audit/file", device)).status_code == 204
    await api.create("k", exportable=True)
    exported = await api.get("export/encryption-key/k")
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    events = [line["event"] for line in lines if line.get("type") == "event"]
    kinds = [(e["kind"], e["data"]["name"]) for e in events if e["kind"].startswith("transit-")]
    assert kinds == [(CREATED, "k"), (EXPORTED, "k")]
    assert all(e["data"]["mount_accessor"].startswith("transit_") for e in events[-2:])
    assert exported["data"]["keys"]["1"] not in log.read_text()
