"""sys/rekey/*: new unseal key shares from a quorum of the current ones (Vault's vault/rekey.go and
http/sys_rekey.go), optionally PGP-encrypted, backed up, and verified before they take over.

    init ─▶ update, a quorum of current shares ─┬─▶ new shares returned and in force
                                                └─▶ require_verification: new shares returned,
                                                    the old ones still in force ─▶ verify, a
                                                    quorum of new shares ─▶ new ones in force

The verification phase is a keeper attempt of its own ("rekey-verify", nonce = Vault's
verification_nonce). It holds the prepared seal (`PendingRekey`), never the new unseal key: a
quorum of new shares proves itself by opening the prepared wrap of the root key, as an unseal
would, and the seal then stores that wrap.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Annotated, Any

import msgspec

from strongroom.barrier import InvalidCiphertext
from strongroom.core.keeper import QuorumAttempt
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.core.system.path_quorum import (
    ShareUpdate,
    add_share,
    collect_share,
    combine,
    seal_config,
)
from strongroom.core.system.path_unseal import encode_keys
from strongroom.errors import BadRequest
from strongroom.logical.fields import NoFields
from strongroom.seal import PendingRekey, SealConfig, pgp

if TYPE_CHECKING:
    from strongroom.core.core import Core

REKEY, VERIFY = "rekey", "rekey-verify"
# Vault keeps the backup at this path outside its barrier; ours is behind it (invariant 1).
BACKUP_PATH = "core/unseal-keys-backup"

INIT_SYNOPSIS = "Initializes or returns the status of a rotation of the unseal keys (rekey)."
UPDATE_SYNOPSIS = "Progresses the rotation of the unseal keys with one current share."
VERIFY_SYNOPSIS = "Verifies the new unseal keys of a rotation with one new share."
BACKUP_SYNOPSIS = "Reads or deletes the PGP-encrypted backup of the new unseal keys."


class RekeyStart(msgspec.Struct, frozen=True, kw_only=True):
    secret_shares: Annotated[
        int,
        msgspec.Meta(description="Specifies the number of shares to split the unseal key into."),
    ] = 0
    secret_threshold: Annotated[
        int,
        msgspec.Meta(description="The number of shares that reconstruct the unseal key."),
    ] = 0
    pgp_keys: Annotated[
        list[str],
        msgspec.Meta(description="PGP public keys to encrypt the new unseal key shares to."),
    ] = msgspec.field(default_factory=list)
    backup: Annotated[
        bool,
        msgspec.Meta(description="Whether to back up the PGP-encrypted new shares."),
    ] = False
    require_verification: Annotated[
        bool, msgspec.Meta(description="Turns on verification functionality")
    ] = False


class _Backup(msgspec.Struct, frozen=True):
    nonce: str
    keys: dict[str, list[str]]  # fingerprint → hex of the encrypted shares, as Vault stores it


async def _attempts(core: Core) -> tuple[QuorumAttempt | None, QuorumAttempt | None]:
    return await core.keeper.attempt(REKEY), await core.keeper.attempt(VERIFY)


def _status(
    config: SealConfig, rekey: QuorumAttempt | None, verify: QuorumAttempt | None
) -> dict[str, Any]:
    """Vault's RekeyStatusResponse; during verification the rekey's own progress is over."""
    current = verify or rekey
    params = current.params if current else {}
    body: dict[str, Any] = {
        "nonce": params.get("rekey_nonce", current.nonce) if current else "",
        "started": current is not None,
        "t": params.get("secret_threshold", 0),
        "n": params.get("secret_shares", 0),
        "progress": len(rekey.shares) if rekey else 0,
        "required": config.secret_threshold,
        "pgp_fingerprints": params.get("pgp_fingerprints"),
        "backup": params.get("backup", False),
        "verification_required": params.get("require_verification", False),
    }
    if verify:
        body["verification_nonce"] = verify.nonce
    return body


async def read_rekey(core: Core, _req: Request, _f: NoFields) -> Response:
    config = await seal_config(core)
    return Response(_status(config, *await _attempts(core)), raw=True)


async def start_rekey(core: Core, _req: Request, fields: RekeyStart) -> Response:
    config = await seal_config(core)
    if await core.keeper.attempt(VERIFY):
        raise BadRequest("rekey already in progress")
    attempt = await core.keeper.start(REKEY, _rekey_params(fields))
    return Response(_status(config, attempt, None), raw=True)


def _rekey_params(fields: RekeyStart) -> dict[str, Any]:
    """The checked parameters of sys/rekey/init, in the order Vault checks them."""
    shares, threshold = fields.secret_shares, fields.secret_threshold
    encoded, backup = fields.pgp_keys, fields.backup
    if backup and not encoded:
        raise BadRequest(
            "cannot request a backup of the new keys without providing PGP keys for encryption"
        )
    if encoded and len(encoded) != shares:
        raise BadRequest("incorrect number of PGP keys for rekey")
    SealConfig.validate(shares, threshold)
    fingerprints = [key.fingerprint for key in pgp.parse_keys(encoded)]
    return {
        "secret_shares": shares,
        "secret_threshold": threshold,
        "pgp_keys": encoded,
        "pgp_fingerprints": fingerprints or None,
        "backup": backup,
        "require_verification": fields.require_verification,
    }


async def cancel_rekey(core: Core, _req: Request, _f: NoFields) -> Response:
    """Ends the rekey and any verification; the current shares stay in force."""
    await core.keeper.cancel(VERIFY)
    await core.keeper.cancel(REKEY)
    return NO_CONTENT


async def update_rekey(core: Core, _req: Request, fields: ShareUpdate) -> Response:
    verify = await core.keeper.attempt(VERIFY)
    if verify:
        raise BadRequest(
            "rekey operation already finished; verification must be performed; "
            f'nonce for the verification operation is "{verify.nonce}"'
        )
    config, attempt, root_key = await add_share(core, REKEY, fields)
    if root_key is None:
        return Response(_status(config, attempt, None), raw=True)
    params = attempt.params
    shares, pending = await core.seal.prepare_rekey(
        root_key, params["secret_shares"], params["secret_threshold"]
    )
    if params["pgp_keys"]:
        shares = pgp.encrypt_shares(shares, pgp.parse_keys(params["pgp_keys"]))
        if params["backup"]:
            await _store_backup(core, attempt.nonce, params["pgp_fingerprints"], shares)
    body = {
        "complete": True,
        "nonce": attempt.nonce,
        **encode_keys(shares),
        "pgp_fingerprints": params["pgp_fingerprints"],
        "backup": params["backup"],
        "verification_required": params["require_verification"],
    }
    if params["require_verification"]:
        verify_params = {**params, "rekey_nonce": attempt.nonce, "pending": pending.encode()}
        body["verification_nonce"] = (await core.keeper.start(VERIFY, verify_params)).nonce
    else:
        await core.seal.commit_rekey(pending)
    return Response(body, raw=True)


# -- verification -----------------------------------------------------------------------------


def _verify_status(rekey: QuorumAttempt | None, verify: QuorumAttempt | None) -> dict[str, Any]:
    """Vault's RekeyVerificationStatusResponse."""
    current = verify or rekey
    if current is None:
        raise BadRequest("no rekey configuration found")
    return {
        "nonce": verify.nonce if verify else "",
        "started": verify is not None,
        "t": current.params["secret_threshold"],
        "n": current.params["secret_shares"],
        "progress": len(verify.shares) if verify else 0,
    }


