"""The audit broker in the pipeline: entries for every request, HMAC'd, fail-closed."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from strongroom.core import audit as broker_module
from strongroom.core import scheduler
from support.flock_holder import lock_held
from support.inproc import Server

CANARY = "canary-audit-5ecret-value"


async def enable_file(server: Server, path: Path, name: str = "file") -> None:
    body = {"type": "file", "options": {"file_path": str(path)}}
    resp = await server.call("PUT", f"sys/audit/{name}", body)
    assert resp.status_code == 204, resp.text


def entries(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


async def test_requests_and_responses_are_logged_hmacd(server: Server, tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    await enable_file(server, log)
    listed = (await server.call("GET", "sys/audit")).json()["data"]
    assert listed["file/"]["type"] == "file"
    resp = await server.call("POST", "sys/mounts/app", {"type": "kv", "description": CANARY})
    assert resp.status_code == 204
    text = log.read_text()
    assert CANARY not in text
    assert server.root_token not in text
    logged = [e for e in entries(log) if e.get("request", {}).get("path") == "sys/mounts/app"]
    assert [e["type"] for e in logged] == ["request", "response"]
    hashed = logged[0]["request"]["data"]["description"]
    assert hashed.startswith("hmac-sha256:")
    mine = await server.call("POST", "sys/audit-hash/file", {"input": CANARY})
    assert mine.json()["data"]["hash"] == hashed
    assert logged[0]["auth"]["policies"] == ["root"]
    assert logged[0]["request"]["client_token"].startswith("hmac-sha256:")


async def test_denied_and_failed_requests_are_logged(server: Server, tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    await enable_file(server, log)
    await server.call("GET", "sys/mounts", token="hvs.not-a-real-token-000000")
    await server.call("GET", "sys/mounts/nothing-here")
    errors = [e.get("error") for e in entries(log) if e["type"] == "response"]
    assert "permission denied" in errors
    assert any(e and "No secret engine mount" in e for e in errors)


async def test_failing_only_device_fails_closed(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await enable_file(server, tmp_path / "audit.log")
    await server.call("POST", "sys/mounts/app", {"type": "kv"})

    async def broken(_self: object, _entry: dict[str, Any]) -> None:
        raise OSError("disk full")

    for _device, sink in server.core.audit._sinks.values():
        monkeypatch.setattr(type(sink), "write", broken)
    resp = await server.call("GET", "sys/mounts")
    assert resp.status_code == 500
    assert resp.json() == {"errors": ["internal error"]}
    assert "app/" not in resp.text


async def test_one_hung_device_does_not_stall_the_other(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await enable_file(server, tmp_path / "a.log", "a")
    await enable_file(server, tmp_path / "b.log", "b")
    monkeypatch.setattr(broker_module, "WRITE_TIMEOUT", 0.2)
    _device, hung = server.core.audit._sinks["a/"]
    original = type(hung).write

    async def hang_a(self: object, entry: dict[str, Any]) -> None:
        if self is hung:
            await asyncio.Event().wait()  # never returns: the timeout must cut it off
        await original(self, entry)  # type: ignore[arg-type]

    monkeypatch.setattr(type(hung), "write", hang_a)
    # a file device times its own waits; what the broker's timer must cut off is any other sink
    monkeypatch.setattr(type(hung), "times_itself", False)
    resp = await asyncio.wait_for(server.call("GET", "sys/mounts"), 5)
    assert resp.status_code == 200
    assert any(
        e.get("request", {}).get("path") == "sys/mounts" for e in entries(tmp_path / "b.log")
    )
    prom = await server.call("GET", "sys/metrics?format=prometheus")
    assert 'strongroom_audit_failures_total{device="a/"}' in prom.text


@pytest.mark.slow
async def test_a_held_audit_file_lock_fails_closed_and_never_stalls_health(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(broker_module, "WRITE_TIMEOUT", 0.3)
    log = tmp_path / "audit.log"
    await enable_file(server, log)
    loop = asyncio.get_running_loop()
    with lock_held(log):  # a log shipper holds the file's lock
        started = loop.time()
        audited = asyncio.create_task(server.call("GET", "sys/mounts"))
        await asyncio.sleep(0.05)  # the audited request is now waiting for the lock
        for path in ("sys/health", "sys/seal-status"):
            unaudited = await server.call("GET", path, token=None)
            assert unaudited.status_code == 200
        assert loop.time() - started < 0.5  # not waiting for the lock (held for 5 s)
        failed = await audited
        assert loop.time() - started < 1.0
    assert (failed.status_code, failed.json()) == (500, {"errors": ["internal error"]})
    assert (await server.call("GET", "sys/mounts")).status_code == 200  # released: served again


async def test_disable_and_bad_device(server: Server, tmp_path: Path) -> None:
    await enable_file(server, tmp_path / "audit.log")
    assert (await server.call("DELETE", "sys/audit/file")).status_code == 204
    assert (await server.call("GET", "sys/audit")).json()["data"] == {}
    bad = await server.call("PUT", "sys/audit/x", {"type": "tape"})
    assert bad.status_code == 400
    nowhere = {"type": "file", "options": {"file_path": str(tmp_path / "no" / "dir" / "x.log")}}
    assert (await server.call("PUT", "sys/audit/y", nowhere)).status_code == 400


async def test_signing_key_and_events(server: Server, tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    await enable_file(server, log)
    key = (await server.call("GET", "sys/audit-signing-key")).json()["data"]
    assert key["public_key"]
    assert (await server.call("POST", "sys/audit-signing-key/rotate")).status_code == 204
    rotated = (await server.call("GET", "sys/audit-signing-key")).json()["data"]
    assert rotated["key_id"] != key["key_id"]
    assert len(rotated["keys"]) == 2
    await server.call("PUT", "sys/rotate")
    kinds = [e["event"]["kind"] for e in entries(log) if e["type"] == "event"]
    assert "barrier-key-rotated" in kinds
    assert "audit-signing-key-rotated" in kinds


async def test_expiry_job_revocations_are_audited(server: Server, tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    await enable_file(server, log)
    await server.call("POST", "auth/token/create", {"policies": ["p"], "ttl": "1m"})
    server.clock.advance(120)
    await scheduler.tick(server.core)
    events = [e["event"] for e in entries(log) if e["type"] == "event"]
    assert any(e["kind"] == "tokens-expired" for e in events)


async def test_background_round_signs_the_chain_tail(server: Server, tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    await enable_file(server, log)
    await server.call("GET", "sys/mounts")
    await scheduler.tick(server.core)
    assert entries(log)[-1]["type"] == "checkpoint"


async def test_audit_checkpoints_publishes_what_the_log_holds(
    server: Server, tmp_path: Path
) -> None:
    log = tmp_path / "audit.log"
    await enable_file(server, log)
    empty = await server.call("GET", "sys/audit-checkpoints")
    assert empty.json()["data"] == {"checkpoints": {}}
    for _ in range(2):
        await server.call("GET", "sys/mounts")
        await scheduler.tick(server.core)
    await scheduler.tick(server.core)  # nothing new: no second copy of the same checkpoint
    published = (await server.call("GET", "sys/audit-checkpoints")).json()["data"]
    in_log = [e["checkpoint"] for e in entries(log) if e["type"] == "checkpoint"]
    listed = published["checkpoints"]["file/"]
    assert [{k: c[k] for k in ("seq", "hash", "key_id", "signature")} for c in listed] == in_log
    key = (await server.call("GET", "sys/audit-signing-key")).json()["data"]
    assert {c["key_id"] for c in listed} == {key["key_id"]}


async def test_seal_and_unseal_are_audited(server: Server, tmp_path: Path) -> None:
    log = tmp_path / "audit.log"
    await enable_file(server, log)
    assert (await server.call("PUT", "sys/seal")).status_code == 204
    await server.unseal()
    await server.call("GET", "sys/mounts")
    kinds = [e["event"]["kind"] for e in entries(log) if e["type"] == "event"]
    assert kinds[-2:] == ["seal", "unseal"]
