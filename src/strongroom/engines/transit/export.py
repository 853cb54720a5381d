"""`export/:type/:name(/:version)`, `backup/:name` and `restore(/:name)`: key material out and in.

DESIGN.md invariant 7: private material leaves only for keys created or configured
`exportable`; a backup also needs `allow_plaintext_backup` (Vault requires both). Public keys
export freely. Export formats follow Vault's `path_export.go`.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Mapping

import msgspec

from strongroom.core.fields import get_bool, get_str
from strongroom.core.request import NO_CONTENT, Request, Response
from strongroom.engines.transit import events, params
from strongroom.engines.transit.crypto import asymmetric
from strongroom.engines.transit.keyring import Keyring
from strongroom.engines.transit.models import (
    BACKUP_DECODER,
    ENCRYPTION,
    KEY_TYPES,
    RSA,
    SIGNING,
    SYMMETRIC,
    Backup,
    KeyPolicy,
    Stamp,
    encode,
)
from strongroom.engines.transit.service import Transit
from strongroom.engines.transit.store import Change
from strongroom.errors import BadRequest, NotFound

_EXPORT_TYPES = {"encryption-key", "signing-key", "hmac-key", "public-key"}
_FORMATS = {"", "raw", "der", "pem"}
BACKUP_FORMAT = 1


def _version_number(ring: Keyring, text: str) -> int:
    if text == "latest":
        return ring.policy.latest_version
    try:
        number = int(text.removeprefix("v"))
    except ValueError:
        raise BadRequest("invalid key version") from None
    if number < ring.policy.min_decryption_version:
        raise BadRequest("version for export is below minimum decryption version")
    if number not in ring.policy.versions:
        raise BadRequest("version does not exist or cannot be found")
    return number


def _exported(ring: Keyring, version: int, kind: str, fmt: str) -> str:
    entry = ring.entry(version)
    if kind == "hmac-key" or (kind == "encryption-key" and ring.type in SYMMETRIC):
        if fmt not in {"", "raw"}:
            raise BadRequest("unknown format for this key; supported values are `` or `raw`")
        return params.b64encode(ring.hmac_key(version) if kind == "hmac-key" else entry.key)
    if ring.type not in SIGNING:
        raise BadRequest(f"unknown key type {ring.type} for export type {kind}")
    try:
        if kind == "public-key":
            return asymmetric.export_public(ring.type, ring.public_key(version, b""), fmt)
        if not entry.key:
            return ""  # a version imported with its public key only
        private = ring.private_key(version, b"")
        return asymmetric.export_private(ring.type, private, entry.key, fmt)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None


async def export(t: Transit, req: Request, p: Mapping[str, str]) -> Response:
    kind, fmt = p["type"], get_str(req.data, "format")
    if kind not in _EXPORT_TYPES:
        raise BadRequest("invalid export type")
    if fmt not in _FORMATS:
        raise BadRequest("invalid format")
    ring = await t.store.load(p["name"])
    if ring is None:
        raise NotFound
    ring.require_enabled()
    if not ring.policy.exportable and kind != "public-key":
        raise BadRequest("private key material is not exportable")
    if kind == "encryption-key" and ring.type not in ENCRYPTION:
        raise BadRequest("encryption not supported for the key")
    if kind in {"signing-key", "public-key"} and ring.type not in SIGNING:
        raise BadRequest("signing not supported for the key")
    if kind == "encryption-key" and ring.type in RSA and fmt == "raw":
        raise BadRequest("unknown key format for rsa key")
    wanted = p.get("version")
    policy = ring.policy
    numbers = (
        [_version_number(ring, wanted)]
        if wanted
        else [n for n in sorted(policy.versions) if n >= policy.min_decryption_version]
    )
    keys = {str(n): _exported(ring, n, kind, fmt) for n in numbers}
    await t.events.send([events.exported(policy, kind, numbers)])
    return Response({"name": policy.name, "type": policy.type, "keys": keys})


async def backup(t: Transit, _req: Request, p: Mapping[str, str]) -> Response:
    """A plaintext backup of every version (base64 JSON); records when it was taken."""
    now = t.now()

    async def mutate(policy: KeyPolicy | None) -> Change:
        if policy is None:
            raise BadRequest("key not found")
        if not policy.exportable:
            raise BadRequest("exporting is disallowed on the policy")
        if not policy.allow_plaintext_backup:
            raise BadRequest("plaintext backup is disallowed on the policy")
        if policy.state != "enabled":
            raise BadRequest(f"cannot back up a key that is {policy.state.replace('_', ' ')}")
        stamp = Stamp(now, policy.latest_version)
        new = msgspec.structs.replace(policy, backup_info=stamp)
        return Change(new, events=[events.backed_up(new)])

    ring = await t.store.update(p["name"], mutate)
    if ring is None:
        raise NotFound
    blob = encode(Backup(BACKUP_FORMAT, ring.policy))
    return Response({"backup": base64.b64encode(blob).decode()})


def _parsed_backup(text: str) -> KeyPolicy:
    try:
        found = BACKUP_DECODER.decode(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError, msgspec.DecodeError):
        raise BadRequest("invalid backup") from None
    policy = found.policy
    coherent = (
        found.format == BACKUP_FORMAT
        and policy.type in KEY_TYPES
        and policy.latest_version in policy.versions
        and (policy.derived or not policy.convergent_encryption)
    )
    if not coherent:
        raise BadRequest("invalid backup")
    return policy


async def restore(t: Transit, req: Request, p: Mapping[str, str]) -> Response:
    """Restore a backup, under its own name or `restore/:name`; `force` replaces a key."""
    text = get_str(req.data, "backup")
    if not text:
        raise BadRequest("'backup' must be supplied")
    name = p.get("name", "")
    if "/" in name:
        raise BadRequest("key names cannot be paths")
    restored = _parsed_backup(text)
    name = name or restored.name
    force, now = get_bool(req.data, "force"), t.now()

    async def mutate(policy: KeyPolicy | None) -> Change:
        if policy is not None and not force:
            raise BadRequest(f'key "{name}" already exists')
        # A new id: this worker's nonce-budget blocks for any old key of this name are void.
        stamp = Stamp(now, restored.latest_version)
        new = msgspec.structs.replace(
            restored, id=secrets.token_hex(8), name=name, restore_info=stamp
        )
        return Change(new, events=[events.restored(new, replaced=policy is not None)])

    await t.store.update(name, mutate)
    return NO_CONTENT
