"""A server with the OIDC harness mounted at `identity-oidc/`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from support.api import running
from support.oidc import HARNESS, harness_catalogue
from unit.engines.identity.oidc.oidc_api import OidcApi


@pytest.fixture
async def api() -> AsyncIterator[OidcApi]:
    async with running(backends=harness_catalogue()) as server:
        client = OidcApi(server)
        await client.enable(HARNESS)
        yield client
