"""The explicit key lifecycle (README "Key lifecycle"): every operation is legal exactly in the
states the table says, proved by a hypothesis state machine, plus version-level states and the
scheduled destruction that erases key material but keeps the key's metadata."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from strongroom.engines.transit.store import POLICY
from support.api import running
from unit.engines.transit.transit_api import Api, b64, mounted

DAY = 86400
ALL = frozenset({"enabled", "disabled", "pending_deletion", "destroyed"})
# The README's table, written out independently of the code: which states allow what.
TABLE: dict[str, frozenset[str]] = {
    "encrypt": frozenset({"enabled"}),
    "decrypt": frozenset({"enabled"}),
    "hmac": frozenset({"enabled"}),
    "export": frozenset({"enabled"}),
    "backup": frozenset({"enabled"}),
    "rotate": frozenset({"enabled"}),
    "configure": frozenset({"enabled", "disabled"}),
    "allow-deletion": ALL,
    "disable": frozenset({"enabled", "disabled"}),
    "enable": frozenset({"enabled", "disabled"}),
    "schedule-deletion": frozenset({"enabled", "disabled"}),
    "cancel-deletion": frozenset({"pending_deletion"}),
    "read": ALL,
}
AFTER = {
    "disable": "disabled",
    "enable": "enabled",
    "schedule-deletion": "pending_deletion",
    "cancel-deletion": "disabled",
}


class Lifecycle(RuleBasedStateMachine):
    """One key under random lifecycle operations; each answer must match TABLE."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.context = running()
        self.api = Api(self.loop.run_until_complete(self.context.__aenter__()))
        self.run(self.api.mount_engine())
        self.run(self.api.create("k", exportable=True, allow_plaintext_backup=True))
        self.ciphertext = self.run(self.api.encrypt("k", b"kept"))
        self.state = "enabled"
        self.due = 0.0

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def teardown(self) -> None:
        self.run(self.context.__aexit__(None, None, None))
        self.loop.close()

    def attempt(self, op: str, method: str, path: str, body: Any = None) -> bool:
        resp = self.run(self.api.server.call(method, f"transit/{path}", body))
        allowed = self.state in TABLE[op]
        assert resp.status_code == (200 if allowed else 400), (op, self.state, resp.text)
        if not allowed:
            assert resp.json()["errors"] in (
                ["key destroyed"],
                ["key is disabled"],
                ["key is pending deletion"],
            ) or resp.json()["errors"][0].startswith("cannot "), resp.text
        elif op in AFTER:
            self.state = AFTER[op]
        return allowed

    @rule(op=st.sampled_from(["disable", "enable", "cancel-deletion"]))
    def transition(self, op: str) -> None:
        self.attempt(op, "POST", f"keys/k/{op}")

    @rule(days=st.integers(7, 30))
    def schedule(self, days: int) -> None:
        if self.attempt(
            "schedule-deletion", "POST", "keys/k/schedule-deletion", {"pending_days": days}
        ):
            self.due = self.api.server.clock.now() + days * DAY

    @rule(days=st.integers(0, 40))
    def time_passes(self, days: int) -> None:
        self.api.server.clock.advance(days * DAY)
        self.run(mounted(self.api.server).tick())
        if self.state == "pending_deletion" and self.api.server.clock.now() >= self.due:
            self.state = "destroyed"

    @rule()
    def use(self) -> None:
        self.attempt("encrypt", "POST", "encrypt/k", {"plaintext": b64(b"x")})
        if self.attempt("decrypt", "POST", "decrypt/k", {"ciphertext": self.ciphertext}):
            assert self.run(self.api.decrypt("k", self.ciphertext)) == b"kept"
        self.attempt("hmac", "POST", "hmac/k", {"input": ""})
        self.attempt("export", "GET", "export/encryption-key/k")
        self.attempt("backup", "GET", "backup/k")

    @rule()
    def manage(self) -> None:
        self.attempt("rotate", "POST", "keys/k/rotate")
        self.attempt("configure", "POST", "keys/k/config", {"auto_rotate_period": "0s"})
        self.attempt("allow-deletion", "POST", "keys/k/config", {"deletion_allowed": False})

    @invariant()
    def read_shows_the_state(self) -> None:
        read = self.run(self.api.get("keys/k"))["data"]
        assert read["state"] == self.state
        assert ("deletion_date" in read) is (self.state == "pending_deletion")


