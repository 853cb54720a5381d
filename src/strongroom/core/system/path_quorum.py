"""sys/generate-root/*, and what every quorum of unseal key shares shares (rekey.py uses it).

Progress is kept by the keeper (node memory, like Vault's), so shares may reach any worker.
"""

from __future__ import annotations

import base64
import secrets
import string
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any

import msgspec

from strongroom.barrier import InvalidCiphertext
from strongroom.core.keeper import QuorumAttempt
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.system.path_unseal import decode_key, token_recipient
from strongroom.errors import BadRequest, NotInitialized, Sealed
from strongroom.logical.fields import NoFields
from strongroom.seal import SealConfig, pgp, shamir
from strongroom.secret import SecretBytes

if TYPE_CHECKING:
    from strongroom.core.core import Core

_OTP_ALPHABET = string.ascii_letters + string.digits
OTP_LENGTH = 28  # len("hvs.") + 24: the OTP covers the whole root token
GENERATE_ROOT = "generate-root"

ATTEMPT_SYNOPSIS = "Reads, generates, or deletes a root token regeneration process."
UPDATE_SYNOPSIS = "Reads, generates, or deletes a root token regeneration process."
DECODE_SYNOPSIS = "Decodes the encoded token with the otp."


class ShareUpdate(msgspec.Struct, frozen=True, kw_only=True):
    """One unseal key share for a quorum (generate-root, rekey, rekey verification)."""

    key: Annotated[str, msgspec.Meta(description="Specifies a single unseal key share.")] = ""
    nonce: Annotated[str, msgspec.Meta(description="Specifies the nonce of the attempt.")] = ""


class GenerateRootStart(msgspec.Struct, frozen=True, kw_only=True):
    otp: Annotated[
        str, msgspec.Meta(description="Specifies a base64-encoded one-time-password.")
    ] = ""
    pgp_key: Annotated[
        str, msgspec.Meta(description="Specifies a base64-encoded PGP public key.")
    ] = ""


class DecodeToken(msgspec.Struct, frozen=True, kw_only=True):
    encoded_token: Annotated[
        str, msgspec.Meta(description="Specifies the encoded token (result from generate-root).")
    ] = ""
    otp: Annotated[str, msgspec.Meta(description="Specifies the otp code for decode.")] = ""


async def seal_config(core: Core) -> SealConfig:
    """The seal's configuration. Raises NotInitialized, or Sealed: like Vault, a node rekeys
    and generates root tokens only while unsealed (vault/rekey.go, generate_root.go)."""
    config = await core.seal.config()
    if config is None:
        raise NotInitialized
    if core.sealed:
        raise Sealed
    return config


def combine(shares: Sequence[bytes]) -> bytes:
    """The key behind a quorum of shares; with one share it is the key (vault/rekey.go)."""
    return shares[0] if len(shares) == 1 else shamir.combine(shares)


async def collect_share(core: Core, kind: str, share: ShareUpdate) -> QuorumAttempt:
    """Record the request's `key` for the attempt of `kind` whose nonce it names."""
    key = decode_key(share.key)
    if not share.nonce:
        raise BadRequest("missing nonce")
    return await core.keeper.add_share(kind, key, share.nonce)


async def add_share(
    core: Core, kind: str, share: ShareUpdate
) -> tuple[SealConfig, QuorumAttempt, SecretBytes | None]:
    """Record one current share for a rekey or generate-root attempt.

    Returns the attempt and, once the quorum is complete (the attempt is then over), the root
    key the shares unlocked.
    """
    config = await seal_config(core)
    attempt = await collect_share(core, kind, share)
    if len(attempt.shares) < config.secret_threshold:
        return config, attempt, None
    await core.keeper.cancel(kind)
    try:
        return config, attempt, await core.seal.open(combine(attempt.shares))
    except (ValueError, InvalidCiphertext):
        raise BadRequest("failed to validate the unseal keys") from None


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
        "pgp_fingerprint": attempt.params.get("pgp_fingerprint", "") if attempt else "",
        "otp": "",
        "otp_length": OTP_LENGTH,
    }


async def read_generate_root(core: Core, _req: Request, _f: NoFields) -> Response:
    config = await seal_config(core)
    return Response(_root_status(config, await core.keeper.attempt(GENERATE_ROOT)), raw=True)


