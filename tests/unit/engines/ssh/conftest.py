"""Fixtures of the ssh engine: the in-process server with `ssh/` mounted and an Ed25519 CA,
and key pairs made with `ssh-keygen`'s formats by `cryptography`."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from support.api import Api as MountApi
from support.inproc import Server


@dataclass
class Api(MountApi):
    mount: str = "ssh"

    async def role(self, name: str, **fields: object) -> None:
        await self.expect("POST", f"roles/{name}", fields, 204)


def public_line(key: ed25519.Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        .decode()
    )


@pytest.fixture
async def api(server: Server) -> Api:
    client = Api(server)
    await client.enable("ssh")
    await client.post("config/ca", {"key_type": "ssh-ed25519"})
    return client
