"""Fixtures for the transit engine: a server with transit mounted at `transit/`, and one whose
mount has a small AES-GCM nonce budget (`nonce_rotation_threshold`)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from support.api import running
from unit.engines.transit.transit_api import Api


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    async with running() as server:
        client = Api(server)
        await client.mount_engine()
        yield client


@pytest.fixture
async def small_budget() -> AsyncIterator[Api]:
    async with running() as server:
        client = Api(server)
        await client.mount_engine({"nonce_rotation_threshold": "10"})
        yield client
