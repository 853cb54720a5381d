"""Bad input is a 4xx, never a 500, and never echoes a secret (DESIGN.md invariant 11)."""

from __future__ import annotations

import asyncio
import json

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strongroom.http.app import App
from support.inproc import make_core

CANARY = "canary-c4n4ry-s3cr3t"
METHODS = st.sampled_from(["GET", "HEAD", "LIST", "POST", "PUT", "DELETE", "PATCH", "FOO"])
SEGMENTS = st.sampled_from(
    [
        "sys",
        "mounts",
        "auth",
        "tune",
        "init",
        "unseal",
        "seal",
        "health",
        "rekey",
        "update",
        "generate-root",
        "attempt",
        "internal",
        "ui",
        "remount",
        "status",
        "metrics",
        "secret",
        "token",
        "lookup-self",
        "key-status",
        "rotate",
        "..",
        "%00",
        "",
    ]  # no canary in paths: like Vault, errors may name the path, which is not a secret
)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.just(CANARY),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = st.sampled_from(
    [
        "type",
        "description",
        "config",
        "options",
        "key",
        "reset",
        "nonce",
        "secret_shares",
        "secret_threshold",
        "from",
        "to",
        "otp",
        "default_lease_ttl",
        "max_lease_ttl",
        "local",
        "listing_visibility",
        "pgp_key",
        "format",
    ]
)
BODIES = st.one_of(
    st.dictionaries(FIELDS, JSON_VALUES, max_size=4).map(lambda d: json.dumps(d).encode()),
    st.binary(max_size=64),
    st.just(b"{" + CANARY.encode()),
)


async def _send(
    client: httpx.AsyncClient, method: str, path: str, body: bytes, token: bool
) -> httpx.Response:
    headers = {"X-Vault-Token": "hvs.root-token-for-fuzzing0"} if token else {}
    if method == "PATCH":
        headers["Content-Type"] = "application/merge-patch+json"
    return await client.request(method, path, content=body, headers=headers)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=METHODS,
    segments=st.lists(SEGMENTS, min_size=1, max_size=5),
    query=st.sampled_from(
        ["", "?list=true", "?activecode=abc", "?sealedcode=99999", "?format=prometheus", "?x=1&x=2"]
    ),
    body=BODIES,
    token=st.booleans(),
    unsealed=st.booleans(),
)
def test_no_input_yields_500_or_echoes_a_secret(
    method: str, segments: list[str], query: str, body: bytes, token: bool, unsealed: bool
) -> None:
    async def scenario() -> None:
        core = make_core()
        if unsealed:
            _keys, _root = await core.initialize(1, 1, "hvs.root-token-for-fuzzing0")
            await core.keeper.publish((await core.seal.open(_keys[0])).reveal())
        transport = httpx.ASGITransport(app=App(core))
        async with httpx.AsyncClient(transport=transport, base_url="http://sr") as client:
            resp = await _send(client, method, "/v1/" + "/".join(segments) + query, body, token)
        assert resp.status_code < 500 or resp.status_code == 503, (resp.status_code, resp.text)
        if resp.status_code >= 400:
            assert CANARY not in resp.text
            assert resp.headers["content-type"] == "application/json"

    asyncio.run(scenario())
