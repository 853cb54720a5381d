"""The ASGI application: one thin function from HTTP to the core and back.

No framework sits on the request path (the foundation issue measured FastAPI at a fifth of raw
ASGI); JSON goes through msgspec. Every response carries `Cache-Control: no-store` and exactly
`Content-Type: application/json` (hvac compares the string).
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import msgspec

from strongroom.core.core import Core
from strongroom.core.quotas import QuotaExceeded
from strongroom.core.request import Operation, Request, Response
from strongroom.errors import PayloadTooLarge, RawRefusal
from strongroom.http import parse
from strongroom.http.errors import envelope, error_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

access_log = logging.getLogger("strongroom.access")
startup_log = logging.getLogger("strongroom.server")
_JSON = b"application/json"
# Vault and OpenBao send this on every API response, TLS or not.
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
_encode = msgspec.json.Encoder().encode
# The header by which our own TLS front (`server/tls_front.py`) hands on the certificate chain
# the client presented: base64 DER certificates, leaf first, comma separated. Read only from a
# front that is the one way in (`client_chain_header`); dropped from every other request, so a
# client that sends it is never believed and it never reaches the core or an audit entry.
CLIENT_CHAIN_HEADER = "x-strongroom-client-chain"
CLIENT_ADDR_HEADER = "x-strongroom-client-addr"  # the client's address, from the same front


class App:
    """ASGI app over a `Core`. `startup`/`shutdown` run on the ASGI lifespan events."""

    def __init__(
        self,
        core: Core | None = None,
        *,
        startup: Callable[[], Awaitable[Core]] | None = None,
        shutdown: Callable[[], Awaitable[None]] | None = None,
        client_chain_header: bool = False,
    ) -> None:
        self.core = core
        self._chain_header = client_chain_header
        self._startup = startup
        self._shutdown = shutdown

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if not await self._start(send):
                    return
            elif message["type"] == "lifespan.shutdown":
                if self._shutdown is not None:
                    await self._shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _start(self, send: Send) -> bool:
        """Run the startup hook; whether it succeeded, as the lifespan protocol reports it."""
        try:
            if self._startup is not None:
                self.core = await self._startup()
        except Exception:  # noqa: BLE001 - whatever failed, this worker has no core to serve
            # Said on the protocol (ASGI lifespan spec), the server stops the worker; raised,
            # granian logs "continuing without Lifespan support" and serves 500s without a core.
            startup_log.exception("worker startup failed")
            await send({"type": "lifespan.startup.failed", "message": "worker startup failed"})
            return False
        await send({"type": "lifespan.startup.complete"})
        return True

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = _request_id()
        method: str = scope["method"]
        extra: tuple[tuple[bytes, bytes], ...] = ()
        try:
            headers = {
                k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
            }
            peer = _peer(scope, headers, behind_front=self._chain_header)
            raw = await _read_body(receive, headers)
            request = _build(scope, method, headers, raw, request_id, peer)
            assert self.core is not None  # noqa: S101 - set at lifespan startup
            response = await self.core.handle(request)
            status, payload, content_type = _render(response, request_id)
        except RawRefusal as refused:  # its protocol's own error body (OCSP)
            status, payload = refused.status, refused.body
            content_type = refused.content_type.encode()
        except Exception as exc:  # noqa: BLE001 - every failure is mapped in one place
            status, body = error_body(exc, request_id)
            payload, content_type = _encode(body), _JSON
            if isinstance(exc, QuotaExceeded):
                extra = exc.headers  # X-Ratelimit-*, when sys/quotas/config enables them
        # Debug level: the audit log is the record of requests; an info line per request
        # would cost more than a whole no-op request (measured: 58 -> 97 CPU-us).
        access_log.debug("%s %s %s %d", request_id, method, scope["path"], status)
        await _send(send, status, b"" if method == "HEAD" else payload, content_type, extra)


def _request_id() -> str:
    """A random (version 4) UUID string; uuid.UUID's constructor costs five times as much."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40
    raw[8] = raw[8] & 0x3F | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _peer(
    scope: Scope, headers: dict[str, str], *, behind_front: bool
) -> tuple[str, tuple[bytes, ...]]:
    """The client's address and certificate chain: from our TLS front's headers when it is the
    way in, else the connection's address and no chain. The headers leave `headers` either way."""
    chain = headers.pop(CLIENT_CHAIN_HEADER, "")
    address = headers.pop(CLIENT_ADDR_HEADER, "")
    if behind_front:
        return address, _client_chain(chain)
    client = scope.get("client")
    return (client[0] if client else ""), ()


def _client_chain(value: str) -> tuple[bytes, ...]:
    """The chain our TLS front passed on (none when it sent none)."""
    if not value:
        return ()
    try:
        return tuple(base64.b64decode(part, validate=True) for part in value.split(","))
    except ValueError:  # binascii.Error, or not ASCII
        return ()  # the front writes it; unreadable means no certificate, never a guess


def _build(
    scope: Scope,
    method: str,
    headers: dict[str, str],
    raw: bytes,
    request_id: str,
    peer: tuple[str, tuple[bytes, ...]],
) -> Request:
    query = parse.query(scope.get("query_string", b""))
    op = parse.operation(method, query)
    data = parse.body(raw, method, headers.get("content-type", ""))
    if method in ("GET", "HEAD", "LIST") and not data:
        data = query
    path = parse.logical_path(scope["path"])
    if op is Operation.LIST and not path.endswith("/"):
        path += "/"  # Vault's HTTP layer does the same, so list routes end in a slash
    return Request(
        id=request_id,
        operation=op,
        path=path,
        data=data,
        namespace=parse.namespace(headers),
        token=parse.token(headers),
        remote_addr=peer[0],
        headers=headers,
        client_chain=peer[1],
    )


async def _read_body(receive: Receive, headers: dict[str, str]) -> bytes:
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > parse.MAX_BODY:
        raise PayloadTooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > parse.MAX_BODY:
            raise PayloadTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _render(response: Response, request_id: str) -> tuple[int, bytes, bytes]:
    text = response.text
    if text is not None:
        payload = text if isinstance(text, bytes) else text.encode()
        return response.status, payload, response.content_type.encode()
    if response.raw:
        return response.status, _encode(response.data), _JSON
    if response.empty:
        return 204, b"", _JSON
    body = envelope(
        request_id,
        response.data,
        warnings=response.warnings,
        auth=response.auth,
        wrap_info=response.wrap_info,
        mount_type=response.mount_type,
        lease_id=response.lease_id,
        lease_duration=response.lease_duration,
        renewable=response.renewable,
    )
    if response.top_level and response.data is not None:
        body = {**response.data, **body}
    return response.status, _encode(body), _JSON


async def _send(
    send: Send,
    status: int,
    payload: bytes,
    content_type: bytes,
    extra: tuple[tuple[bytes, bytes], ...] = (),
) -> None:
    headers = [(b"cache-control", b"no-store"), _HSTS, *extra]
    if status != 204:
        headers.append((b"content-type", content_type))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if status == 204 else payload})
