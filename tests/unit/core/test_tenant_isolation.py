"""Tenant isolation, by property (the tenancy issue's done-when): 10,000 generated requests from
tenant A's token, with path tricks (`..`, `%2e%2e`, `//`, trailing `/`, case and Unicode
look-alikes, glob characters) and namespace headers and prefixes mixed, never read, list, change
or reveal tenant B's data; and a request aimed at B's (existing) namespace answers exactly like
the same request aimed at a namespace that does not exist.

The route sweep (issue #13) walks every route of every route table in the package (a table not
mounted by `support.tenancy.MOUNTS` fails `test_every_route_table_is_swept`) and sends each, from
team-a's admin token, with the real token ids, accessors, lease ids, wrapping tokens, secret IDs,
secret-id accessors and migration ids of team-b and of the root namespace (the initial root token
included); each answer must equal the one the same request gets with identifiers that name
nothing, and afterwards every one of those identifiers must still work for its owner. Its size
is a setting: 10,000 cases by default (CI, about 30 s), 100,000 with the environment variable
`STRONGROOM_ISOLATION=nightly`. The oracle test compares every unauthenticated route between an
existing and a missing namespace, byte for byte, by path prefix and by header."""

from __future__ import annotations

import asyncio
import json
import os
import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strongroom.core.request import Operation
from strongroom.http.app import App
from support import tenancy
from support.inproc import make_core
from support.route_cases import concrete

B_CANARY = "tenant-b-canary-9d1e"
A_SECRET = "tenant-a-own-value"
POLICY = """
path "secret/*" { capabilities = ["create", "read", "update", "delete", "list"] }
path "sys/*" { capabilities = ["read", "list"] }
path "*" { capabilities = ["read", "list"] }
"""

HEADERS = st.sampled_from(
    [
        None,
        "team-a",
        "team-a/",
        "/team-a",
        "team-b",
        "TEAM-B",
        "team-\uff42",  # fullwidth b
        "team-a/../team-b",
        "team-a/%2e%2e/team-b",
        "team-a/prod",
        "team-*",
        "team-?",
        "",
        "root",
    ]
)
SEGMENTS = st.sampled_from(
    [
        "team-a",
        "team-b",
        "TEAM-B",
        "team-\u0432",  # Cyrillic ve
        "prod",
        "secret",
        "data",
        "metadata",
        "db",
        "..",
        "%2e%2e",
        "%2E%2E",
        ".",
        "",
        "*",
        "+",
        "sys",
        "mounts",
        "namespaces",
        "policies",
        "acl",
        "app",
        "auth",
        "token",
        "lookup-self",
    ]
)
METHODS = st.sampled_from(["GET", "LIST", "POST", "PUT", "PATCH", "DELETE"])


@dataclass(frozen=True)
class Probe:
    method: str
    header: str | None
    segments: tuple[str, ...]
    trailing_slash: bool

    def path(self) -> str:
        return "/".join(self.segments) + ("/" if self.trailing_slash else "")


PROBES = st.builds(
    Probe,
    METHODS,
    HEADERS,
    st.lists(SEGMENTS, min_size=1, max_size=6).map(tuple),
    st.booleans(),
)


async def _setup() -> tuple[httpx.AsyncClient, str, str]:
    """Two tenants, each with a KV mount, a secret and a policy; returns A's and B's tokens."""
    app = App(make_core())
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sr")
    body = (
        await client.put("/v1/sys/init", json={"secret_shares": 1, "secret_threshold": 1})
    ).json()
    await client.put("/v1/sys/unseal", json={"key": body["keys"][0]})
    root = {"X-Vault-Token": body["root_token"]}
    tokens = []
    for tenant, value in (("team-a", A_SECRET), ("team-b", B_CANARY)):
        assert (await client.post(f"/v1/sys/namespaces/{tenant}", headers=root)).status_code == 200
        in_ns = {**root, "X-Vault-Namespace": tenant}
        await client.post(
            "/v1/sys/mounts/secret", json={"type": "kv", "options": {"version": "2"}}, headers=in_ns
        )
        await client.post("/v1/secret/data/db", json={"data": {"v": value}}, headers=in_ns)
        await client.put("/v1/sys/policies/acl/app", json={"policy": POLICY}, headers=in_ns)
        created = await client.post(
            "/v1/auth/token/create", json={"policies": ["app"]}, headers=in_ns
        )
        tokens.append(created.json()["auth"]["client_token"])
    return client, tokens[0], tokens[1]


