"""hvac's `secrets.identity` OIDC calls, exactly as its docs show them, against the harness
(hvac speaks `requests`, so a requests adapter hands each call to the in-process server on an
event loop of its own thread)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import Future
from typing import Any

import hvac
import pytest
import requests
from requests.adapters import BaseAdapter

from support.api import running
from support.inproc import Server
from support.oidc import HARNESS, Entity, entity_token, harness, harness_catalogue
from unit.engines.identity.oidc.oidc_api import verified

# hvac puts `/oidc/` after its mount point: the harness at `hv/oidc/` answers `hv`'s calls
# as the identity mount will answer `identity`'s.
MOUNT = "hv"


class InProcess(BaseAdapter):
    """Sends each `requests` call to the in-process server running on `loop`."""

    def __init__(self, server: Server, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.server, self.loop = server, loop

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,  # noqa: ARG002 - the body comes whole
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,  # noqa: ARG002
        verify: bool | str = True,  # noqa: ARG002 - no TLS in process
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,  # noqa: ARG002
        proxies: Mapping[str, str] | None = None,  # noqa: ARG002
    ) -> requests.Response:
        call = self.server.client.request(
            str(request.method),
            str(request.url),
            content=request.body,
            headers=dict(request.headers),
        )
        answer = asyncio.run_coroutine_threadsafe(call, self.loop).result(timeout=30)
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers.update(answer.headers)
        response.url, response.request = str(request.url), request
        return response

    def close(self) -> None:
        """Nothing pooled to release."""


class Served:
    """A server on a background thread's loop, with an hvac client that reaches it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._started: Future[Server] = Future()
        self._stop = asyncio.Event()
        self.thread = threading.Thread(target=self.loop.run_until_complete, args=(self._run(),))
        self.thread.start()
        self.server = self._started.result(timeout=60)

    async def _run(self) -> None:
        async with running(backends=harness_catalogue()) as server:
            mounted = await server.call("POST", f"sys/mounts/{MOUNT}/oidc", {"type": HARNESS})
            assert mounted.status_code == 204, mounted.text
            self._started.set_result(server)
            await self._stop.wait()

    def run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)

    def client(self, token: str) -> hvac.Client:
        session = requests.Session()
        session.mount("http://sr/", InProcess(self.server, self.loop))
        return hvac.Client(url="http://sr", token=token, session=session)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self._stop.set)
        self.thread.join(timeout=30)
        self.loop.close()


@pytest.fixture
def served() -> Iterator[Served]:
    found = Served()
    yield found
    found.close()


def test_hvac_identity_oidc_calls(served: Served) -> None:
    root = served.client(served.server.root_token)
    oidc = root.secrets.identity
    oidc.configure_tokens_backend(issuer="https://vault.example:8200", mount_point=MOUNT)
    config = oidc.read_tokens_backend_configuration(mount_point=MOUNT)
    assert config["data"] == {"issuer": "https://vault.example:8200"}
    oidc.create_named_key(
        name="k",
        rotation_period="1h",
        verification_ttl="1h",
        allowed_client_ids=["*"],
        algorithm="ES256",
        mount_point=MOUNT,
    )
    assert oidc.read_named_key(name="k", mount_point=MOUNT)["data"]["algorithm"] == "ES256"
    assert "k" in oidc.list_named_keys(mount_point=MOUNT)["data"]["keys"]
    oidc.rotate_named_key(name="k", verification_ttl="30m", mount_point=MOUNT)
    oidc.create_or_update_role(
        name="r",
        key="k",
        template='{"who": {{identity.entity.name}}}',
        ttl="30m",
        mount_point=MOUNT,
    )
    role = oidc.read_role(name="r", mount_point=MOUNT)["data"]
    assert oidc.list_roles(mount_point=MOUNT)["data"]["keys"] == ["r"]

    async def bearer() -> str:
        (await harness(served.server, f"{MOUNT}/oidc/")).directory.add(Entity(id="e1", name="bob"))
        return await entity_token(served.server, "e1")

    as_bob = served.client(served.run(bearer())).secrets.identity
    minted = as_bob.generate_signed_id_token(name="r", mount_point=MOUNT)["data"]
    assert minted["client_id"] == role["client_id"]
    introspected = oidc.introspect_signed_id_token(
        token=minted["token"], client_id=role["client_id"], mount_point=MOUNT
    )
    assert introspected == {"active": True}
    discovery = oidc.read_well_known_configurations(mount_point=MOUNT)
    assert discovery["issuer"] == "https://vault.example:8200/v1/identity/oidc"
    jwks = oidc.read_active_public_keys(mount_point=MOUNT)
    claims = verified(minted["token"], jwks, role["client_id"], served.server.clock.now())
    assert claims["who"] == "bob"
    oidc.delete_role(name="r", mount_point=MOUNT)
    oidc.delete_named_key(name="k", mount_point=MOUNT)
    with pytest.raises(hvac.exceptions.InvalidPath):
        oidc.read_named_key(name="k", mount_point=MOUNT)
