"""LIST on KV v2 `metadata/` and on KV v1: folders end in /, empty is a 404, pages with
OpenBao's `after` and `limit`."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.inproc import Server

_mounts = itertools.count()


async def keys(server: Server, path: str, **params: object) -> list[str]:
    resp = await server.call("LIST", path, params=params)
    assert resp.status_code == 200, resp.text
    listed: list[str] = resp.json()["data"]["keys"]
    return listed


async def test_list_shows_keys_and_folders(kv2: Server) -> None:
    for key in ("app/db", "app/api/token", "app", "top"):
        await kv2.call("POST", f"kv2/data/{key}", {"data": {"a": 1}})
    assert await keys(kv2, "kv2/metadata/") == ["app", "app/", "top"]
    assert await keys(kv2, "kv2/metadata/app") == ["api/", "db"]
    via_get = await kv2.call("GET", "kv2/metadata/app/", params={"list": "true"})
    assert via_get.json()["data"]["keys"] == ["api/", "db"]


async def test_empty_folder_is_404_without_data(kv2: Server) -> None:
    resp = await kv2.call("LIST", "kv2/metadata/")
    assert resp.status_code == 404
    assert resp.json() == {"errors": []}


async def test_deleted_metadata_leaves_the_listing(kv2: Server) -> None:
    await kv2.call("POST", "kv2/data/a", {"data": {"x": 1}})
    await kv2.call("POST", "kv2/data/b", {"data": {"x": 1}})
    await kv2.call("DELETE", "kv2/data/b")  # a soft delete keeps the key listed
    assert await keys(kv2, "kv2/metadata/") == ["a", "b"]
    await kv2.call("DELETE", "kv2/metadata/b")
    assert await keys(kv2, "kv2/metadata/") == ["a"]


async def test_after_and_limit(kv2: Server) -> None:
    for key in ("k0", "k1", "k2", "k3", "f/x", "g/y"):
        await kv2.call("POST", f"kv2/data/list/{key}", {"data": {"a": 1}})
    assert await keys(kv2, "kv2/metadata/list/", limit=2) == ["f/", "g/"]
    assert await keys(kv2, "kv2/metadata/list/", after="g/", limit=2) == ["k0", "k1"]
    assert await keys(kv2, "kv2/metadata/list/", after="k1") == ["k2", "k3"]
    assert len(await keys(kv2, "kv2/metadata/list/", limit=0)) == 6
    assert len(await keys(kv2, "kv2/metadata/list/", limit=-1)) == 6
    past = await kv2.call("LIST", "kv2/metadata/list/", params={"after": "zz"})
    assert past.status_code == 404
    bad = await kv2.call("LIST", "kv2/metadata/list/", params={"limit": "x"})
    assert bad.status_code == 400


async def test_v1_list_pages_too(kv1: Server) -> None:
    for key in ("a", "b", "c/d"):
        await kv1.call("POST", f"kv1/{key}", {"v": 1})
    assert await keys(kv1, "kv1/") == ["a", "b", "c/"]
    assert await keys(kv1, "kv1/", after="a", limit=1) == ["b"]
    assert (await kv1.call("LIST", "kv1/nothing")).status_code == 404


names = st.text(alphabet="abcxyz/", min_size=1, max_size=6).filter(
    lambda s: not s.startswith("/") and not s.endswith("/") and "//" not in s
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(paths=st.sets(names, min_size=1, max_size=12), page=st.integers(min_value=1, max_value=5))
async def test_paging_equals_the_full_listing(server: Server, paths: set[str], page: int) -> None:
    mount = f"p{next(_mounts)}"
    await server.call("POST", f"sys/mounts/{mount}", {"type": "kv", "options": {"version": "2"}})
    for path in paths:
        resp = await server.call("POST", f"{mount}/data/{path}", {"data": {"a": 1}})
        assert resp.status_code == 200
    full = await keys(server, f"{mount}/metadata/")
    paged: list[str] = []
    after = ""
    while True:
        resp = await server.call(
            "LIST", f"{mount}/metadata/", params={"after": after, "limit": page}
        )
        if resp.status_code == 404:
            break
        chunk = resp.json()["data"]["keys"]
        assert 0 < len(chunk) <= page
        paged += chunk
        after = chunk[-1]
    assert paged == full
    assert full == sorted({p.split("/")[0] + ("/" if "/" in p else "") for p in paths})