def _targets_b(probe: Probe) -> bool:
    header = (probe.header or "").strip("/")
    return header == "team-b" or (not header and probe.segments[0] == "team-b")


def _as_missing(probe: Probe) -> Probe:
    """The same probe aimed at a namespace that does not exist."""
    if (probe.header or "").strip("/") == "team-b":
        return Probe(probe.method, "team-z", probe.segments, probe.trailing_slash)
    return Probe(probe.method, probe.header, ("team-z", *probe.segments[1:]), probe.trailing_slash)


async def _send(client: httpx.AsyncClient, token: str, probe: Probe) -> tuple[int, Any]:
    headers = {b"X-Vault-Token": token.encode()}
    if probe.header is not None:
        headers[b"X-Vault-Namespace"] = probe.header.encode()  # look-alikes travel as UTF-8
    body = {"data": {"v": "overwritten"}} if probe.method in ("POST", "PUT", "PATCH") else None
    if probe.method == "PATCH":
        headers[b"Content-Type"] = b"application/merge-patch+json"
    resp = await client.request(probe.method, "/v1/" + probe.path(), json=body, headers=headers)
    try:
        parsed = resp.json()
    except ValueError:
        parsed = resp.text
    if isinstance(parsed, dict):
        parsed.pop("request_id", None)
    assert resp.status_code < 500, (probe, resp.text)
    assert B_CANARY not in resp.text, probe
    return resp.status_code, parsed


async def _run(probes: list[Probe]) -> None:
    client, token_a, token_b = await _setup()
    try:
        for probe in probes:
            answer = await _send(client, token_a, probe)
            if _targets_b(probe):
                assert answer == await _send(client, token_a, _as_missing(probe)), probe
        as_b = {"X-Vault-Token": token_b, "X-Vault-Namespace": "team-b"}
        b_view = await client.get("/v1/secret/data/db", headers=as_b)
        assert b_view.json()["data"]["data"] == {"v": B_CANARY}  # unchanged
        assert b_view.json()["data"]["metadata"]["version"] == 1
        policy = await client.get("/v1/sys/policies/acl/app", headers=as_b)
        assert policy.json()["data"]["policy"] == POLICY
    finally:
        await client.aclose()


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(PROBES, min_size=100, max_size=100))
def test_tenant_a_never_reaches_tenant_b(probes: list[Probe]) -> None:
    asyncio.run(_run(probes))


# -- every route, with the other tenant's and the root's identifiers ----------------------------

# Case count: CI size by default; STRONGROOM_ISOLATION=nightly runs the nightly size.
CASES = 100_000 if os.environ.get("STRONGROOM_ISOLATION") == "nightly" else 10_000
TOKEN_KINDS = ("token", "admin_token", "wrapping_token")
ACCESSOR_KINDS = ("accessor", "admin_accessor", "wrapping_accessor")
FIXED = {
    "table": "mounts",
    "algorithm": "sha2-256",
    "bytes": "32",
    "source": "platform",
    "kind": "plaintext",
    "type": "encryption-key",
    "version": "1",
    "role": "app",
    "role_name": "app",
    "id": tenancy.MIGRATION_SLOT,
    "lease_id": tenancy.LEASE_SLOT,
    "prefix": tenancy.LEASE_SLOT,
}
# What differs between any two answers (random tokens, ids, ciphertexts), masked before comparing.
VOLATILE = re.compile(
    r'[A-Za-z0-9+/=._:-]{20,}|(?<="id": ")[A-Za-z0-9]{5}(?=")|(?<="accessor": ")[a-z]+_[0-9a-f]{8}'
)


@dataclass(frozen=True)
class RouteOp:
    table: str
    prefix: str  # the mount path, from the namespace
    pattern: str
    operation: Operation


def route_ops() -> list[RouteOp]:
    """Every (route, operation) of every route table in the package."""
    found: list[RouteOp] = []
    for name, router in tenancy.routes().items():
        mount = tenancy.MOUNTS.get(name, ("", "", {}))[0]
        for route in router.routes:
            found.extend(RouteOp(name, mount, route.pattern, op) for op in route.handlers)
    return found


