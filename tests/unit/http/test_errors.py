"""Errors become responses in one place: the client gets the fixed message, the operator log gets
the reason kept from it, under the request's id (STYLE.md habit 4; the log line of a 4xx is
what lets an operator answer "why was this log-in refused?")."""

from __future__ import annotations

import logging

import pytest

from support.inproc import Server


async def _refused_login(server: Server) -> tuple[int, object, str]:
    """Status and body of an AppRole log-in with an unknown secret ID, and that secret ID."""
    resp = await server.call("POST", "sys/auth/approle", {"type": "approle"})
    assert resp.status_code == 204, resp.text
    resp = await server.call("POST", "auth/approle/role/web", {"token_policies": "default"})
    assert resp.status_code == 204, resp.text
    role_id = (await server.call("GET", "auth/approle/role/web/role-id")).json()["data"]["role_id"]
    wrong = "c0ffee00-dead-4bad-8bad-feedfacecafe"
    resp = await server.call("POST", "auth/approle/login", {"role_id": role_id, "secret_id": wrong})
    return resp.status_code, resp.json(), wrong


async def test_a_refused_login_logs_its_reason_with_the_request_id(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="strongroom"):
        status, body, wrong = await _refused_login(server)
    assert (status, body) == (400, {"errors": ["invalid role or secret ID"]})
    access = [r for r in caplog.records if r.name == "strongroom.access"][-1]
    request_id = access.getMessage().split(" ", 1)[0]
    reasons = [r for r in caplog.records if r.name == "strongroom.http"]
    assert [(r.levelno, r.getMessage()) for r in reasons] == [
        (logging.INFO, f"request {request_id}: approle: no such secret ID for the role")
    ]
    assert not [r for r in caplog.records if wrong in r.getMessage()]
