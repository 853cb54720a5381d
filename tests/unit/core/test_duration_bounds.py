"""Every duration and count field is bounded: Go's longest time.Duration is accepted, anything
beyond is a 400, and the object still reads and writes afterwards (issue 13: one KV metadata
write of `delete_version_after: "99999999999h"` made the secret answer 500 for good)."""

from __future__ import annotations

import msgspec
import pytest

from strongroom.config.durations import MAX_DURATION
from strongroom.core.view import View
from strongroom.engines.kv.models import KeyMeta, VersionMeta
from strongroom.engines.kv.store import Change, KvStore
from support.inproc import Server

BEYOND = [MAX_DURATION + 1, str(MAX_DURATION + 1), "99999999999h", "2562048h", "106752d"]
INT64_MAX = 2**63 - 1
Setup = tuple[tuple[str, str, dict[str, str]], ...]
APPROLE: Setup = (("POST", "sys/auth/approle", {"type": "approle"}),)
TRANSIT: Setup = (
    ("POST", "sys/mounts/transit", {"type": "transit"}),
    ("POST", "transit/keys/k", {}),
)
# name: (setup requests, the path written, the path read, the field, the longest value it takes)
CLASSES = {
    "kv metadata": ((), "secret/metadata/app", "", "delete_version_after", MAX_DURATION),
    "kv config": ((), "secret/config", "", "delete_version_after", MAX_DURATION),
    "kv max_versions": ((), "secret/metadata/app", "", "max_versions", INT64_MAX),
    "transit auto_rotate_period": (
        TRANSIT,
        "transit/keys/k/config",
        "transit/keys/k",
        "auto_rotate_period",
        MAX_DURATION,
    ),
    "approle secret_id_ttl": (APPROLE, "auth/approle/role/r", "", "secret_id_ttl", MAX_DURATION),
    "approle token_ttl": (APPROLE, "auth/approle/role/r", "", "token_ttl", MAX_DURATION),
    "approle token_period": (APPROLE, "auth/approle/role/r", "", "token_period", MAX_DURATION),
    "approle secret_id_num_uses": (
        APPROLE,
        "auth/approle/role/r",
        "",
        "secret_id_num_uses",
        INT64_MAX,
    ),
    "token role explicit_max_ttl": (
        (),
        "auth/token/roles/t",
        "",
        "token_explicit_max_ttl",
        MAX_DURATION,
    ),
    "mount tune": ((), "sys/mounts/secret/tune", "", "max_lease_ttl", MAX_DURATION),
}


async def _mount_kv(server: Server) -> None:
    resp = await server.call("POST", "sys/mounts/secret", {"type": "kv-v2"})
    assert resp.status_code == 204, resp.text


@pytest.mark.parametrize("case", CLASSES)
async def test_the_longest_value_is_accepted_and_beyond_it_refused(
    server: Server, case: str
) -> None:
    setup, path, read_path, field, longest = CLASSES[case]
    await _mount_kv(server)
    for method, where, body in setup:
        assert (await server.call(method, where, body)).status_code < 300
    written = await server.call("POST", path, {field: longest})
    assert written.status_code < 300, written.text
    for value in [*BEYOND, INT64_MAX + 1] if longest == MAX_DURATION else [INT64_MAX + 1]:
        refused = await server.call("POST", path, {field: str(value)})
        assert refused.status_code == 400, (value, refused.text)
        assert str(value) not in refused.text
    read = await server.call("GET", read_path or path)
    assert read.status_code == 200, read.text
    assert (await server.call("POST", path, {field: 3600})).status_code < 300


async def test_kv_data_reads_and_writes_with_the_longest_delete_version_after(
    server: Server,
) -> None:
    await _mount_kv(server)
    await server.call("POST", "secret/config", {"delete_version_after": MAX_DURATION})
    await server.call("POST", "secret/metadata/app", {"delete_version_after": "2562047h"})
    for _ in range(2):
        assert (await server.call("POST", "secret/data/app", {"data": {"a": 1}})).status_code == 200
        read = await server.call("GET", "secret/data/app")
        assert read.status_code == 200, read.text
        assert read.json()["data"]["metadata"]["deletion_time"].startswith("2319-")
    assert (await server.call("POST", "secret/undelete/app", {"versions": [1]})).status_code == 204
    for path in ("secret/metadata/app", "secret/subkeys/app"):
        assert (await server.call("GET", path)).status_code == 200


async def test_a_value_stored_out_of_range_reads_back_clamped(server: Server) -> None:
    """Stored before the bound existed: 99999999999h and a deletion time in year 11409972."""
    await _mount_kv(server)
    assert (await server.call("POST", "secret/data/app", {"data": {"a": 1}})).status_code == 200
    entry = server.core.mounts.find("mounts", "secret")
    assert entry is not None
    kv = KvStore(View(server.core.barrier, entry.storage_prefix("mounts")), server.clock)

    async def poison(meta: KeyMeta | None) -> Change:
        assert meta is not None
        version = VersionMeta(created=meta.created, deletion=3.6e17)
        poisoned = msgspec.structs.replace(
            meta, delete_version_after=360_000_000_000_000, versions={1: version}
        )
        return Change(poisoned)

    await kv.update("app", poison)
    metadata = await server.call("GET", "secret/metadata/app")
    assert metadata.status_code == 200, metadata.text
    assert metadata.json()["data"]["delete_version_after"] == "2562047h47m16s"
    assert (
        metadata.json()["data"]["versions"]["1"]["deletion_time"] == "9999-12-31T23:59:59.000000Z"
    )
    assert (await server.call("GET", "secret/data/app")).status_code == 200
    written = await server.call("POST", "secret/data/app", {"data": {"a": 2}})
    assert written.status_code == 200, written.text
    assert written.json()["data"]["deletion_time"].startswith("2319-")


async def test_token_ttls_and_renewal_increments_are_bounded(server: Server) -> None:
    created = await server.call("POST", "auth/token/create", {"ttl": MAX_DURATION, "period": 0})
    assert created.status_code == 200, created.text
    token = created.json()["auth"]["client_token"]
    for field in ("ttl", "explicit_max_ttl", "period"):
        refused = await server.call("POST", "auth/token/create", {field: "2562048h"})
        assert refused.status_code == 400, (field, refused.text)
    renewed = await server.call("POST", "auth/token/renew-self", {"increment": MAX_DURATION}, token)
    assert renewed.status_code == 200, renewed.text
    beyond = await server.call("POST", "auth/token/renew-self", {"increment": "106752d"}, token)
    assert beyond.status_code == 400, beyond.text
    assert (await server.call("GET", "auth/token/lookup-self", token=token)).status_code == 200
