"""The CLI's only network code: a small synchronous Vault-API client over httpx.

Address and token follow Vault's CLI: `-address`, else STRONGROOM_ADDR, else VAULT_ADDR, else
http://127.0.0.1:8200; the token comes from STRONGROOM_TOKEN, else VAULT_TOKEN, and travels
as `X-Vault-Token`. A CA bundle for https addresses comes from STRONGROOM_CACERT / VAULT_CACERT.
"""

from __future__ import annotations

import os
import ssl
from types import TracebackType
from typing import Any, Self

import httpx

from strongroom.cli.errors import USAGE, ApiError, CommandError, UnreachableError

__all__ = ["DEFAULT_ADDRESS", "Client", "connect", "payload"]

DEFAULT_ADDRESS = "http://127.0.0.1:8200"
ADDRESS_ENV = ("STRONGROOM_ADDR", "VAULT_ADDR")
TOKEN_ENV = ("STRONGROOM_TOKEN", "VAULT_TOKEN")
CACERT_ENV = ("STRONGROOM_CACERT", "VAULT_CACERT")
# Unseal and rekey can wait on the storage backend; Vault's CLI default is 60 seconds.
TIMEOUT = 60.0
MERGE_PATCH = "application/merge-patch+json"


def _env(names: tuple[str, ...]) -> str | None:
    return next((os.environ[n] for n in names if os.environ.get(n)), None)


def connect(address: str | None) -> Client:
    """A client for `address` (or the environment's), with the environment's token.

    Raises CommandError if the token could not travel in a header: httpx would otherwise fail
    later with a message that quotes the header, and so the token."""
    token = _env(TOKEN_ENV)
    if token is not None and not (token.isascii() and token.isprintable()):
        raise CommandError("the token in the environment is not printable ASCII", exit_code=USAGE)
    return Client(address or _env(ADDRESS_ENV) or DEFAULT_ADDRESS, token)


class Client:
    def __init__(self, address: str, token: str | None, *, timeout: float = TIMEOUT) -> None:
        cafile = _env(CACERT_ENV)
        verify: ssl.SSLContext | bool = (
            ssl.create_default_context(cafile=cafile) if cafile else True
        )
        headers = {"X-Vault-Token": token} if token else {}
        self.address = address.rstrip("/")
        self._http = httpx.Client(
            base_url=self.address, headers=headers, timeout=timeout, verify=verify
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._http.close()

    def get(self, path: str) -> dict[str, Any]:
        return self.request("GET", path) or {}

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None
    ) -> dict[str, Any] | None:
        """The JSON body of the response (None for 204). Raises ApiError on an error status
        and UnreachableError if the server cannot be reached."""
        response = self._send(method, path, body)
        if response.status_code >= 400:
            raise _api_error(method, self.address + path, response)
        return self._decode(method, path, response)

    def read(self, path: str) -> dict[str, Any] | None:
        """GET `path`; None for a 404 without a body (Vault's "No value found"). A 404 that
        carries `data` (a deleted KV version) is returned like a success, as Vault's API does."""
        response = self._send("GET", path, None)
        if response.status_code == 404:
            found = _json(response)
            if isinstance(found, dict) and (found.get("data") or found.get("warnings")):
                return found
            return None
        if response.status_code >= 400:
            raise _api_error("GET", self.address + path, response)
        return self._decode("GET", path, response)

    def list(self, path: str) -> dict[str, Any] | None:
        """LIST `path`; None where there is nothing to list (a 404), as in Vault's API."""
        response = self._send("LIST", path, None)
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            raise _api_error("LIST", self.address + path, response)
        return self._decode("LIST", path, response)

    def patch(self, path: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """PATCH `path` with a JSON merge patch (RFC 7386), as KV v2 requires."""
        response = self._send("PATCH", path, body, content_type=MERGE_PATCH)
        if response.status_code >= 400:
            raise _api_error("PATCH", self.address + path, response)
        return self._decode("PATCH", path, response)

    def _send(
        self, method: str, path: str, body: dict[str, Any] | None, content_type: str = ""
    ) -> httpx.Response:
        headers = {"Content-Type": content_type} if content_type else None
        try:
            return self._http.request(method, path, json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise UnreachableError(f"cannot reach {self.address}: {exc}") from None

    def _decode(self, method: str, path: str, response: httpx.Response) -> dict[str, Any] | None:
        if response.status_code == 204 or not response.content:
            return None
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            raise CommandError(f"unexpected response from {method} {self.address + path}")
        return data


def payload(response: dict[str, Any]) -> dict[str, Any]:
    """The response's `data` object where Vault wraps one, else the response itself."""
    data = response.get("data")
    return data if isinstance(data, dict) else response


def _json(response: httpx.Response) -> object:
    try:
        return response.json()
    except ValueError:
        return None


def _api_error(method: str, url: str, response: httpx.Response) -> ApiError:
    body = _json(response)
    errors = body.get("errors") if isinstance(body, dict) else None
    messages = [str(e) for e in errors] if isinstance(errors, list) else []
    # A proxy's HTML page can be long; the first lines are enough to recognise it.
    return ApiError(method, url, response.status_code, messages, response.text[:500])