async def start_generate_root(core: Core, _req: Request, fields: GenerateRootStart) -> Response:
    config = await seal_config(core)
    supplied = fields.otp
    recipient = None if supplied else token_recipient(fields.pgp_key)
    if supplied and len(supplied) != OTP_LENGTH:
        raise BadRequest("OTP string has incorrect length")
    if recipient is not None:  # the token is encrypted to this key instead of XORed
        params = {"pgp_key": fields.pgp_key, "pgp_fingerprint": recipient.fingerprint}
    else:
        otp = supplied or "".join(secrets.choice(_OTP_ALPHABET) for _ in range(OTP_LENGTH))
        params = {"otp": otp}
    attempt = await core.keeper.start(GENERATE_ROOT, params)
    body = _root_status(config, attempt)
    if recipient is None and not supplied:
        body["otp"] = params["otp"]  # returned once, to the operator who started the attempt
    return Response(body, raw=True)


async def cancel_generate_root(core: Core, _req: Request, _f: NoFields) -> Response:
    await core.keeper.cancel(GENERATE_ROOT)
    return NO_CONTENT


async def update_generate_root(core: Core, _req: Request, fields: ShareUpdate) -> Response:
    config, attempt, root_key = await add_share(core, GENERATE_ROOT, fields)
    body = _root_status(config, attempt)
    if root_key is None:
        return Response(body, raw=True)
    root = await core.create_root_token()
    encoded = _encode_root(root.token, attempt.params)
    body.update(complete=True, encoded_token=encoded, encoded_root_token=encoded)
    return Response(body, raw=True)


# -- sys/generate-root-token/*: OpenBao ≥2.6's authenticated twin, which `bao operator
# generate-root` calls (vault/logical_system_generate_root.go). Same attempt, its own shapes.

_TOKEN_STATUS = ("started", "complete", "progress", "required", "otp", "otp_length")
_TOKEN_UPDATE = ("started", "complete", "progress", "required", "nonce", "encoded_token")


def _token_shape(response: Response, fields: tuple[str, ...]) -> Response:
    body = dict(response.data or {})
    shaped = {name: body[name] for name in fields}
    if body["started"] or "encoded_token" in fields:
        shaped.update(nonce=body["nonce"], pgp_fingerprint=body["pgp_fingerprint"])
    return Response(shaped)


async def read_root_token(core: Core, req: Request, fields: NoFields) -> Response:
    return _token_shape(await read_generate_root(core, req, fields), _TOKEN_STATUS)


async def start_root_token(core: Core, req: Request, fields: GenerateRootStart) -> Response:
    return _token_shape(await start_generate_root(core, req, fields), _TOKEN_STATUS)


async def update_root_token(core: Core, req: Request, fields: ShareUpdate) -> Response:
    return _token_shape(await update_generate_root(core, req, fields), _TOKEN_UPDATE)


async def decode_token(_core: Core, _req: Request, fields: DecodeToken) -> Response:
    """sys/decode-token: the inverse of `encode_token`, for `bao operator generate-root -decode`."""
    encoded, otp = fields.encoded_token, fields.otp.encode()
    if not encoded or not otp:
        raise BadRequest("provided 'encoded_token' or 'otp' is empty")
    try:
        mixed = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except ValueError:
        raise BadRequest("error decoding base64'd token") from None
    if len(mixed) != len(otp):
        raise BadRequest("length of encoded token and otp do not match")
    token = bytes(a ^ b for a, b in zip(mixed, otp, strict=True))
    return Response({"token": token.decode(errors="replace")})


def _encode_root(token: str, params: Mapping[str, Any]) -> str:
    if "otp" in params:
        return encode_token(token, params["otp"])
    (recipient,) = pgp.parse_keys([params["pgp_key"]])
    return base64.b64encode(recipient.encrypt(token.encode())).decode()  # vault/generate_root.go


def encode_token(token: str, otp: str) -> str:
    """Vault ≥1.10: base64 (no padding) of token XOR OTP, byte by byte."""
    mixed = bytes(a ^ b for a, b in zip(token.encode(), otp.encode(), strict=True))
    return base64.b64encode(mixed).decode().rstrip("=")