async def read_verify(core: Core, _req: Request, _f: NoFields) -> Response:
    await seal_config(core)
    return Response(_verify_status(*await _attempts(core)), raw=True)


async def restart_verify(core: Core, _req: Request, _f: NoFields) -> Response:
    """Vault's DELETE sys/rekey/verify: forget the verification's progress, under a new nonce."""
    await seal_config(core)
    rekey, verify = await _attempts(core)
    if verify:
        verify = await _restart(core, verify)
    return Response(_verify_status(rekey, verify), raw=True)


async def _restart(core: Core, verify: QuorumAttempt) -> QuorumAttempt:
    await core.keeper.cancel(VERIFY)
    return await core.keeper.start(VERIFY, verify.params)


async def update_verify(core: Core, _req: Request, fields: ShareUpdate) -> Response:
    await seal_config(core)
    rekey, verify = await _attempts(core)
    if verify is None:
        raise BadRequest("no rekey verification in progress" if rekey else "no rekey in progress")
    verify = await collect_share(core, VERIFY, fields)
    pending = PendingRekey.decode(verify.params["pending"])
    if len(verify.shares) < pending.config.secret_threshold:
        return Response(_verify_status(None, verify), raw=True)
    try:
        core.seal.verify_pending(combine(verify.shares), pending)
    except (ValueError, InvalidCiphertext):
        await _restart(core, verify)  # as Vault: progress forgotten, nonce rotated
        raise BadRequest("rekey verification failed; incorrect key shares supplied") from None
    await core.keeper.cancel(VERIFY)
    await core.seal.commit_rekey(pending)
    return Response({"nonce": verify.nonce, "complete": True}, raw=True)


