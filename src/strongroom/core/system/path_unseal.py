"""sys/init, sys/unseal and sys/seal: the node's way in and out of the sealed state."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Annotated

import msgspec

from strongroom.barrier import InvalidCiphertext
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.system.seal_status import seal_status
from strongroom.errors import BadRequest, NotInitialized
from strongroom.logical.fields import NoFields
from strongroom.seal import pgp, shamir

if TYPE_CHECKING:
    from strongroom.core.core import Core

INIT_SYNOPSIS = "Initializes or returns the initialization status of the node."
SEAL_STATUS_SYNOPSIS = "Check the seal status of the node."
UNSEAL_SYNOPSIS = "Unseal the node."
SEAL_SYNOPSIS = "Seal the node."

_Shares = Annotated[
    int, msgspec.Meta(description="Specifies the number of shares to split the unseal key into.")
]
_Threshold = Annotated[
    int,
    msgspec.Meta(
        description="Specifies the number of shares required to reconstruct the unseal key."
    ),
]
_PgpKeys = Annotated[
    list[str],
    msgspec.Meta(description="PGP public keys to encrypt the new unseal key shares to."),
]


class InitWrite(msgspec.Struct, frozen=True, kw_only=True):
    secret_shares: _Shares = 0
    secret_threshold: _Threshold = 0
    pgp_keys: _PgpKeys = msgspec.field(default_factory=list)
    root_token_pgp_key: Annotated[
        str,
        msgspec.Meta(
            description="Specifies a PGP public key used to encrypt the initial root token."
        ),
    ] = ""


class UnsealWrite(msgspec.Struct, frozen=True, kw_only=True):
    key: Annotated[str, msgspec.Meta(description="Specifies a single unseal key share.")] = ""
    reset: Annotated[
        bool,
        msgspec.Meta(description="Whether to discard the shares given so far."),
    ] = False


def decode_key(text: str) -> bytes:
    """An unseal key share as Vault accepts it: hex first, then standard base64."""
    try:
        return bytes.fromhex(text)
    except ValueError:
        pass
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest("'key' must be a valid hex or base64 string") from None


def encode_keys(keys: list[bytes]) -> dict[str, list[str]]:
    return {
        "keys": [k.hex() for k in keys],
        "keys_base64": [base64.b64encode(k).decode() for k in keys],
    }


async def read_init(core: Core, _req: Request, _f: NoFields) -> Response:
    return Response({"initialized": await core.initialized()}, raw=True)


async def write_init(core: Core, _req: Request, fields: InitWrite) -> Response:
    shares, threshold = fields.secret_shares, fields.secret_threshold
    share_keys = _share_recipients(fields.pgp_keys, shares)
    token_key = token_recipient(fields.root_token_pgp_key)
    keys, root = await core.initialize(shares, threshold)
    token = root.token
    if token_key is not None:  # Vault: base64 of the binary message (vault/init.go)
        token = base64.b64encode(token_key.encrypt(token.encode())).decode()
    if share_keys:
        keys = pgp.encrypt_shares(keys, share_keys)
    return Response({**encode_keys(keys), "root_token": token}, raw=True)


def _share_recipients(encoded: list[str], shares: int) -> list[pgp.PgpKey]:
    """The keys to encrypt the `shares` new shares to, one each, or [] for plain shares.

    Raises BadRequest in the words of Vault's SealConfig.Validate.
    """
    context = "invalid seal configuration: "
    if encoded and len(encoded) != shares:
        raise BadRequest(
            f"{context}count mismatch between number of provided PGP keys and number of shares"
        )
    try:
        return pgp.parse_keys(encoded)
    except BadRequest as exc:
        raise BadRequest(context + exc.public) from None


def token_recipient(encoded: str) -> pgp.PgpKey | None:
    """The key a new root token is to be encrypted to, or None for the OTP or plain form."""
    return pgp.parse_keys([encoded])[0] if encoded else None


async def read_seal_status(core: Core, _req: Request, _f: NoFields) -> Response:
    return Response(await seal_status(core), raw=True)


async def write_unseal(core: Core, _req: Request, fields: UnsealWrite) -> Response:
    config = await core.seal.config()
    if config is None:
        raise NotInitialized
    if fields.reset:
        await core.keeper.cancel("unseal")
        return Response(await seal_status(core), raw=True)
    text = fields.key
    if not text:
        raise BadRequest("'key' must be specified in request body as JSON, or 'reset' set to true")
    if core.sealed:
        attempt = await core.keeper.add_share("unseal", decode_key(text), None)
        if len(attempt.shares) >= config.secret_threshold:
            await core.keeper.cancel("unseal")
            await _unseal_with(core, list(attempt.shares))
            if not core.barrier.sealed:  # publish waited until every worker applied it
                await core.sync_caches()  # load the audit devices, so the event reaches them
                await core.audit.log_event("unseal", {})
    return Response(await seal_status(core), raw=True)


async def _unseal_with(core: Core, shares: list[bytes]) -> None:
    try:
        unseal_key = shares[0] if len(shares) == 1 else shamir.combine(shares)
        root_key = await core.seal.open(unseal_key)
    except (ValueError, InvalidCiphertext):
        raise BadRequest("Error unsealing: cipher: message authentication failed") from None
    await core.keeper.publish(root_key.reveal())


async def write_seal(core: Core, _req: Request, _f: NoFields) -> Response:
    await core.audit.log_event("seal", {})
    await core.keeper.publish(None)
    return NO_CONTENT
