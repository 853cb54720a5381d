"""The Vault wire shape: envelopes, headers, methods and every malformed-input path."""

from __future__ import annotations

import pytest

from support.inproc import Server

SECRET = "canary-Sup3rS3cret-value"


async def test_envelope_and_headers(server: Server) -> None:
    resp = await server.call("GET", "sys/mounts")
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/json"
    assert resp.headers["cache-control"] == "no-store"
    body = resp.json()
    for field in ("request_id", "lease_id", "renewable", "lease_duration", "wrap_info", "auth"):
        assert field in body
    assert body["data"]["sys/"]["type"] == "system"
    assert body["sys/"] == body["data"]["sys/"]  # Vault's legacy top-level copy


async def test_no_content_is_204_without_body(server: Server) -> None:
    resp = await server.call("POST", "sys/mounts/kv1", {"type": "kv"})
    assert (resp.status_code, resp.content) == (204, b"")
    assert resp.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("token", "expected"),
    [(None, 403), ("hvs.notarealtoken000000000000", 403), ("", 403)],
)
async def test_missing_or_bad_token_is_403(
    server: Server, token: str | None, expected: int
) -> None:
    resp = await server.call("GET", "sys/mounts", token=token)
    assert resp.status_code == expected
    assert resp.json() == {"errors": ["permission denied"]}


async def test_bearer_token_accepted(server: Server) -> None:
    headers = {"Authorization": f"Bearer {server.root_token}"}
    resp = await server.call("GET", "sys/mounts", token=None, headers=headers)
    assert resp.status_code == 200


async def test_list_verb_and_query_flag_are_the_same(server: Server) -> None:
    # Vault appends "/" to a LIST path, so sys/mounts/ matches no route: 404, not 405.
    by_verb = await server.call("LIST", "sys/mounts")
    by_query = await server.call("GET", "sys/mounts?list=true")
    assert by_verb.status_code == by_query.status_code == 404


@pytest.mark.parametrize(
    "payload",
    [b"{bad", b"[1,2]", b'"just a string"', b"\xff\xfe", ('{"type": "' + SECRET).encode()],
)
async def test_malformed_bodies_are_400_and_never_echo(server: Server, payload: bytes) -> None:
    resp = await server.call("POST", "sys/mounts/x", content=payload)
    assert resp.status_code == 400
    assert resp.headers["content-type"] == "application/json"
    assert SECRET not in resp.text
    assert resp.json()["errors"]


async def test_wrong_field_type_names_field_not_value(server: Server) -> None:
    resp = await server.call("POST", "sys/mounts/x", {"type": {"nested": SECRET}})
    assert resp.status_code == 400
    assert "type" in resp.json()["errors"][0]
    assert SECRET not in resp.text


async def test_unknown_method_is_405(server: Server) -> None:
    resp = await server.call("FOO", "sys/mounts")
    assert resp.status_code == 405
    assert resp.json() == {"errors": []}


async def test_every_response_carries_hsts(server: Server) -> None:
    for resp in (
        await server.call("GET", "sys/health", token=None),
        await server.call("GET", "sys/mounts", token=None),
        await server.call("POST", "sys/mounts/x", {"type": "kv"}),
    ):
        assert resp.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


async def test_malformed_health_code_is_400_with_no_message(server: Server) -> None:
    resp = await server.call("GET", "sys/health?activecode=abc", token=None)
    assert (resp.status_code, resp.json()) == (400, {"errors": []})


async def test_patch_needs_merge_patch_content_type(server: Server) -> None:
    resp = await server.call("PATCH", "sys/mounts/x", {"a": 1})
    assert resp.status_code == 415


async def test_outside_v1_is_404(server: Server) -> None:
    resp = await server.client.get("/foo")
    assert resp.status_code == 404
    assert resp.headers["content-type"] == "application/json"


async def test_unrouted_path_is_404(server: Server) -> None:
    resp = await server.call("GET", "nonexistent/path")
    assert resp.status_code == 404


async def test_body_over_32_mib_is_413(server: Server) -> None:
    resp = await server.call("POST", "sys/mounts/x", content=b" " * (32 * 1024 * 1024 + 1))
    assert resp.status_code == 413
    assert resp.json() == {"errors": ["http: request body too large"]}


async def test_unknown_namespace_answers_like_a_forbidden_one(server: Server) -> None:
    resp = await server.call("GET", "sys/mounts", headers={"X-Vault-Namespace": "team-a"})
    assert resp.status_code == 403
    assert resp.json() == {"errors": ["permission denied"]}
