"""Bad input to the rekey, verification, backup, generate-root-token and node paths is a 4xx,
never a 500, and never echoes what was sent (DESIGN.md invariant 11)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from support.inproc import Server

CANARY = "canary-c4n4ry-s3cr3t"
PATHS = [
    "sys/init",
    "sys/rekey/init",
    "sys/rekey/update",
    "sys/rekey/verify",
    "sys/rekey/backup",
    "sys/generate-root/attempt",
    "sys/generate-root-token/attempt",
    "sys/generate-root-token/update",
    "sys/decode-token",
    "sys/rotate/root/init",
    "sys/rotate/root/update",
    "sys/rotate/root/verify",
    "sys/ha-status",
    "sys/host-info",
]
FIELDS = [
    "pgp_keys",
    "root_token_pgp_key",
    "pgp_key",
    "backup",
    "require_verification",
    "key",
    "nonce",
    "otp",
    "encoded_token",
    "secret_shares",
]
VALUES: list[Any] = [CANARY, [CANARY], ["é" * 5, 3], {"a": CANARY}, 7, -1, True, None, "ab", "é"]


@pytest.mark.parametrize("path", PATHS)
async def test_no_bad_field_is_a_500_or_echoed(server: Server, path: str) -> None:
    for field, value, method in itertools.product(FIELDS, VALUES, ("PUT", "GET", "DELETE")):
        body = {"secret_shares": 2, "secret_threshold": 2, field: value}
        resp = await server.call(method, path, body)
        assert resp.status_code < 500, (path, field, value, resp.text)
        assert CANARY not in resp.text
    await server.call("DELETE", "sys/rekey/init", token=None)


async def test_decode_token_measures_the_otp_in_bytes(server: Server) -> None:
    body = {"encoded_token": "YWI=", "otp": "éé"}  # two characters, four bytes
    resp = await server.call("PUT", "sys/decode-token", body)
    assert resp.json() == {"errors": ["length of encoded token and otp do not match"]}
