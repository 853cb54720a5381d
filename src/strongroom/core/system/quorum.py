"""sys/rekey/* and sys/generate-root/*: operations that need a quorum of unseal key shares.

Progress is kept by the keeper (node memory, like Vault's), so shares may reach any worker.
"""

from __future__ import annotations

import base64
import secrets
import string
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from strongroom.barrier import InvalidCiphertext
from strongroom.core.fields import get_int, get_str
from strongroom.core.keeper import QuorumAttempt
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.system.unseal import decode_key, encode_keys
from strongroom.errors import BadRequest, NotInitialized
from strongroom.seal import SealConfig, shamir
from strongroom.secret import SecretBytes

if TYPE_CHECKING:
    from strongroom.core.core import Core

_OTP_ALPHABET = string.ascii_letters + string.digits
OTP_LENGTH = 28  # len("hvs.") + 24: the OTP covers the whole root token


async def _config(core: Core) -> SealConfig:
    config = await core.seal.config()
    if config is None:
        raise NotInitialized
    return config


async def _open_quorum(core: Core, attempt: QuorumAttempt) -> SecretBytes:
    """The root key, proving that the collected shares form the current unseal key."""
    shares = list(attempt.shares)
    try:
        unseal_key = shares[0] if len(shares) == 1 else shamir.combine(shares)
        return await core.seal.open(unseal_key)
    except (ValueError, InvalidCiphertext):
        raise BadRequest("failed to validate the unseal keys") from None


# -- rekey ------------------------------------------------------------------------------------


def _rekey_status(config: SealConfig, attempt: QuorumAttempt | None) -> dict[str, Any]:
    return {
        "nonce": attempt.nonce if attempt else "",
        "started": attempt is not None,
        "t": attempt.params["secret_threshold"] if attempt else 0,
        "n": attempt.params["secret_shares"] if attempt else 0,
        "progress": len(attempt.shares) if attempt else 0,
        "required": config.secret_threshold,
        "pgp_fingerprints": None,
        "backup": False,
        "verification_required": False,
    }


async def read_rekey(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    config = await _config(core)
    return Response(_rekey_status(config, await core.keeper.attempt("rekey")), raw=True)


async def start_rekey(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    config = await _config(core)
    shares = get_int(req.data, "secret_shares")
    threshold = get_int(req.data, "secret_threshold")
    SealConfig.validate(shares, threshold)
    params = {"secret_shares": shares, "secret_threshold": threshold}
    attempt = await core.keeper.start("rekey", params)
    return Response(_rekey_status(config, attempt), raw=True)


async def cancel_rekey(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    await core.keeper.cancel("rekey")
    return NO_CONTENT


async def _add_share(
    core: Core, kind: str, req: Request
) -> tuple[SealConfig, QuorumAttempt, SecretBytes | None]:
    """Record one share of a rekey or generate-root attempt.

    Returns the attempt and, once the quorum is complete (the attempt is then over), the root
    key the shares unlocked.
    """
    config = await _config(core)
    key = decode_key(get_str(req.data, "key"))
    nonce = get_str(req.data, "nonce")
    if not nonce:
        raise BadRequest("missing nonce")
    attempt = await core.keeper.add_share(kind, key, nonce)
    if len(attempt.shares) < config.secret_threshold:
        return config, attempt, None
    await core.keeper.cancel(kind)
    return config, attempt, await _open_quorum(core, attempt)


async def update_rekey(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    config, attempt, root_key = await _add_share(core, "rekey", req)
    if root_key is None:
        return Response(_rekey_status(config, attempt), raw=True)
    params = attempt.params
    new = await core.seal.rekey(root_key, params["secret_shares"], params["secret_threshold"])
    body = {
        "complete": True,
        "nonce": attempt.nonce,
        **encode_keys(new),
        "pgp_fingerprints": None,
        "backup": False,
        "verification_required": False,
        "verification_nonce": "",
    }
    return Response(body, raw=True)


# -- generate-root ----------------------------------------------------------------------------


def _root_status(config: SealConfig, attempt: QuorumAttempt | None) -> dict[str, Any]:
    return {
        "nonce": attempt.nonce if attempt else "",
        "started": attempt is not None,
        "progress": len(attempt.shares) if attempt else 0,
        "required": config.secret_threshold,
        "complete": False,
        "encoded_token": "",
        "encoded_root_token": "",
        "pgp_fingerprint": "",
        "otp": "",
        "otp_length": OTP_LENGTH,
    }


async def read_generate_root(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    config = await _config(core)
    return Response(_root_status(config, await core.keeper.attempt("generate-root")), raw=True)


async def start_generate_root(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    config = await _config(core)
    if req.data.get("pgp_key"):
        raise BadRequest("PGP-encrypted root tokens are not supported")
    supplied = get_str(req.data, "otp")
    if supplied and len(supplied) != OTP_LENGTH:
        raise BadRequest("OTP string has incorrect length")
    otp = supplied or "".join(secrets.choice(_OTP_ALPHABET) for _ in range(OTP_LENGTH))
    attempt = await core.keeper.start("generate-root", {"otp": otp})
    body = _root_status(config, attempt)
    if not supplied:
        body["otp"] = otp  # returned once, to the operator who started the attempt
    return Response(body, raw=True)


async def cancel_generate_root(core: Core, _req: Request, _p: Mapping[str, str]) -> Response:
    await core.keeper.cancel("generate-root")
    return NO_CONTENT


async def update_generate_root(core: Core, req: Request, _p: Mapping[str, str]) -> Response:
    config, attempt, root_key = await _add_share(core, "generate-root", req)
    body = _root_status(config, attempt)
    if root_key is None:
        return Response(body, raw=True)
    root = await core.create_root_token()
    encoded = encode_token(root.token, attempt.params["otp"])
    body.update(complete=True, encoded_token=encoded, encoded_root_token=encoded)
    return Response(body, raw=True)


def encode_token(token: str, otp: str) -> str:
    """Vault ≥1.10: base64 (no padding) of token XOR OTP, byte by byte."""
    mixed = bytes(a ^ b for a, b in zip(token.encode(), otp.encode(), strict=True))
    return base64.b64encode(mixed).decode().rstrip("=")