TestLifecycle = Lifecycle.TestCase
TestLifecycle.settings = settings(max_examples=40, stateful_step_count=25, deadline=None)


async def test_destruction_erases_material_but_keeps_metadata(api: Api) -> None:
    await api.create("k")
    ciphertext = await api.encrypt("k", b"gone")
    await api.post("keys/k/schedule-deletion", {"pending_days": 7})
    read = (await api.get("keys/k"))["data"]
    assert read["deletion_date"].startswith("2027-01-22")
    api.server.clock.advance(7 * DAY - 1)
    await mounted(api.server).tick()
    assert (await api.get("keys/k"))["data"]["state"] == "pending_deletion"
    api.server.clock.advance(1)
    await mounted(api.server).tick()
    read = (await api.get("keys/k"))["data"]
    assert read["state"] == "destroyed"
    assert (await api.expect("LIST", "keys"))["data"]["keys"] == ["k"]
    assert await api.error("POST", "decrypt/k", {"ciphertext": ciphertext}) == "key destroyed"
    ring = await mounted(api.server).transit.store.load("k")
    assert ring is not None
    assert all(v.key == b"" and v.hmac_key == b"" for v in ring.policy.versions.values())
    assert await api.error("POST", "keys/k/enable") == "cannot enable a key that is destroyed"
    raw = await mounted(api.server).transit.store.view.get(POLICY + "k")
    assert raw is not None
    assert b'"key"' not in raw
    assert await api.error("POST", "keys/k/config", {"min_decryption_version": 1}) == (
        "cannot configure a key that is destroyed"
    )
    await api.post("keys/k/config", {"deletion_allowed": True})  # metadata can still go
    await api.expect("DELETE", "keys/k", status=204)


async def test_pending_days_bounds_and_cancel(api: Api) -> None:
    await api.create("k")
    for days in (6, 31):
        assert await api.error("POST", "keys/k/schedule-deletion", {"pending_days": days}) == (
            "pending_days must be between 7 and 30"
        )
    read = await api.data("keys/k/schedule-deletion")
    assert read["deletion_date"].startswith("2027-02-14")  # the default is 30 days
    assert (await api.data("keys/k/cancel-deletion"))["state"] == "disabled"
    await api.post("keys/k/enable")
    assert await api.decrypt("k", await api.encrypt("k", b"back")) == b"back"


async def test_version_states(api: Api) -> None:
    await api.create("k", exportable=True)
    old = await api.encrypt("k", b"old")
    await api.post("keys/k/rotate")
    disabled = await api.data("keys/k/versions/1/disable")
    assert disabled["keys"]["1"] == 1_800_000_000
    assert await api.error("POST", "decrypt/k", {"ciphertext": old}) == "key version 1 is disabled"
    assert await api.decrypt("k", await api.encrypt("k", b"new")) == b"new"
    assert await api.error("GET", "export/encryption-key/k/1") == "key version 1 is disabled"
    await api.post("keys/k/versions/1/enable")
    assert await api.decrypt("k", old) == b"old"
    await api.post("keys/k/versions/1/destroy")
    assert await api.error("POST", "decrypt/k", {"ciphertext": old}) == "key version 1 is destroyed"
    assert (
        await api.error("POST", "keys/k/versions/1/enable")
        == "cannot enable a destroyed key version"
    )
    assert await api.error("POST", "keys/k/versions/9/disable") == "no such key version"
    await api.post("keys/k/versions/2/disable")
    error = await api.error("POST", "encrypt/k", {"plaintext": ""})
    assert error == "key version 2 is disabled"


@pytest.mark.parametrize("key_type", ["ed25519", "hmac"])
async def test_disabled_keys_refuse_signing_and_macs(api: Api, key_type: str) -> None:
    await api.create("s", type=key_type)
    await api.post("keys/s/disable")
    op = "sign/s" if key_type == "ed25519" else "hmac/s"
    assert await api.error("POST", op, {"input": ""}) == "key is disabled"
