"""Audit devices declared in the config file: applied at unseal, kept in step with the file,
not removable through the API, and failing closed when they cannot be opened."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from strongroom.clock import ManualClock
from strongroom.core.audit_table import AuditDevice
from strongroom.core.core import Core, Defaults
from strongroom.core.keeper import LocalKeeper
from strongroom.engines.registry import catalogue
from strongroom.http.app import App
from strongroom.storage.inmem import InmemBackend
from support.inproc import Server


def declared(path: str, file: Path) -> AuditDevice:
    return AuditDevice(path=path, type="file", options={"file_path": str(file)}, declared=True)


class Node:
    """One storage; servers started over it one after another, each with its own config."""

    def __init__(self) -> None:
        self.physical = InmemBackend()
        self.keys: list[str] = []
        self.root = ""

    async def start(self, devices: tuple[AuditDevice, ...]) -> Server:
        core = Core(
            physical=self.physical,
            keeper=LocalKeeper(),
            clock=ManualClock(),
            backends=catalogue(),
            defaults=Defaults(audit_devices=devices),
        )
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=App(core)), base_url="http://sr"
        )
        server = Server(core, client, ManualClock(), self.keys, self.root)
        if not self.keys:
            body = (
                await server.call("PUT", "sys/init", {"secret_shares": 1, "secret_threshold": 1})
            ).json()
            self.keys[:] = body["keys"]
            self.root = server.root_token = body["root_token"]
        await server.call("PUT", "sys/unseal", {"key": self.keys[0]}, token=None)
        return server


@pytest.fixture
def node() -> Node:
    return Node()


async def test_declared_devices_are_enabled_at_unseal_and_log(node: Node, tmp_path: Path) -> None:
    log = tmp_path / "declared.log"
    server = await node.start((declared("main/", log),))
    listed = (await server.call("GET", "sys/audit")).json()["data"]
    assert listed["main/"]["options"] == {"file_path": str(log)}
    await server.call("GET", "sys/mounts")
    assert '"path":"sys/mounts"' in log.read_text()
    refused = await server.call("DELETE", "sys/audit/main")
    assert refused.status_code == 400
    assert "configuration file" in refused.json()["errors"][0]
    clash = await server.call("PUT", "sys/audit/main", {"type": "file", "options": {}})
    assert clash.status_code == 400


async def test_a_restart_follows_the_file(node: Node, tmp_path: Path) -> None:
    first = await node.start((declared("main/", tmp_path / "a.log"),))
    salt = (await first.call("POST", "sys/audit-hash/main", {"input": "x"})).json()["data"]
    same = await node.start((declared("main/", tmp_path / "a.log"),))
    again = (await same.call("POST", "sys/audit-hash/main", {"input": "x"})).json()["data"]
    assert again == salt  # an unchanged declaration keeps its salt
    moved = await node.start((declared("main/", tmp_path / "b.log"),))
    listed = (await moved.call("GET", "sys/audit")).json()["data"]
    assert listed["main/"]["options"] == {"file_path": str(tmp_path / "b.log")}
    gone = await node.start(())
    assert (await gone.call("GET", "sys/audit")).json()["data"] == {}


async def test_an_api_device_on_the_same_path_is_left_alone(node: Node, tmp_path: Path) -> None:
    server = await node.start(())
    options = {"file_path": str(tmp_path / "api.log")}
    assert (
        await server.call("PUT", "sys/audit/main", {"type": "file", "options": options})
    ).status_code == 204
    clashing = await node.start((declared("main/", tmp_path / "declared.log"),))
    listed = (await clashing.call("GET", "sys/audit")).json()["data"]
    assert listed["main/"]["options"] == options


async def test_a_device_that_cannot_be_opened_fails_closed(node: Node, tmp_path: Path) -> None:
    server = await node.start((declared("main/", tmp_path / "missing-dir" / "x.log"),))
    resp = await server.call("GET", "sys/mounts")
    assert resp.status_code == 500
    assert resp.json() == {"errors": ["internal error"]}
