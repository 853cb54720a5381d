"""The harness's only HTTP client code: Vault v1 API calls for setup, init and health polls.

A 4xx answer to a setup step means the server lacks the feature (`NotAvailable`); anything
else that goes wrong (5xx, a dropped connection) is an `httpx.HTTPError` and a real failure.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from typing import Any, Self

import httpx

__all__ = ["Api", "NotAvailable", "ServerDied", "wait_for_status"]


class NotAvailable(Exception):
    """The server answered a setup request with 4xx: the workload's feature is missing."""


class ServerDied(Exception):
    """The server process exited while the harness was waiting for it."""


class Api:
    """One server's v1 API, with a token (or none, for unauthenticated paths)."""

    def __init__(self, address: str, token: str = "") -> None:
        self.address = address
        self.token = token
        self._client = httpx.Client(base_url=address, timeout=60)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def with_token(self, token: str) -> Api:
        """A new client for the same server acting as `token` (close it when done)."""
        return Api(self.address, token)

    def call(self, method: str, path: str, body: object = None) -> dict[str, Any]:
        """`method` /v1/`path` with a JSON body; the JSON answer, or {} for 204.

        Raises NotAvailable on 4xx, httpx.HTTPStatusError on 5xx.
        """
        headers = {"X-Vault-Token": self.token} if self.token else {}
        response = self._client.request(method, f"/v1/{path}", json=body, headers=headers)
        if 400 <= response.status_code < 500:
            raise NotAvailable(f"{method} {path}: {response.status_code} {_errors(response)}")
        response.raise_for_status()
        return response.json() if response.content else {}

    def health(self) -> int | None:
        """Status code of GET sys/health, or None when nothing answers yet."""
        try:
            return self._client.get("/v1/sys/health", timeout=2).status_code
        except httpx.TransportError:
            return None


def wait_for_status(
    api: Api,
    accept: Callable[[int | None], bool],
    process: subprocess.Popen[bytes],
    timeout: float,
) -> int | None:
    """Poll sys/health until `accept(status)`; the status. Raises ServerDied or TimeoutError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerDied(f"{api.address}: server exited with {process.returncode}")
        status = api.health()
        if accept(status):
            return status
        time.sleep(0.02)
    raise TimeoutError(f"{api.address}: sys/health not ready within {timeout:.0f} s")


def _errors(response: httpx.Response) -> str:
    try:
        return "; ".join(str(e) for e in response.json().get("errors", []))[:200]
    except ValueError:
        return response.text[:200]
