"""sys/init, sys/unseal and sys/seal: the node's way in and out of the sealed state."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import TYPE_CHECKING

from strongroom.barrier import InvalidCiphertext
from strongroom.core.fields import get_bool, get_int, get_str, get_str_list
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.system.seal_status import seal_status
from strongroom.errors import BadRequest, NotInitialized
from strongroom.seal import pgp, shamir

if TYPE_CHECKING:
    from strongroom.core.core import Core


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


async def read_init(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    return Response({"initialized": await core.initialized()}, raw=True)


async def write_init(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    shares = get_int(req.data, "secret_shares")
    threshold = get_int(req.data, "secret_threshold")
    share_keys = _share_recipients(req, shares)
    token_key = token_recipient(req, "root_token_pgp_key")
    keys, root = await core.initialize(shares, threshold)
    token = root.token
    if token_key is not None:  # Vault: base64 of the binary message (vault/init.go)
        token = base64.b64encode(token_key.encrypt(token.encode())).decode()
    if share_keys:
        keys = pgp.encrypt_shares(keys, share_keys)
    return Response({**encode_keys(keys), "root_token": token}, raw=True)


def _share_recipients(req: Request, shares: int) -> list[pgp.PgpKey]:
    """The keys to encrypt the `shares` new shares to, one each, or [] for plain shares.

    Raises BadRequest in the words of Vault's SealConfig.Validate.
    """
    encoded = get_str_list(req.data, "pgp_keys")
    context = "invalid seal configuration: "
    if encoded and len(encoded) != shares:
        raise BadRequest(
            f"{context}count mismatch between number of provided PGP keys and number of shares"
        )
    try:
        return pgp.parse_keys(encoded)
    except BadRequest as exc:
        raise BadRequest(context + exc.public) from None


def token_recipient(req: Request, name: str) -> pgp.PgpKey | None:
    """The key a new root token is to be encrypted to, or None for the OTP or plain form."""
    encoded = get_str(req.data, name)
    return pgp.parse_keys([encoded])[0] if encoded else None


async def read_seal_status(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    return Response(await seal_status(core), raw=True)


async def write_unseal(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    config = await core.seal.config()
    if config is None:
        raise NotInitialized
    if get_bool(req.data, "reset"):
        await core.keeper.cancel("unseal")
        return await read_seal_status(core, req, {})
    text = get_str(req.data, "key")
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
    return await read_seal_status(core, req, {})


async def _unseal_with(core: Core, shares: list[bytes]) -> None:
    try:
        unseal_key = shares[0] if len(shares) == 1 else shamir.combine(shares)
        root_key = await core.seal.open(unseal_key)
    except (ValueError, InvalidCiphertext):
        raise BadRequest("Error unsealing: cipher: message authentication failed") from None
    await core.keeper.publish(root_key.reveal())


async def write_seal(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    await core.audit.log_event("seal", {})
    await core.keeper.publish(None)
    return NO_CONTENT
