"""Helpers of the cert method's tests: the PKI they use, log-ins presenting a chain as our TLS
front hands it on, and trusting a certificate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import httpx

from strongroom.http.app import CLIENT_CHAIN_HEADER
from support.cert_pki import Issued, chain_header
from support.inproc import Server


@dataclass
class Pki:
    now: dt.datetime
    root: Issued
    intermediate: Issued
    leaf: Issued  # issued by the intermediate
    other_root: Issued


async def login(
    server: Server, *certs: Issued, name: str = "", namespace: str = ""
) -> httpx.Response:
    """Log in presenting `certs` (leaf first) on the connection, as our TLS front hands it on."""
    headers = {CLIENT_CHAIN_HEADER: chain_header(*certs)} if certs else {}
    if namespace:
        headers["X-Vault-Namespace"] = namespace
    body = {"name": name} if name else {}
    return await server.call("POST", "auth/cert/login", body, token=None, headers=headers)


async def trust(server: Server, name: str, cert: Issued, **fields: object) -> None:
    resp = await server.call("POST", f"auth/cert/certs/{name}", {"certificate": cert.pem, **fields})
    assert resp.status_code == 204, resp.text
