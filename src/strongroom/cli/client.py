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
        try:
            response = self._http.request(method, path, json=body)
        except httpx.HTTPError as exc:
            raise UnreachableError(f"cannot reach {self.address}: {exc}") from None
        if response.status_code >= 400:
            raise _api_error(method, self.address + path, response)
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


def _api_error(method: str, url: str, response: httpx.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = None
    errors = body.get("errors") if isinstance(body, dict) else None
    messages = [str(e) for e in errors] if isinstance(errors, list) else []
    # A proxy's HTML page can be long; the first lines are enough to recognise it.
    return ApiError(method, url, response.status_code, messages, response.text[:500])
