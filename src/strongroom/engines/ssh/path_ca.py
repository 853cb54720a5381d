"""ssh/config/ca and ssh/public_key: the certificate authority's key pair (OpenBao's
`path_config_ca.go`). Writing one makes it the default issuer; its private key is never read
back. `public_key` is what sshd's TrustedUserCAKeys needs, so it answers without a token."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from msgspec import Meta

from strongroom.engines.ssh import keys
from strongroom.engines.ssh.context import SshContext
from strongroom.engines.ssh.models import CA, Authority, encode
from strongroom.errors import BadRequest
from strongroom.logical import NoFields, Request, Response

CA_SYNOPSIS = "Set the SSH private key used for signing certificates."
PUBLIC_KEY_SYNOPSIS = "Retrieve the public key of the default issuer."


class CaWrite(msgspec.Struct, frozen=True, kw_only=True):
    generate_signing_key: Annotated[
        bool, Meta(description="Generate the SSH CA key pair internally (default true).")
    ] = True
    private_key: Annotated[str, Meta(description="Private half of the SSH key to import.")] = ""
    public_key: Annotated[str, Meta(description="Public half of the SSH key to import.")] = ""
    key_type: Annotated[
        str, Meta(description="Type of the generated key: ssh-rsa, ecdsa-sha2-nistp256, ...")
    ] = "ssh-rsa"
    key_bits: Annotated[int, Meta(description="Bits of the generated key; 0: the default.")] = 0
    issuer_name: Annotated[str, Meta(description="Optional name of the new issuer.")] = ""


def _render(ca: Authority) -> dict[str, str]:
    return {"issuer_id": ca.issuer_id, "issuer_name": ca.issuer_name, "public_key": ca.public_key}


async def write_ca(ctx: SshContext, _req: Request, fields: CaWrite) -> Response:
    if fields.private_key or fields.public_key:
        if not (fields.private_key and fields.public_key):
            raise BadRequest("both public_key and private_key must be provided")
        key = keys.load_private(fields.private_key)
        if keys.openssh_public(key) != keys.openssh_public(keys.load_public(fields.public_key)):
            raise BadRequest("public_key does not match private_key")
    elif fields.generate_signing_key:
        key = keys.generate(fields.key_type, fields.key_bits, default_rsa_bits=4096)
    else:
        raise BadRequest("missing public_key and private_key, and generate_signing_key is false")
    ca = Authority(
        issuer_id=str(uuid.uuid4()),
        issuer_name=fields.issuer_name,
        private_key=keys.private_pem(key),
        public_key=keys.openssh_public(key),
    )
    await ctx.mount.view.put(CA, encode(ca))
    return Response(_render(ca))


async def read_ca(ctx: SshContext, _req: Request, _fields: NoFields) -> Response:
    return Response(_render(await ctx.authority()))


async def delete_ca(ctx: SshContext, _req: Request, _fields: NoFields) -> Response:
    found = await ctx.mount.view.get(CA) is not None
    await ctx.mount.view.delete(CA)
    count = 1 if found else 0
    return Response(warnings=[f"Deleted {count} issuers, including default issuer if configured."])


async def read_public_key(ctx: SshContext, _req: Request, _fields: NoFields) -> Response:
    return Response(text=(await ctx.authority()).public_key, content_type="text/plain")
