"""Tenant isolation, by property (the tenancy issue's done-when): 10,000 generated requests from
tenant A's token, with path tricks (`..`, `%2e%2e`, `//`, trailing `/`, case and Unicode
look-alikes, glob characters) and namespace headers and prefixes mixed, never read, list, change
or reveal tenant B's data; and a request aimed at B's (existing) namespace answers exactly like
the same request aimed at a namespace that does not exist."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strongroom.http.app import App
from support.inproc import make_core

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
