"""Nothing a client writes to KV reaches storage in plaintext (the barrier seals every value)."""

from __future__ import annotations

from support.inproc import Server

MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}
CANARY = "canary-7f3a9c-do-not-store"


def raw_values(server: Server) -> list[bytes]:
    entries = server.core.physical._entries  # type: ignore[attr-defined]
    return [entry.value for entry in entries.values()]


def assert_sealed(server: Server) -> None:
    values = raw_values(server)
    assert values
    for value in values:
        assert CANARY.encode() not in value
        assert CANARY.encode("utf-16-le") not in value


async def test_v2_data_metadata_and_patches_are_sealed(kv2: Server) -> None:
    await kv2.call("POST", "kv2/data/k", {"data": {"secret": CANARY, "nested": {"v": CANARY}}})
    await kv2.call("POST", "kv2/metadata/k", {"custom_metadata": {"note": CANARY}})
    await kv2.call("PATCH", "kv2/data/k", {"data": {"more": CANARY}}, headers=MERGE_PATCH)
    read = await kv2.call("GET", "kv2/data/k")
    assert read.json()["data"]["data"]["more"] == CANARY  # the canary really went in
    assert_sealed(kv2)


async def test_v1_data_is_sealed(kv1: Server) -> None:
    await kv1.call("POST", "kv1/k", {"secret": CANARY})
    assert (await kv1.call("GET", "kv1/k")).json()["data"] == {"secret": CANARY}
    assert_sealed(kv1)


async def test_upgraded_data_stays_sealed(kv1: Server) -> None:
    await kv1.call("POST", "kv1/k", {"secret": CANARY})
    await kv1.call("POST", "sys/mounts/kv1/tune", {"options": {"version": "2"}})
    assert (await kv1.call("GET", "kv1/data/k")).json()["data"]["data"] == {"secret": CANARY}
    assert_sealed(kv1)


async def test_errors_never_echo_the_secret(kv2: Server) -> None:
    bad = await kv2.call("POST", "kv2/data/k", {"data": CANARY})
    assert bad.status_code == 400
    assert CANARY not in bad.text
    bad_cas = await kv2.call("POST", "kv2/data/k", {"data": {}, "options": {"cas": CANARY}})
    assert CANARY not in bad_cas.text
    bad_meta = await kv2.call("POST", "kv2/metadata/k", {"custom_metadata": {CANARY * 10: "v"}})
    assert bad_meta.status_code == 400
    assert CANARY not in bad_meta.text