# -- backup -----------------------------------------------------------------------------------


async def _store_backup(
    core: Core, nonce: str, fingerprints: list[str], encrypted: list[bytes]
) -> None:
    keys: dict[str, list[str]] = {}
    for fingerprint, share in zip(fingerprints, encrypted, strict=True):
        keys.setdefault(fingerprint, []).append(share.hex())
    await core.barrier.put(BACKUP_PATH, msgspec.json.encode(_Backup(nonce, keys)))


async def read_backup(core: Core, _req: Request, _f: NoFields) -> Response:
    stored = await core.barrier.get(BACKUP_PATH)
    if stored is None:
        raise BadRequest("no backed-up keys found")
    backup = msgspec.json.decode(stored, type=_Backup)
    keys_base64 = {
        fingerprint: [base64.b64encode(bytes.fromhex(share)).decode() for share in shares]
        for fingerprint, shares in backup.keys.items()
    }
    body = {"nonce": backup.nonce, "keys": backup.keys, "keys_base64": keys_base64}
    return Response(body, top_level=True)  # OpenBao repeats the data at the top level


async def delete_backup(core: Core, _req: Request, _f: NoFields) -> Response:
    await core.barrier.delete(BACKUP_PATH)
    return NO_CONTENT


# -- sys/rotate/root/*: OpenBao ≥2.6's authenticated twin of sys/rekey/*, which
# `bao operator rotate-keys` calls: the same attempt, the same bodies inside `data`.

_IDLE_STATUS = ("n", "required", "started", "t")


def _enveloped(response: Response) -> Response:
    return response if response.empty else Response(response.data)


async def read_rotation(core: Core, req: Request, fields: NoFields) -> Response:
    return _rotation_status(await read_rekey(core, req, fields))


async def start_rotation(core: Core, req: Request, fields: RekeyStart) -> Response:
    return _rotation_status(await start_rekey(core, req, fields))


def _rotation_status(response: Response) -> Response:
    """OpenBao leaves an idle rotation's empty fields out, and a started one's in."""
    body = dict(response.data or {})
    if not body["started"]:
        return Response({name: body[name] for name in _IDLE_STATUS})
    return Response({"verification_nonce": "", **body})


async def update_rotation(core: Core, req: Request, fields: ShareUpdate) -> Response:
    response = await update_rekey(core, req, fields)
    if (response.data or {}).get("complete"):
        return _enveloped(response)
    return _rotation_status(response)


async def read_rotation_verify(core: Core, req: Request, fields: NoFields) -> Response:
    return _enveloped(await read_verify(core, req, fields))


async def restart_rotation_verify(core: Core, req: Request, fields: NoFields) -> Response:
    return _enveloped(await restart_verify(core, req, fields))


async def update_rotation_verify(core: Core, req: Request, fields: ShareUpdate) -> Response:
    return _enveloped(await update_verify(core, req, fields))
