"""The one conformance suite of layer 1: every test runs on inmem, SQLite and PostgreSQL.

DESIGN.md "Storage contract": everything above storage is backend-agnostic, so any behaviour
that differs between backends is a bug found here, not in production after a migration.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strongroom.errors import StorageConflict
from strongroom.storage import Backend, Check, Delete, Put

if TYPE_CHECKING:
    from strongroom.storage import Op


def utf8_sorted(items: list[str]) -> list[str]:
    """Bytewise order computed independently of the backends' own comparisons."""
    return sorted(items, key=lambda s: s.encode())


async def put_all(backend: Backend, paths: list[str]) -> None:
    await backend.transact([Put(p, p.encode()) for p in paths])


# -- get / put / delete ------------------------------------------------------------------------


async def test_get_missing_is_none(backend: Backend) -> None:
    assert await backend.get("nothing/here") is None


async def test_put_then_get_returns_value_and_version(backend: Backend) -> None:
    version = await backend.put("a/b", b"value")
    entry = await backend.get("a/b")
    assert entry is not None
    assert entry.value == b"value"
    assert entry.version == version
    assert version > 0


async def test_empty_value_is_stored(backend: Backend) -> None:
    await backend.put("empty", b"")
    entry = await backend.get("empty")
    assert entry is not None
    assert entry.value == b""


async def test_overwrite_replaces_value_and_changes_version(backend: Backend) -> None:
    first = await backend.put("k", b"one")
    second = await backend.put("k", b"two")
    entry = await backend.get("k")
    assert entry is not None
    assert (entry.value, entry.version) == (b"two", second)
    assert second != first


async def test_delete_removes_and_missing_delete_is_fine(backend: Backend) -> None:
    await backend.put("k", b"v")
    await backend.delete("k")
    assert await backend.get("k") is None
    await backend.delete("k")
    await backend.delete("never/existed")


async def test_versions_never_reused_after_delete_and_recreate(backend: Backend) -> None:
    seen: set[int] = set()
    for round_ in range(5):
        version = await backend.put("cycle", b"%d" % round_)
        assert version not in seen
        seen.add(version)
        await backend.delete("cycle")
    await backend.transact([Put("cycle", b"t")])
    entry = await backend.get("cycle")
    assert entry is not None
    assert entry.version not in seen


async def test_large_value_round_trips(backend: Backend) -> None:
    value = secrets.token_bytes(1024 * 1024)
    await backend.put("big", value)
    entry = await backend.get("big")
    assert entry is not None
    assert entry.value == value


async def test_100_concurrent_puts_to_distinct_keys(backend: Backend) -> None:
    paths = [f"c/{i:03d}" for i in range(100)]
    versions = await asyncio.gather(*(backend.put(p, p.encode()) for p in paths))
    assert len(set(versions)) == 100
    for path, version in zip(paths, versions, strict=True):
        entry = await backend.get(path)
        assert entry is not None
        assert (entry.value, entry.version) == (path.encode(), version)
    assert await backend.list("c/") == [f"{i:03d}" for i in range(100)]


@pytest.mark.parametrize("bad", ["", "/lead", "nul\x00inside", "lone\ud800surrogate"])
async def test_invalid_paths_are_refused(backend: Backend, bad: str) -> None:
    with pytest.raises(ValueError, match="storage path"):
        await backend.get(bad)
    with pytest.raises(ValueError, match="storage path"):
        await backend.put(bad, b"v")
    with pytest.raises(ValueError, match="storage path"):
        await backend.delete(bad)
    with pytest.raises(ValueError, match="storage path"):
        await backend.transact([Put("fine", b"v"), Put(bad, b"v")])
    assert await backend.get("fine") is None  # a bad op refuses the whole transaction


@pytest.mark.parametrize("bad", ["/lead", "nul\x00", "\udfff"])
async def test_invalid_list_prefixes_are_refused(backend: Backend, bad: str) -> None:
    with pytest.raises(ValueError, match="storage prefix"):
        await backend.list(bad)