@dataclass
class Case:
    route: RouteOp
    path: str
    target: str  # "team-b" or "root"
    serial: int
    token_kind: str
    accessor_kind: str
    lease_in_namespace: bool  # the lease id with its namespace's path in front
    foreign_caller: bool  # X-Vault-Token is the target's token, not the attacker's
    header_form: bool  # team-a named by X-Vault-Namespace, else by a path prefix


def _method(operation: Operation) -> str:
    return {"list": "LIST", "read": "GET", "delete": "DELETE", "patch": "PATCH"}.get(
        operation.value, "POST"
    )


def _cases(count: int) -> list[Case]:
    ops = [op for op in route_ops() if op.table in tenancy.MOUNTS]
    cases: list[Case] = []
    serial = 0
    while len(cases) < count:
        for op in ops:
            keep = serial % 2 == 0
            path = op.prefix + concrete(op.pattern, FIXED, keep=keep)
            if re.fullmatch(op.pattern, path[len(op.prefix) :]) is None:
                path = op.prefix + concrete(op.pattern, FIXED, keep=not keep)
            cases.append(
                Case(
                    op,
                    path,
                    # revoke-self probes only as team-b's token (as the attacker's, it ends the run)
                    "team-b" if op.pattern == "revoke-self" else ("team-b", "root")[serial % 2],
                    serial,
                    TOKEN_KINDS[serial // 2 % 3],
                    ACCESSOR_KINDS[serial // 6 % 3],
                    lease_in_namespace=serial // 18 % 2 == 1,
                    # (only team-b's tokens: the root's are an ancestor's, valid in team-a)
                    foreign_caller=op.pattern == "revoke-self"
                    or (serial % 2 == 0 and serial // 36 % 4 == 3),
                    header_form=serial // 3 % 2 == 0,
                )
            )
            serial += 1
    # Deletions last: they may remove team-a's own roles, which later probes name.
    return sorted(cases[:count], key=lambda c: c.route.operation is Operation.DELETE)


def _identifiers(world: tenancy.World, case: Case, *, missing: bool) -> dict[str, str]:
    target = world.tenants[case.target]
    real = target.identifiers()
    if missing:
        return dict(target.absent)
    if case.lease_in_namespace and target.name:
        real["lease_id"] = f"{target.name}/{real['lease_id']}"
    return real


async def _ask(
    world: tenancy.World, case: Case, ids: dict[str, str], attacker: str
) -> tuple[int, Any]:
    """`case` sent from namespace `attacker` (team-a with the target's identifiers, its twin
    team-c with look-alikes, so that what either stores never changes the other's answers)."""
    body: dict[str, Any] = {
        "token": ids[case.token_kind],
        "accessor": ids[case.accessor_kind],
        "lease_id": ids["lease_id"],
        "secret_id": ids["secret_id"],
        "secret_id_accessor": ids["secret_id_accessor"],
        "role_id": ids["role_id"],
        "paths": ["secret/data/db"],
        "increment": 60,
        **tenancy.CHEAP.get((case.route.table, case.route.pattern), {}),
    }
    fresh = f"probe{case.serial}"  # for the generic parts of the path (names of new things)
    path = re.sub(r"(?<=/)x(?=/|$)", fresh, case.path)
    path = path.replace(tenancy.MIGRATION_SLOT, ids["migration_id"])
    path = path.replace(tenancy.LEASE_SLOT, ids["lease_id"])
    own = world.tenants[attacker].admin_token
    # (as the caller, a token of team-b's that is not single-use: a use is spent on any path)
    headers = {"X-Vault-Token": ids["admin_token"] if case.foreign_caller else own}
    if case.header_form:
        headers["X-Vault-Namespace"] = attacker
    else:
        path = f"{attacker}/{path}"
    resp = await world.client.request(
        _method(case.route.operation), "/v1/" + path, json=body, headers=headers
    )
    assert resp.status_code < 500, (case, resp.text)
    text = resp.text.replace(attacker, "<attacker>")
    for kind, value in ids.items():
        text = text.replace(value, f"<{kind}>")
    target = world.tenants[case.target].identifiers().values()
    if tenancy.CANARY in text or any(value in text for value in target):
        return resp.status_code, "leaks the target's data or identifiers: " + text[:200]
    try:
        parsed: Any = json.loads(text) if text else None
    except ValueError:
        parsed = text
    if isinstance(parsed, dict):
        parsed.pop("request_id", None)
    return resp.status_code, VOLATILE.sub("<random>", json.dumps(parsed, sort_keys=True))


async def _sweep(count: int) -> tuple[set[RouteOp], list[str]]:
    world = await tenancy.World.build()
    covered: set[RouteOp] = set()
    failures: list[str] = []
    try:
        for case in _cases(count):
            real_ids = _identifiers(world, case, missing=False)
            foreign = await _ask(world, case, real_ids, "team-a")
            absent = await _ask(world, case, _identifiers(world, case, missing=True), "team-c")
            covered.add(case.route)
            if foreign != absent and len(failures) < 20:
                failures.append(
                    f"{_method(case.route.operation)} {case.path} ({case.target}): "
                    f"{foreign} != {absent}"
                )
        for label in ("root", "team-b"):
            gone = await world.still_there(label)
            if gone:
                failures.append(f"{label} lost {gone}")
    finally:
        await world.client.aclose()
    return covered, failures


@pytest.mark.slow
def test_every_route_answers_a_foreign_identifier_as_a_missing_one() -> None:
    covered, failures = asyncio.run(_sweep(CASES))
    assert not failures, "\n".join(failures)
    assert covered == {op for op in route_ops() if op.table in tenancy.MOUNTS}


def test_every_route_table_is_swept() -> None:
    """A new route table (a new engine, auth method or system router) must be mounted by the
    sweep (`support.tenancy.MOUNTS`) before this passes."""
    assert set(tenancy.routes()) == set(tenancy.MOUNTS)


# -- the existence oracle on paths that need no token -------------------------------------------

OPEN_BODIES: tuple[dict[str, str], ...] = (
    {},
    {"token": "hvs.nothing"},
    {"role_id": "r", "secret_id": "s"},
)


async def _open_paths(world: tenancy.World) -> list[tuple[str, str]]:
    """(method, path) of every route that answers without a token, in a namespace: the
    system's open routers and each mounted backend's `unauthenticated` patterns."""
    found: list[tuple[str, str]] = []
    for name in ("UNAUTHENTICATED", "WRAPPING"):
        router = tenancy.routes()[f"strongroom.core.system.backend.{name}"]
        for route in router.routes:
            path = "sys/" + concrete(route.pattern, FIXED, keep=True)
            found.extend((_method(op), path) for op in route.handlers)
    team_b = world.core.namespaces.by_path("team-b/")
    assert team_b is not None
    core = await world.core.scope(team_b)
    for mounted in core.mounts.mounted():
        for pattern in mounted.backend.unauthenticated:
            found.append(("POST", mounted.full_path + pattern.rstrip("*")))
            found.append(("GET", mounted.full_path + pattern.rstrip("*")))
    return [*found, ("GET", "sys/internal/ui/mounts")]


async def _answer(world: tenancy.World, method: str, url: str, body: Any, headers: Any) -> Any:
    resp = await world.client.request(method, url, json=body, headers=headers)
    return resp.status_code, re.sub(rb'"request_id":"[^"]*"', b"", resp.content)


async def _oracle() -> list[str]:
    world = await tenancy.World.build()
    differ: list[str] = []
    try:
        callers: tuple[dict[str, str], ...] = (
            {},
            {"X-Vault-Token": world.tenants["team-a"].admin_token},
        )
        for method, path in await _open_paths(world):
            for body in OPEN_BODIES:
                for caller in callers:
                    by_path = [
                        await _answer(world, method, f"/v1/{ns}/{path}", body, caller)
                        for ns in ("team-b", "team-zz")
                    ]
                    by_header = [
                        await _answer(
                            world, method, f"/v1/{path}", body, {**caller, "X-Vault-Namespace": ns}
                        )
                        for ns in ("team-b", "team-zz")
                    ]
                    for form, (real, absent) in (("path", by_path), ("header", by_header)):
                        if real != absent:
                            differ.append(f"{method} {path} {body} {form}: {real} != {absent}")
    finally:
        await world.client.aclose()
    return differ


def test_an_existing_namespace_answers_open_paths_like_a_missing_one() -> None:
    """Log-in and wrapping paths into team-b (exists) and team-zz (does not), from nobody and
    from team-a's admin: the same status and the same bytes, by path prefix and by header."""
    assert asyncio.run(_oracle()) == []
