"""Outbound HTTPS for auth methods that ask another service (a JWKS or OIDC discovery URL, an
OIDC token endpoint, the Kubernetes TokenReview API), trusting a configured CA.

One function, `exchange`, is the only network code of those methods: it verifies TLS against
the PEM bundle given (the system's roots when it is empty), bounds the wait and the size of
the answer, and reports every transport failure as one `Unreachable` without detail, so no URL,
header or body (which may carry a bearer token) reaches an error or a log line.
"""

from __future__ import annotations

import ssl
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography import x509

__all__ = ["MAX_ANSWER", "Fetch", "Reply", "Unreachable", "exchange", "valid_ca_pem"]

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_ANSWER = 1 << 20  # a JWKS, discovery document or TokenReview is a few KiB


class Unreachable(Exception):
    """The service could not be asked (DNS, TCP, TLS, timeout, an oversized answer)."""


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes


Fetch = Callable[..., Awaitable[Reply]]
"""`exchange`'s signature, for a backend that lets a test hand it another transport."""


def valid_ca_pem(pem: str) -> bool:
    """Whether `pem` holds at least one parseable X.509 certificate."""
    try:
        return bool(x509.load_pem_x509_certificates(pem.encode()))
    except ValueError:
        return False


def _tls(ca_pem: str) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ca_pem:
        context = ssl.create_default_context(cadata=ca_pem)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


async def exchange(
    method: str,
    url: str,
    *,
    ca_pem: str = "",
    headers: Mapping[str, str] | None = None,
    json: Any = None,  # noqa: ANN401 - any JSON document
    form: Mapping[str, str] | None = None,
) -> Reply:
    """Send one request and read its answer. Raises Unreachable (never with detail)."""
    try:
        async with (
            httpx.AsyncClient(verify=_tls(ca_pem), timeout=TIMEOUT) as client,
            client.stream(method, url, headers=headers, json=json, data=form) as resp,
        ):
            chunks: list[bytes] = []
            size = 0
            async for chunk in resp.aiter_bytes():
                size += len(chunk)
                if size > MAX_ANSWER:
                    raise Unreachable
                chunks.append(chunk)
            return Reply(resp.status_code, b"".join(chunks))
    except (httpx.HTTPError, httpx.InvalidURL, ssl.SSLError, ValueError):
        raise Unreachable from None