async def test_invalid_list_arguments_are_refused(backend: Backend) -> None:
    with pytest.raises(ValueError, match="limit"):
        await backend.list("", limit=-1)
    with pytest.raises(ValueError, match="after"):
        await backend.list("", after="a\x00")


async def test_non_bytes_value_is_refused(backend: Backend) -> None:
    with pytest.raises(TypeError):
        await backend.put("k", "text")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        await backend.transact([Put("k", bytearray(b"x"))])  # type: ignore[arg-type]
    assert await backend.get("k") is None


# -- list --------------------------------------------------------------------------------------


async def test_list_returns_keys_and_deduplicated_folders(backend: Backend) -> None:
    await put_all(backend, ["a", "b/c", "b/d", "b/e/f", "b/e/g", "c", "d/x/y/z"])
    assert await backend.list("") == ["a", "b/", "c", "d/"]
    assert await backend.list("b/") == ["c", "d", "e/"]
    assert await backend.list("b/e/") == ["f", "g"]
    assert await backend.list("d/") == ["x/"]
    assert await backend.list("nothing/") == []


async def test_list_order_is_bytewise_utf8(backend: Backend) -> None:
    # '-' < '/' < '0' around folder boundaries; U+FFFD < U+1F600 in UTF-8 (not in UTF-16).
    names = ["Z", "a", "a-b", "a/x", "a0", "é", "\ufffd", "\U0001f600", "\u4e2d/y", "~"]
    await put_all(backend, [f"o/{n}" for n in names])
    segments = ["Z", "a", "a-b", "a/", "a0", "é", "\ufffd", "\U0001f600", "\u4e2d/", "~"]
    listed = await backend.list("o/")
    assert listed == utf8_sorted(segments)
    assert listed.index("a-b") < listed.index("a/") < listed.index("a0")


async def test_list_prefix_is_used_verbatim(backend: Backend) -> None:
    await put_all(backend, ["b/c", "bc", "ba/x", "b"])
    # "b" itself equals the prefix and has no segment below it.
    assert await backend.list("b") == ["/", "a/", "c"]
    assert await backend.list("ba") == ["/"]


async def test_list_after_skips_up_to_and_including_the_marker(backend: Backend) -> None:
    await put_all(backend, ["p/a", "p/b/x", "p/b/y", "p/c", "p/d/z"])
    assert await backend.list("p/", after="a") == ["b/", "c", "d/"]
    assert await backend.list("p/", after="b/") == ["c", "d/"]
    assert await backend.list("p/", after="b") == ["b/", "c", "d/"]
    assert await backend.list("p/", after="b/x") == ["c", "d/"]
    assert await backend.list("p/", after="") == ["a", "b/", "c", "d/"]
    assert await backend.list("p/", after="d/") == []
    assert await backend.list("p/", after="zz") == []


async def test_list_limit_and_pagination(backend: Backend) -> None:
    await put_all(backend, [f"q/{i:02d}" for i in range(10)] + ["q/05/child", "q/f/1", "q/f/2"])
    full = await backend.list("q/")
    assert len(full) == 12
    assert await backend.list("q/", limit=3) == full[:3]
    assert await backend.list("q/", limit=0) == []
    assert await backend.list("q/", limit=100) == full
    pages: list[str] = []
    after: str | None = None
    while page := await backend.list("q/", after=after, limit=5):
        pages.extend(page)
        after = page[-1]
    assert pages == full


async def test_list_with_empty_prefix_lists_the_root(backend: Backend) -> None:
    assert await backend.list("") == []
    await put_all(backend, ["sys/x", "logical/y", "core"])
    assert await backend.list("") == ["core", "logical/", "sys/"]


async def test_list_after_delete_forgets_empty_folders(backend: Backend) -> None:
    await put_all(backend, ["f/one/a", "f/two/b"])
    await backend.delete("f/one/a")
    assert await backend.list("f/") == ["two/"]


async def test_list_large_folder(backend: Backend) -> None:
    children = [f"big/{i:06d}" for i in range(100_000)]
    for start in range(0, len(children), 25_000):
        await backend.transact([Put(p, b"") for p in children[start : start + 25_000]])
    await put_all(backend, ["a", "big0", "c/d"])
    assert await backend.list("") == ["a", "big/", "big0", "c/"]
    assert await backend.list("", after="big/", limit=1) == ["big0"]
    assert await backend.list("big/", after="099997") == ["099998", "099999"]


