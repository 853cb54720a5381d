"""sys/init, sys/unseal and sys/seal: the node's way in and out of the sealed state."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import TYPE_CHECKING

from strongroom.barrier import InvalidCiphertext
from strongroom.core.fields import get_bool, get_int, get_str
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.system.seal_status import seal_status
from strongroom.errors import BadRequest, NotInitialized
from strongroom.seal import shamir

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
    if get_str(req.data, "pgp_keys", "") or req.data.get("pgp_keys"):
        raise BadRequest("PGP-encrypted unseal keys are not supported")
    keys, root = await core.initialize(shares, threshold)
    return Response({**encode_keys(keys), "root_token": root.token}, raw=True)


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
