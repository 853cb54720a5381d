"""The real RabbitMQ broker for the rabbitmq engine's tests, through its management HTTP API.

The broker listens on 5672 with the default guest/guest account; the management plugin (port
15672) may be off: `ensure_management` turns it on (`rabbitmq-plugins enable`, which talks to
the running node) and waits, bounded, until the API answers. Without a broker the test is
skipped, or fails under CI=true (`support.inproc.service_missing`).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from dataclasses import dataclass, field
from urllib.parse import quote

import httpx

from support.inproc import service_missing

MANAGEMENT_URL = os.environ.get("STRONGROOM_TEST_RABBITMQ_URL", "http://127.0.0.1:15672")
GUEST = ("guest", "guest")
WAIT_SECONDS = 60.0
_ready = False


def _answers() -> bool:
    try:
        resp = httpx.get(MANAGEMENT_URL + "/api/overview", auth=GUEST, timeout=2.0)
    except httpx.HTTPError:
        return False
    return resp.status_code == 200


def ensure_management() -> str:
    """The management API's base URL, once it answers as guest (enabling the plugin if need
    be); skips the test (fails it under CI=true) when it cannot be had within WAIT_SECONDS."""
    global _ready  # noqa: PLW0603 - one check per test process
    if _ready or _answers():
        _ready = True
        return MANAGEMENT_URL
    try:
        done = subprocess.run(
            ["rabbitmq-plugins", "enable", "rabbitmq_management"],
            capture_output=True,
            timeout=WAIT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        service_missing(f"cannot enable the RabbitMQ management plugin: {exc}")
        raise
    if done.returncode != 0:
        service_missing(
            "cannot enable the RabbitMQ management plugin (is the broker running, as root?): "
            + done.stderr.decode(errors="replace").strip()[-300:]
        )
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if _answers():
            _ready = True
            return MANAGEMENT_URL
        time.sleep(1.0)
    service_missing(f"RabbitMQ management API not answering at {MANAGEMENT_URL}")
    raise AssertionError("unreachable")


def seg(value: str) -> str:
    return quote(value, safe="")


@dataclass
class Broker:
    """The management API as guest, with what a test made there (removed by `cleanup`)."""

    url: str
    users: set[str] = field(default_factory=set)
    vhosts: set[str] = field(default_factory=set)

    def get(self, path: str, auth: tuple[str, str] = GUEST) -> httpx.Response:
        return httpx.get(self.url + path, auth=auth, timeout=10.0)

    def user_exists(self, name: str) -> bool:
        resp = self.get(f"/api/users/{seg(name)}")
        assert resp.status_code in (200, 404), resp.text
        return resp.status_code == 200

    def make_vhost(self) -> str:
        name = f"sr-test-{secrets.token_hex(4)}"
        resp = httpx.put(f"{self.url}/api/vhosts/{seg(name)}", auth=GUEST, timeout=10.0)
        assert resp.status_code in (201, 204), resp.text
        self.vhosts.add(name)
        return name

    def cleanup(self) -> None:
        for user in self.users:
            httpx.delete(f"{self.url}/api/users/{seg(user)}", auth=GUEST, timeout=10.0)
        for vhost in self.vhosts:
            httpx.delete(f"{self.url}/api/vhosts/{seg(vhost)}", auth=GUEST, timeout=10.0)
