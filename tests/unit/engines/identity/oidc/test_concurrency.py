"""Races: two background rounds (two workers) rotate a due key once, and one code redeemed
twice at once earns tokens once (storage that yields between read and write, so the checked
writes are what decides)."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator

import pytest

from support.api import YieldingBackend, running
from support.oidc import HARNESS, Entity, harness, harness_catalogue
from unit.engines.identity.oidc.oidc_api import MOUNT, OidcApi

REDIRECT = "http://127.0.0.1:9999/cb"


@pytest.fixture
async def racing() -> AsyncIterator[OidcApi]:
    async with running(YieldingBackend(), backends=harness_catalogue()) as server:
        client = OidcApi(server)
        await client.enable(HARNESS)
        yield client


async def test_two_rounds_rotate_a_due_key_once(racing: OidcApi) -> None:
    await racing.key("k", allowed_client_ids="*", rotation_period="1m", verification_ttl="1m")
    await racing.role("r", key="k", ttl="1m")
    before = len((await racing.jwks())["keys"])
    racing.server.clock.advance(61)
    backend = await harness(racing.server)
    await asyncio.gather(backend.tick(), backend.tick(), backend.tick())
    assert len((await racing.jwks())["keys"]) == before + 1  # one new next key, not three


async def test_a_code_is_redeemed_once_under_a_race(racing: OidcApi) -> None:
    await racing.expect(
        "POST", "client/app", {"redirect_uris": REDIRECT, "assignments": "allow_all"}, 204
    )
    client = (await racing.get("client/app"))["data"]
    bearer = await racing.add_entity(Entity(id="e1", name="bob"))
    query = {
        "client_id": client["client_id"],
        "scope": "openid",
        "redirect_uri": REDIRECT,
        "response_type": "code",
    }
    code = (await racing.expect("POST", "provider/default/authorize", query, token=bearer))["code"]
    basic = base64.b64encode(f"{client['client_id']}:{client['client_secret']}".encode()).decode()
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}

    async def redeem() -> int:
        resp = await racing.server.call(
            "POST",
            f"{MOUNT}/provider/default/token",
            exchange,
            token=None,
            headers={"Authorization": f"Basic {basic}"},
        )
        return resp.status_code

    assert sorted(await asyncio.gather(*(redeem() for _ in range(4)))) == [200, 400, 400, 400]