# -- transactions ------------------------------------------------------------------------------


async def test_transact_applies_all_ops_in_order(backend: Backend) -> None:
    before = await backend.put("t/a", b"old")
    await backend.transact(
        [
            Check("t/a", before),
            Put("t/a", b"new"),
            Put("t/b", b"b"),
            Delete("t/b"),
            Put("t/c", b"c"),
        ]
    )
    a, b, c = await backend.get("t/a"), await backend.get("t/b"), await backend.get("t/c")
    assert a is not None
    assert (a.value, a.version != before) == (b"new", True)
    assert b is None
    assert c is not None
    assert c.value == b"c"
    await backend.transact([Delete("t/c"), Put("t/c", b"again")])
    c = await backend.get("t/c")
    assert c is not None
    assert c.value == b"again"


async def test_failing_check_applies_nothing(backend: Backend) -> None:
    version = await backend.put("t/a", b"keep")
    ops: list[Op] = [Put("t/new", b"x"), Delete("t/a"), Check("t/a", version + 1000)]
    with pytest.raises(StorageConflict):
        await backend.transact(ops)
    assert await backend.get("t/new") is None
    entry = await backend.get("t/a")
    assert entry is not None
    assert (entry.value, entry.version) == (b"keep", version)


async def test_checks_see_the_state_before_the_transaction(backend: Backend) -> None:
    # A Check is not affected by a Put earlier in the same op list.
    with pytest.raises(StorageConflict):
        await backend.transact([Put("t/x", b"x"), Check("t/x", 1)])
    await backend.transact([Put("t/x", b"x"), Check("t/x", 0)])
    assert await backend.get("t/x") is not None


async def test_absence_checks(backend: Backend) -> None:
    await backend.transact([Check("t/once", 0), Put("t/once", b"1")])
    with pytest.raises(StorageConflict):
        await backend.transact([Check("t/once", 0), Put("t/once", b"2")])
    entry = await backend.get("t/once")
    assert entry is not None
    assert entry.value == b"1"
    with pytest.raises(StorageConflict):
        await backend.transact([Check("t/once", 0)])
    await backend.transact([Check("t/never", 0)])  # checks alone are a valid transaction
    await backend.delete("t/once")
    with pytest.raises(StorageConflict):
        await backend.transact([Check("t/once", entry.version)])
    await backend.transact([Check("t/once", 0)])


async def test_empty_transaction_is_a_no_op(backend: Backend) -> None:
    await backend.transact([])
    assert await backend.list("") == []


@pytest.mark.parametrize("n", [2, 16])
async def test_exactly_one_concurrent_creator_wins(backend: Backend, n: int) -> None:
    async def create(i: int) -> int:
        await backend.transact([Check("race", 0), Put("race", b"%d" % i)])
        return i

    results = await asyncio.gather(*(create(i) for i in range(n)), return_exceptions=True)
    winners = [r for r in results if isinstance(r, int)]
    assert len(winners) == 1
    assert all(isinstance(r, StorageConflict) for r in results if not isinstance(r, int))
    entry = await backend.get("race")
    assert entry is not None
    assert entry.value == b"%d" % winners[0]


async def test_exactly_one_concurrent_compare_and_set_wins(backend: Backend) -> None:
    version = await backend.put("cas", b"0")

    async def bump(i: int) -> int:
        await backend.transact([Check("cas", version), Put("cas", b"%d" % i), Put(f"w/{i}", b"")])
        return i

    results = await asyncio.gather(*(bump(i) for i in range(1, 17)), return_exceptions=True)
    winners = [r for r in results if isinstance(r, int)]
    assert len(winners) == 1
    assert await backend.list("w/") == [str(winners[0])]


