"""RabbitMQ's management HTTP API, the few calls the engine makes (what Vault's rabbit-hole does).

Every failure becomes a `RabbitMqError` (400) whose text never holds a password: messages are
built here from the status code and the broker's `reason`, then every secret the caller knows
of (the admin password, a generated one) is replaced by `[password]`.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

import httpx

from strongroom.engines.rabbitmq.models import Connection, TopicPermission, VhostPermission
from strongroom.errors import BadRequest
from strongroom.secret import scrubbed

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
_REASON_MAX = 300


class RabbitMqError(BadRequest):
    """400: the broker refused or could not be reached; the message is sanitized."""


def _seg(value: str) -> str:
    """One path segment of the management API (`/` is the default vhost: `%2F`)."""
    return quote(value, safe="")


class Management:
    """An open session with the management API as the configured administrator."""

    def __init__(self, conn: Connection, hidden: Iterable[str] = ()) -> None:
        self._base = conn.connection_uri.rstrip("/")
        self._hidden = [s for s in (conn.password, *hidden) if s]
        self._client = httpx.AsyncClient(auth=(conn.username, conn.password), timeout=TIMEOUT)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        _kind: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        await self._client.aclose()

    async def verify(self) -> None:
        """Vault checks that the administrator can list users."""
        await self._call("GET", "/api/users", None, "failed to validate the connection")

    async def put_user(self, name: str, password: str, tags: str) -> None:
        body = {"password": password, "tags": tags}
        await self._call("PUT", f"/api/users/{_seg(name)}", body, f"error creating user {name}")

    async def put_permissions(self, vhost: str, user: str, perm: VhostPermission) -> None:
        body = {"configure": perm.configure, "write": perm.write, "read": perm.read}
        path = f"/api/permissions/{_seg(vhost)}/{_seg(user)}"
        await self._call("PUT", path, body, f"error updating vhost permissions for {vhost}")

    async def put_topic_permissions(
        self, vhost: str, user: str, exchange: str, perm: TopicPermission
    ) -> None:
        body = {"exchange": exchange, "write": perm.write, "read": perm.read}
        path = f"/api/topic-permissions/{_seg(vhost)}/{_seg(user)}"
        await self._call(
            "PUT", path, body, f"error updating vhost permissions for {vhost} - {exchange}"
        )

    async def delete_user(self, name: str) -> None:
        """Idempotent: a user that is already gone counts as deleted."""
        await self._call(
            "DELETE", f"/api/users/{_seg(name)}", None, f"error deleting user {name}", ok=(404,)
        )

    async def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        what: str,
        ok: tuple[int, ...] = (),
    ) -> None:
        try:
            resp = await self._client.request(method, self._base + path, json=body)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise self._error(f"{what}: {type(exc).__name__}: {exc}") from None
        if resp.is_success or resp.status_code in ok:
            return
        raise self._error(f"{what}: {resp.status_code}: {_reason(resp)}")

    def _error(self, message: str) -> RabbitMqError:
        return RabbitMqError(scrubbed(message, self._hidden))


def _reason(resp: httpx.Response) -> str:
    """The broker's `reason` (or `error`), else the start of the body."""
    try:
        data = resp.json()
    except ValueError:
        return resp.text[:_REASON_MAX]
    if isinstance(data, dict):
        found = data.get("reason") or data.get("error") or ""
        return str(found)[:_REASON_MAX]
    return ""