async def test_exactly_one_large_concurrent_transaction_wins(backend: Backend) -> None:
    # Transactions over many paths take a different locking route on PostgreSQL.
    async def create(i: int) -> int:
        ops: list[Op] = [Check("bulk/flag", 0), Put("bulk/flag", b"%d" % i)]
        ops += [Put(f"bulk/{i}/{j:03d}", b"") for j in range(100)]
        await backend.transact(ops)
        return i

    results = await asyncio.gather(*(create(i) for i in range(4)), return_exceptions=True)
    winners = [r for r in results if isinstance(r, int)]
    assert len(winners) == 1
    assert await backend.list("bulk/") == [f"{winners[0]}/", "flag"]


async def test_a_plain_put_racing_a_create_always_ends_last(backend: Backend) -> None:
    # Serializable outcomes: the create fails (put first) or is overwritten (put second).
    # A create that checked "absent" after the put and then overwrote it would be the anomaly.
    for i in range(20):
        path = f"mixed/{i}"
        await asyncio.gather(
            backend.transact([Check(path, 0), Put(path, b"create")]),
            backend.put(path, b"plain"),
            return_exceptions=True,
        )
        entry = await backend.get(path)
        assert entry is not None
        assert entry.value == b"plain"


async def test_write_skew_is_prevented(backend: Backend) -> None:
    # Each transaction checks the path the other one creates: any serial order fails one.
    results = await asyncio.gather(
        backend.transact([Check("skew/p", 0), Put("skew/q", b"")]),
        backend.transact([Check("skew/q", 0), Put("skew/p", b"")]),
        return_exceptions=True,
    )
    assert sorted(type(r).__name__ for r in results) == ["NoneType", "StorageConflict"]
    assert len(await backend.list("skew/")) == 1


# -- the model ---------------------------------------------------------------------------------

_SEGMENTS = st.sampled_from(["a", "b", "a-b", "a0", "é", "\U0001f600", "\ufffd", "Z"])
_PATHS = st.lists(_SEGMENTS, min_size=1, max_size=3).map("/".join)
_ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("put"), _PATHS, st.binary(max_size=8)),
        st.tuples(st.just("delete"), _PATHS, st.just(b"")),
        st.tuples(st.just("create"), _PATHS, st.binary(max_size=8)),
    ),
    max_size=25,
)
_counter = itertools.count()


def model_list(
    model: dict[str, bytes], prefix: str, after: str | None, limit: int | None
) -> list[str]:
    segments = set()
    for path in model:
        if path.startswith(prefix) and path != prefix:
            rest = path[len(prefix) :]
            segments.add(rest[: rest.index("/") + 1] if "/" in rest else rest)
    ordered = [
        s for s in utf8_sorted(list(segments)) if after is None or s.encode() > after.encode()
    ]
    return ordered if limit is None else ordered[:limit]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    actions=_ACTIONS,
    list_prefixes=st.lists(_PATHS.map(lambda p: p + "/") | st.just(""), max_size=3),
    after=st.none() | _SEGMENTS | _SEGMENTS.map(lambda s: s + "/"),
    limit=st.none() | st.integers(min_value=0, max_value=4),
)
async def test_matches_a_dict_model(
    backend: Backend,
    actions: list[tuple[str, str, bytes]],
    list_prefixes: list[str],
    after: str | None,
    limit: int | None,
) -> None:
    # Examples share the fixture's backend; a fresh root per example keeps them independent.
    root = f"m{next(_counter)}/"
    model: dict[str, bytes] = {}
    for action, rel, value in actions:
        path = root + rel
        if action == "put":
            await backend.put(path, value)
            model[path] = value
        elif action == "delete":
            await backend.delete(path)
            model.pop(path, None)
        elif path in model:
            with pytest.raises(StorageConflict):
                await backend.transact([Check(path, 0), Put(path, value)])
        else:
            await backend.transact([Check(path, 0), Put(path, value)])
            model[path] = value
    for path in {root + rel for _, rel, _ in actions}:
        entry = await backend.get(path)
        assert (entry.value if entry else None) == model.get(path)
    for rel in [*list_prefixes, ""]:
        prefix = root + rel
        assert await backend.list(prefix) == model_list(model, prefix, None, None)
        assert await backend.list(prefix, after, limit) == model_list(model, prefix, after, limit)
